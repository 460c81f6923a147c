import type { ConformanceCase } from '../case.js';
import { abortAndTimeoutCases } from './abort-and-timeouts.js';
import { cacheCases } from './cache.js';
import { connectionErrorCases } from './connection-errors.js';
import { connectionCases } from './connections.js';
import { cookieCases } from './cookies.js';
import { decodingCases } from './decoding.js';
import { framingCases } from './framing.js';
import { interimCases } from './interim-responses.js';
import { methodsAndBodiesCases } from './methods-and-bodies.js';
import { noBodyCases } from './no-body-responses.js';
import { redirectCases } from './redirects.js';
import { responseBodyCases } from './response-bodies.js';
import { retryCases } from './retries.js';
import { statusAndHeadersCases } from './status-and-headers.js';
import { tlsCases } from './tls.js';

/** Every case, contract first, then the per-layer areas. */
export const ALL_CASES: readonly ConformanceCase[] = [
  ...methodsAndBodiesCases,
  ...statusAndHeadersCases,
  ...responseBodyCases,
  ...noBodyCases,
  ...interimCases,
  ...abortAndTimeoutCases,
  ...connectionErrorCases,
  ...framingCases,
  ...tlsCases,
  ...connectionCases,
  ...redirectCases,
  ...cacheCases,
  ...decodingCases,
  ...retryCases,
  ...cookieCases,
];
