import type { Scenario } from '../scenario.js';
import { cacheControl } from './cache-control.js';
import { cacheHit } from './cache-hit.js';
import { cacheMemory } from './cache-memory.js';
import { cacheRevalidate } from './cache-revalidate.js';
import { chunkedTrailers } from './chunked-trailers.js';
import { concurrentGet } from './concurrent-get.js';
import { contentType } from './content-type.js';
import { streamedDownload } from './download.js';
import { jsonGet } from './json-get.js';
import { newConnectionGet } from './new-connection-get.js';
import { parseChunked, parseResponse } from './parse-response.js';
import { pipelinedGet } from './pipelined-get.js';
import { post1k } from './post-1k.js';
import { smallGet } from './small-get.js';
import { structuredFields } from './structured-fields.js';

/** Every scenario, in report order. */
export const SCENARIOS: readonly Scenario[] = [
  smallGet,
  concurrentGet,
  pipelinedGet,
  post1k,
  jsonGet,
  newConnectionGet,
  chunkedTrailers,
  streamedDownload,
  cacheHit,
  cacheRevalidate,
  cacheMemory,
  parseResponse,
  parseChunked,
  structuredFields,
  cacheControl,
  contentType,
];

export function findScenario(name: string): Scenario | undefined {
  return SCENARIOS.find((scenario) => scenario.name === name);
}
