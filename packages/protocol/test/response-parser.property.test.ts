import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseWithCuts } from './support/parse.js';

const tokenChar = fc.constantFrom(
  ..."abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789!#$%&'*+-.^_`|~",
);
const fieldName = fc
  .string({ unit: tokenChar, minLength: 1, maxLength: 12 })
  .filter((name) => !['content-length', 'transfer-encoding', 'connection'].includes(name.toLowerCase()));
const valueChar = fc.oneof(
  fc.integer({ min: 0x21, max: 0x7e }).map((code) => String.fromCharCode(code)),
  fc.integer({ min: 0x80, max: 0xff }).map((code) => String.fromCharCode(code)),
  fc.constant(' '),
);
/** Values as the parser returns them: no leading or trailing whitespace. */
const fieldValue = fc.string({ unit: valueChar, maxLength: 20 }).map((value) => value.trim());
const fields = fc.array(fc.tuple(fieldName, fieldValue), { maxLength: 8 });
const bodyText = fc.string({
  unit: fc.integer({ min: 0, max: 255 }).map((code) => String.fromCharCode(code)),
  maxLength: 200,
});

const response = fc.record({
  status: fc.integer({ min: 200, max: 599 }).filter((status) => status !== 204 && status !== 304),
  reason: fc.string({ unit: valueChar, maxLength: 12 }).map((reason) => reason.trim()),
  version: fc.constantFrom('1.0', '1.1'),
  headers: fields,
  body: bodyText,
  framing: fc.constantFrom('length', 'chunked', 'close'),
  chunkSizes: fc.array(fc.integer({ min: 1, max: 40 }), { maxLength: 10 }),
  extension: fc.boolean(),
  trailers: fields,
});

type Generated = typeof response extends fc.Arbitrary<infer T> ? T : never;

function serialise(message: Generated): { text: string; framing: string } {
  const framing = message.framing === 'chunked' && message.version === '1.0' ? 'length' : message.framing;
  let text = `HTTP/${message.version} ${message.status} ${message.reason}\r\n`;
  for (const [name, value] of message.headers) text += `${name}: ${value}\r\n`;
  if (framing === 'length') text += `Content-Length: ${message.body.length}\r\n\r\n${message.body}`;
  else if (framing === 'close') text += `Connection: close\r\n\r\n${message.body}`;
  else {
    text += 'Transfer-Encoding: chunked\r\n\r\n';
    let offset = 0;
    let index = 0;
    while (offset < message.body.length) {
      const size = Math.min(
        message.chunkSizes[index++ % Math.max(1, message.chunkSizes.length)] ?? 7,
        message.body.length - offset,
      );
      text += `${size.toString(16)}${message.extension ? ';ext="v"' : ''}\r\n${message.body.slice(offset, offset + size)}\r\n`;
      offset += size;
    }
    text += '0\r\n';
    for (const [name, value] of message.trailers) text += `${name}: ${value}\r\n`;
    text += '\r\n';
  }
  return { text, framing };
}

const cutsFor = (length: number) =>
  fc
    .uniqueArray(fc.integer({ min: 1, max: Math.max(1, length - 1) }), { maxLength: 12 })
    .map((cuts) => cuts.filter((cut) => cut < length).sort((a, b) => a - b));

describe('ResponseParser properties', () => {
  it('parses any valid response, split anywhere, back to what was serialised', () => {
    fc.assert(
      fc.property(
        response.chain((message) => {
          const serialised = serialise(message);
          return fc.tuple(fc.constant(message), fc.constant(serialised), cutsFor(serialised.text.length));
        }),
        ([message, serialised, cuts]) => {
          const result = parseWithCuts(Buffer.from(serialised.text, 'latin1'), cuts, {
            end: serialised.framing === 'close',
          });
          expect(result.error).toBeNull();
          expect(result.complete).toBe(true);
          expect(result.status).toBe(message.status);
          expect(result.reason).toBe(message.reason);
          expect(result.httpVersion).toBe(message.version);
          expect(result.headers.slice(0, message.headers.length * 2)).toEqual(message.headers.flat());
          expect(result.body).toBe(message.body);
          expect(result.framing).toBe(serialised.framing);
          if (serialised.framing === 'chunked') expect(result.trailers).toEqual(message.trailers.flat());
        },
      ),
      { numRuns: 400 },
    );
  });

  it('never throws anything but a typed error on random bytes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), fc.boolean(), (bytes, end) => {
        // parseWithCuts rethrows anything that is not an HttpClientError.
        const input = Buffer.from(bytes);
        parseWithCuts(input, input.length > 2 ? [1, Math.floor(input.length / 2)] : [], { end });
      }),
      { numRuns: 1000 },
    );
  });

  it('never throws anything but a typed error on mutated valid responses', () => {
    fc.assert(
      fc.property(
        response,
        fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { minLength: 1, maxLength: 6 }),
        fc.boolean(),
        (message, mutations, end) => {
          const bytes = Buffer.from(serialise(message).text, 'latin1');
          for (const [position, value] of mutations)
            if (bytes.length > 0) bytes[position % bytes.length] = value;
          const result = parseWithCuts(bytes, bytes.length > 3 ? [3] : [], { end });
          if (result.error !== null)
            expect(['PROTOCOL_ERROR', 'LIMIT_EXCEEDED', 'CONNECTION_CLOSED']).toContain(result.error.code);
        },
      ),
      { numRuns: 1000 },
    );
  });
});
