import {
  parseDictionary as xParseDictionary,
  parseItem as xParseItem,
  parseList as xParseList,
} from '@x/headers';
import { parseDictionary, parseItem, parseList } from 'structured-headers';
import { STRUCTURED_CHECK, STRUCTURED_SAMPLES } from '../micro/header-samples.js';
import type { MicroContender } from '../micro-contender.js';
import { type MicroScenario, microPlan } from '../scenario.js';

const structuredHeaders: MicroContender = {
  name: 'structured-headers',
  description: 'structured-headers 2 (npm): parseDictionary / parseList / parseItem',
  prepare() {
    return () => {
      let members = 0;
      for (const [kind, value] of STRUCTURED_SAMPLES) {
        if (kind === 'dictionary') members += parseDictionary(value).size;
        else if (kind === 'list') members += parseList(value).length;
        else members += parseItem(value).length === 2 ? 1 : 0;
      }
      return members;
    };
  },
};

const ours: MicroContender = {
  name: 'x-headers',
  description: '@x/headers parseDictionary / parseList / parseItem (RFC 9651, Parsed<T> results)',
  prepare() {
    return () => {
      let members = 0;
      for (const [kind, value] of STRUCTURED_SAMPLES) {
        if (kind === 'dictionary') {
          const parsed = xParseDictionary(value);
          members += parsed.ok ? parsed.value.size : -100;
        } else if (kind === 'list') {
          const parsed = xParseList(value);
          members += parsed.ok ? parsed.value.length : -100;
        } else {
          members += xParseItem(value).ok ? 1 : -100;
        }
      }
      return members;
    };
  },
};

export const structuredFields: MicroScenario = {
  kind: 'micro',
  name: 'structured-fields',
  title: 'Parse 5 RFC 9651 structured field values (2 dictionaries, 2 lists, 1 item)',
  notes: 'No sockets. One operation parses all five values; the check counts top-level members.',
  baseline: 'structured-headers',
  expectedCheck: STRUCTURED_CHECK,
  contenders: async () => [structuredHeaders, ours],
  plan: microPlan,
};
