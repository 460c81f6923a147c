import { bytesBody, createRequest, HttpClientError, type HttpRequest, streamBody } from '@x/core';
import { HeaderList } from '@x/headers';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type SerializedRequestHead, serializeRequestHead } from '../src/index.js';
import { serializeRequestHeadBefore } from './support/serializer-oracle.js';

/**
 * The serializer reads `headers.toRaw()` by index and lower-cases only names
 * as long as a field it acts on. These properties hold it to the previous
 * implementation (kept as the oracle): same bytes, framing and flags for
 * every list, and the same refusal, message included, for every bad one.
 */

/** Outcome of one serialisation, comparable with toEqual. */
type Outcome =
  | { readonly ok: true; readonly head: string; readonly rest: Omit<SerializedRequestHead, 'head'> }
  | { readonly ok: false; readonly code: string; readonly message: string; readonly requestSent: boolean };

function outcome(run: () => SerializedRequestHead): Outcome {
  try {
    const { head, ...rest } = run();
    return { ok: true, head: head.toString('latin1'), rest };
  } catch (error) {
    if (!HttpClientError.is(error)) throw error;
    return { ok: false, code: error.code, message: error.message, requestSent: error.requestSent };
  }
}

/** Same letters in a random case mix: the special-name check must be case-insensitive. */
function randomCase(name: string): fc.Arbitrary<string> {
  return fc
    .array(fc.boolean(), { minLength: name.length, maxLength: name.length })
    .map((upper) => [...name].map((char, index) => (upper[index] ? char.toUpperCase() : char)).join(''));
}

const SPECIAL = ['host', 'expect', 'connection', 'content-length', 'transfer-encoding'];
/** Names the serializer must not mistake for special ones: same lengths, other letters. */
const LOOKALIKES = [
  'hosT-',
  'hpst',
  'expecT1',
  'exp-ct',
  'connectiom',
  'content-lengtx',
  'transfer-encodinh',
  'te',
];
const tokenChar = fc.constantFrom(
  ..."abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789!#$%&'*+-.^_`|~",
);
const fieldName = fc.oneof(
  fc.constantFrom(...SPECIAL).chain(randomCase),
  fc.constantFrom(...LOOKALIKES),
  fc.string({ unit: tokenChar, minLength: 1, maxLength: 20 }),
);
const valueChar = fc.oneof(
  fc.integer({ min: 0x20, max: 0x7e }).map((code) => String.fromCharCode(code)),
  fc.integer({ min: 0x80, max: 0xff }).map((code) => String.fromCharCode(code)),
  fc.constant('\t'),
);
/** Values that give the special fields meaning some of the time. */
const fieldValue = fc.oneof(
  fc.string({ unit: valueChar, maxLength: 16 }),
  fc.constantFrom(
    '100-continue',
    '100-Continue',
    'close',
    'keep-alive, Close',
    'chunked',
    ' chunked ',
    'gzip',
  ),
  fc.constantFrom('0', '3', '7', '007', '-1', '3, 3', 'a.test', 'a.test:81'),
);
/** A character that must make the serializer refuse, and where it goes. */
const badChar = fc.constantFrom('\r', '\n', '\0', '\x01', '\x7f', 'Ā', ' ', '(', ':');

const body = fc.oneof(
  fc.constant(null),
  fc.integer({ min: 0, max: 8 }).map((length) => bytesBody(new Uint8Array(length))),
  fc.constant('stream' as const),
);

async function* noChunks(): AsyncGenerator<Uint8Array> {}

function request(
  method: string,
  raw: string[],
  bodyChoice: ReturnType<typeof bytesBody> | null | 'stream',
  trailers: boolean,
): HttpRequest {
  return createRequest({
    method,
    url: 'http://example.test:8080/path?q=1',
    // fromRaw trusts its input, which lets the properties hand the serializer
    // lists HeaderList itself would have refused.
    headers: HeaderList.fromRaw(raw),
    body: bodyChoice === 'stream' ? streamBody(noChunks()) : bodyChoice,
    ...(trailers ? { options: { http1: { trailers: [['X-Checksum', '1']] } } } : {}),
  });
}

describe('serializeRequestHead matches the previous implementation', () => {
  it('for random valid lists: identical bytes, framing and flags', () => {
    fc.assert(
      fc.property(
        fc.constantFrom('GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS'),
        fc.array(fc.tuple(fieldName, fieldValue), { maxLength: 10 }),
        body,
        fc.boolean(),
        fc.boolean(),
        (method, pairs, bodyChoice, trailers, connectionClose) => {
          const raw = pairs.flat();
          const built = request(method, raw, bodyChoice, trailers);
          const options = { connectionClose };
          expect(outcome(() => serializeRequestHead(built, options))).toEqual(
            outcome(() => serializeRequestHeadBefore(built, options)),
          );
        },
      ),
      { numRuns: 2000 },
    );
  });

  it('for lists with one forbidden character in a name or value: the same refusal', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fieldName, fieldValue), { minLength: 1, maxLength: 6 }),
        fc.nat(),
        fc.boolean(),
        fc.nat(),
        badChar,
        (pairs, which, inName, at, char) => {
          const raw = pairs.flat();
          const index = 2 * (which % pairs.length) + (inName ? 0 : 1);
          const text = raw[index] as string;
          const cut = at % (text.length + 1);
          raw[index] = `${text.slice(0, cut)}${char}${text.slice(cut)}`;
          const built = request('GET', raw, null, false);
          const after = outcome(() => serializeRequestHead(built));
          expect(after).toEqual(outcome(() => serializeRequestHeadBefore(built)));
          // A control character always refuses; a name with a non-token character always refuses.
          if (inName || char === '\r' || char === '\n' || char === '\0') expect(after.ok).toBe(false);
        },
      ),
      { numRuns: 1000 },
    );
  });
});

describe('serializeRequestHead with one header list shared by many requests', () => {
  // The client's case: one list of default fields, copied by createRequest
  // into every request, so the field block is made once (HeaderList.memo)
  // and reused. Every request must still get exactly its own head, and a
  // change to the list must show in the next request.
  it('gives each request the head the previous implementation gives it, across changes to the list', () => {
    const shape = fc.record({
      method: fc.constantFrom('GET', 'POST', 'PUT', 'HEAD'),
      bodyChoice: body,
      trailers: fc.boolean(),
      connectionClose: fc.boolean(),
      // A field appended to the shared list before this request (or none).
      added: fc.option(fc.tuple(fieldName, fieldValue), { nil: undefined }),
    });
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fieldName, fieldValue), { maxLength: 6 }),
        fc.array(shape, { minLength: 2, maxLength: 6 }),
        (pairs, requests) => {
          const shared = HeaderList.fromRaw(pairs.flat());
          for (const { method, bodyChoice, trailers, connectionClose, added } of requests) {
            if (added !== undefined) {
              try {
                shared.append(added[0], added[1]);
              } catch {
                // A value append refuses (a tab at an end is trimmed, not refused): the list is unchanged.
              }
            }
            const built = createRequest({
              method,
              url: 'http://example.test:8080/path?q=1',
              headers: shared,
              body: bodyChoice === 'stream' ? streamBody(noChunks()) : bodyChoice,
              ...(trailers ? { options: { http1: { trailers: [['X-Checksum', '1']] } } } : {}),
            });
            const options = { connectionClose };
            expect(outcome(() => serializeRequestHead(built, options))).toEqual(
              outcome(() => serializeRequestHeadBefore(built, options)),
            );
          }
        },
      ),
      { numRuns: 1000 },
    );
  });

  it('refuses every request made from a list with an invalid field, not only the first', () => {
    const shared = HeaderList.fromRaw(['X-Ok', 'fine', 'X-Bad', 'a\r\nInjected: yes']);
    for (let attempt = 0; attempt < 3; attempt++) {
      const built = createRequest({ url: 'http://example.test/', headers: shared });
      expect(() => serializeRequestHead(built)).toThrow('Header X-Bad contains CR');
    }
  });
});

describe('serializeRequestHead with lists that extend a shared one', () => {
  // The client's case for a request with fields of its own: the client's
  // list followed by the request's (HeaderList.extending, or with()), whose
  // field block starts from the client list's memoised one. The head must
  // still be the previous implementation's, whatever the shared list held
  // (an invalid field, a framing field the request repeats) and however it
  // changed between requests.
  const maybeBad = fc.oneof(
    { weight: 4, arbitrary: fc.tuple(fieldName, fieldValue) },
    {
      weight: 1,
      arbitrary: fc.tuple(fieldName, fieldValue, badChar).map(([n, v, c]) => [n, `${v}${c}`] as const),
    },
  );
  const change = fc.oneof(
    fc.constant({ kind: 'none' as const }),
    fc.tuple(fieldName, fieldValue).map(([name, value]) => ({ kind: 'append' as const, name, value })),
    fc.tuple(fieldName, fieldValue).map(([name, value]) => ({ kind: 'set' as const, name, value })),
    fieldName.map((name) => ({ kind: 'delete' as const, name })),
  );

  type Change = typeof change extends fc.Arbitrary<infer T> ? T : never;
  function apply(list: HeaderList, what: Change): void {
    try {
      if (what.kind === 'append') list.append(what.name, what.value);
      else if (what.kind === 'set') list.set(what.name, what.value);
      else if (what.kind === 'delete') list.delete(what.name);
    } catch {
      // A value HeaderList refuses: the list is unchanged.
    }
  }

  it('gives each request the head the previous implementation gives it', () => {
    const shape = fc.record({
      method: fc.constantFrom('GET', 'POST', 'PUT'),
      bodyChoice: body,
      connectionClose: fc.boolean(),
      own: fc.array(maybeBad, { maxLength: 3 }),
      viaWith: fc.boolean(),
      change,
      // A layer's change to its copy of the request's list (set or delete may touch the shared part).
      copyChange: change,
    });
    fc.assert(
      fc.property(
        fc.array(maybeBad, { maxLength: 5 }),
        fc.array(shape, { minLength: 2, maxLength: 6 }),
        (pairs, requests) => {
          const shared = HeaderList.fromRaw(pairs.flat());
          for (const request of requests) {
            const { method, bodyChoice, connectionClose, own, viaWith, change, copyChange } = request;
            apply(shared, change);
            let headers: HeaderList;
            if (viaWith && own.length === 1) {
              const [name, value] = own[0] as readonly [string, string];
              try {
                headers = shared.with(name, value);
              } catch {
                headers = HeaderList.extending(shared, [name, value]);
              }
            } else headers = HeaderList.extending(shared, own.flat());
            const built = createRequest({
              method,
              url: 'http://example.test:8080/path?q=1',
              headers,
              body: bodyChoice === 'stream' ? streamBody(noChunks()) : bodyChoice,
            });
            const options = { connectionClose };
            expect(outcome(() => serializeRequestHead(built, options))).toEqual(
              outcome(() => serializeRequestHeadBefore(built, options)),
            );
            // A layer's copy of the request's list, changed or not, gets its own head.
            const copied = built.headers.clone();
            apply(copied, copyChange);
            const copy = createRequest({ method, url: built.url, headers: copied, body: built.body });
            expect(outcome(() => serializeRequestHead(copy, options))).toEqual(
              outcome(() => serializeRequestHeadBefore(copy, options)),
            );
          }
        },
      ),
      { numRuns: 1000 },
    );
  });

  it("reuses the shared list's checked lines: a field only the prefix holds is checked once", () => {
    // fromRaw takes the bad value unchecked; the serializer refuses it, and
    // every list extending it, with the prefix's message.
    const shared = HeaderList.fromRaw(['X-Ok', 'fine', 'X-Bad', 'a\nb']);
    for (let attempt = 0; attempt < 3; attempt++) {
      const built = createRequest({
        url: 'http://example.test/',
        headers: HeaderList.extending(shared, ['X-Own', '1']),
      });
      expect(() => serializeRequestHead(built)).toThrow('Header X-Bad contains LF');
    }
    const good = new HeaderList({ 'User-Agent': 'x', Host: 'a.test' });
    const extended = HeaderList.extending(good, ['Host', 'b.test']);
    expect(() =>
      serializeRequestHead(createRequest({ url: 'http://example.test/', headers: extended })),
    ).toThrow('Host given twice');
  });
});
