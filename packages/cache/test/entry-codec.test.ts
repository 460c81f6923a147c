import { describe, expect, it } from 'vitest';
import { decodeEntry, encodeEntry, type StoredResponseHead } from '../src/index.js';

const head: StoredResponseHead = {
  status: 200,
  reason: 'OK',
  httpVersion: '1.1',
  fields: ['Cache-Control', 'max-age=60', 'ETag', '"v1"'],
  url: 'http://127.0.0.1/a',
  varyValues: [['accept', null]],
  requestTime: 1,
  responseTime: 2,
  discardAfter: null,
};
const entry = { key: 'k', variant: '[]', bodyId: '7', bodySize: 3, head };

/** The record as JSON, with its head changed. */
const record = (headChanges: Record<string, unknown>, drop?: string) => {
  const changed: Record<string, unknown> = { ...head, ...headChanges };
  if (drop !== undefined) delete changed[drop];
  return JSON.stringify({ version: 1, key: 'k', variant: '[]', bodyId: '7', bodySize: 3, head: changed });
};

describe('entry codec (the fs and Redis stores’ record format)', () => {
  it('round-trips a head with flat field lines', () => {
    expect(decodeEntry(encodeEntry(entry))).toEqual(entry);
  });

  it('reads heads written with [name, value] pairs before the flat form, as flat lines', () => {
    const legacy = record(
      {
        headers: [
          ['Cache-Control', 'max-age=60'],
          ['ETag', '"v1"'],
        ],
      },
      'fields',
    );
    expect(decodeEntry(legacy)?.head.fields).toEqual(['Cache-Control', 'max-age=60', 'ETag', '"v1"']);
  });

  it('refuses field lines that do not pair up or are not strings, and heads with neither form', () => {
    expect(decodeEntry(record({ fields: ['Cache-Control'] }))).toBeNull();
    expect(decodeEntry(record({ fields: ['Cache-Control', 60] }))).toBeNull();
    expect(decodeEntry(record({ headers: [['Cache-Control']] }, 'fields'))).toBeNull();
    expect(decodeEntry(record({}, 'fields'))).toBeNull();
  });
});
