import { describe, expect, it } from 'vitest';
import { ResponseParser } from '../src/index.js';
import { parseWhole, parseWithCuts, splitPlans } from './support/parse.js';

interface Vector {
  name: string;
  input: string;
  method?: string;
  end?: boolean;
  lenient?: { allowBareLf?: boolean; allowObsFold?: boolean };
}

const valid: Vector[] = [
  {
    name: 'content-length body',
    input: 'HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 5\r\n\r\nhello',
  },
  {
    name: 'chunked body with extensions and trailers',
    input:
      'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n' +
      '5;name=value\r\nhello\r\n6 ; x="y z"\r\n world\r\n0\r\nX-Checksum: abc\r\nX-Other: 1\r\n\r\n',
  },
  {
    name: 'close-delimited body',
    input: 'HTTP/1.1 200 OK\r\nConnection: close\r\n\r\nuntil the end',
    end: true,
  },
  { name: 'HTTP/1.0 close-delimited', input: 'HTTP/1.0 200 OK\r\n\r\nold', end: true },
  {
    name: 'HEAD response ignores Content-Length',
    input: 'HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\n',
    method: 'HEAD',
  },
  { name: '204 has no body', input: 'HTTP/1.1 204 No Content\r\n\r\n' },
  { name: '304 has no body', input: 'HTTP/1.1 304 Not Modified\r\nContent-Length: 10\r\n\r\n' },
  {
    name: '100 and 103 before the final response',
    input:
      'HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 103 Early Hints\r\nLink: </a.css>; rel=preload\r\n\r\n' +
      'HTTP/1.1 201 Created\r\nContent-Length: 2\r\n\r\nok',
  },
  { name: 'empty reason without SP', input: 'HTTP/1.1 200\r\nContent-Length: 0\r\n\r\n' },
  { name: 'empty reason with SP', input: 'HTTP/1.1 404 \r\nContent-Length: 1\r\n\r\nx' },
  {
    name: 'obs-text and OWS in values',
    input: 'HTTP/1.1 200 OK\r\nX-Text:  caf\xe9\t \r\nContent-Length: 0\r\n\r\n',
  },
  {
    name: 'identical Content-Length list',
    input: 'HTTP/1.1 200 OK\r\nContent-Length: 3, 3\r\nContent-Length: 3\r\n\r\nabc',
  },
  {
    name: '101 switching protocols stops at the head',
    input: 'HTTP/1.1 101 Switching Protocols\r\nUpgrade: x\r\n\r\nRAW',
  },
  {
    name: 'bytes after a complete response are left',
    input: 'HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nokHTTP/1.1 200 OK',
  },
  {
    name: 'bare LF when allowed',
    input: 'HTTP/1.1 200 OK\nContent-Length: 1\n\nx',
    lenient: { allowBareLf: true },
  },
  {
    name: 'obs-fold unfolded when allowed',
    input: 'HTTP/1.1 200 OK\r\nX-Long: a\r\n  b\r\nContent-Length: 0\r\n\r\n',
    lenient: { allowObsFold: true },
  },
];

describe('ResponseParser on valid responses', () => {
  for (const vector of valid) {
    it(`parses "${vector.name}" the same at every split point`, () => {
      const input = Buffer.from(vector.input, 'latin1');
      const options = { method: vector.method, end: vector.end, ...vector.lenient };
      const whole = parseWhole(input, options);
      expect(whole.error).toBeNull();
      expect(whole.complete).toBe(true);
      for (const cuts of splitPlans(input.length)) {
        expect(parseWithCuts(input, cuts, options)).toEqual(whole);
      }
    });
  }

  it('reports status, headers in wire order and casing, body and trailers', () => {
    const result = parseWhole(valid[1]?.input as string);
    expect(result).toMatchObject({
      status: 200,
      reason: 'OK',
      httpVersion: '1.1',
      headers: ['Transfer-Encoding', 'chunked'],
      framing: 'chunked',
      keepAlive: true,
      body: 'hello world',
      trailers: ['X-Checksum', 'abc', 'X-Other', '1'],
    });
  });

  it('surfaces interim responses apart from the final one', () => {
    const result = parseWhole(valid[7]?.input as string);
    expect(result.interim.map((head) => head.status)).toEqual([100, 103]);
    expect(result.interim[1]?.headers).toEqual(['Link', '</a.css>; rel=preload']);
    expect(result.status).toBe(201);
    expect(result.body).toBe('ok');
  });

  it('keeps latin1 octets of field values and trims OWS', () => {
    const result = parseWhole(valid[10]?.input as string);
    expect(result.headers.slice(0, 2)).toEqual(['X-Text', 'caf\xe9']);
  });

  it('stops after a complete response and leaves the rest to the caller', () => {
    expect(parseWhole(valid[13]?.input as string).rest).toBe('HTTP/1.1 200 OK'.length);
    expect(parseWhole(valid[12]?.input as string).rest).toBe(3);
  });

  it('decides keep-alive per version and Connection', () => {
    expect(parseWhole('HTTP/1.0 200 OK\r\nContent-Length: 0\r\n\r\n').keepAlive).toBe(false);
    expect(
      parseWhole('HTTP/1.0 200 OK\r\nConnection: keep-alive\r\nContent-Length: 0\r\n\r\n').keepAlive,
    ).toBe(true);
    expect(parseWhole('HTTP/1.1 200 OK\r\nConnection: Close\r\nContent-Length: 0\r\n\r\n').keepAlive).toBe(
      false,
    );
    expect(parseWhole('HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n').keepAlive).toBe(true);
  });

  it('lets chunked win over Content-Length but forbids reuse', () => {
    const result = parseWhole(
      'HTTP/1.1 200 OK\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n1\r\na\r\n0\r\n\r\n',
    );
    expect(result.body).toBe('a');
    expect(result.keepAlive).toBe(false);
  });

  it('hands Content-Length body bytes on as views of the input, never copies', () => {
    const bodies: Buffer[] = [];
    const parser = new ResponseParser({
      onInterim() {},
      onHead() {},
      onBody: (chunk) => bodies.push(chunk),
      onTrailers() {},
      onComplete() {},
    });
    parser.reset('GET');
    const first = Buffer.from('HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nabc', 'latin1');
    const middle = Buffer.from('defg', 'latin1');
    const last = Buffer.from('hijHTTP/1.1', 'latin1');
    expect(parser.execute(first)).toBe(first.length);
    expect(parser.execute(middle)).toBe(middle.length);
    expect(parser.execute(last)).toBe(3);
    expect(parser.state).toBe('complete');
    expect(bodies.map((chunk) => chunk.toString('latin1'))).toEqual(['abc', 'defg', 'hij']);
    // A read that is all body is passed on as it came; parts of a read share its memory.
    expect(bodies[1]).toBe(middle);
    expect(bodies[0]?.buffer).toBe(first.buffer);
    expect(bodies[2]?.buffer).toBe(last.buffer);
    expect(bodies[2]?.byteOffset).toBe(last.byteOffset);
  });

  it('is reusable for a second response after reset', () => {
    const text = 'HTTP/1.1 200 OK\r\nContent-Length: 1\r\n\r\na';
    expect(parseWhole(text + text).rest).toBe(text.length);
  });
});

interface Broken {
  input: string;
  rule?: string;
  limit?: string;
  code?: string;
  end?: boolean;
  options?: Record<string, number>;
}

const broken: Broken[] = [
  { input: 'HTTP/1.1 200 OK\r\nContent-Length: 1\r\nTransfer-Encoding: chunked\r\n\r\n', rule: undefined },
  {
    input: 'HTTP/1.1 200 OK\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\nx',
    rule: 'content-length-conflict',
  },
  { input: 'HTTP/1.1 200 OK\r\nContent-Length: 1, 2\r\n\r\nx', rule: 'content-length-conflict' },
  { input: 'HTTP/1.1 200 OK\r\nContent-Length: -1\r\n\r\n', rule: 'content-length-invalid' },
  { input: 'HTTP/1.1 200 OK\r\nContent-Length: 0x10\r\n\r\n', rule: 'content-length-invalid' },
  {
    input: 'HTTP/1.1 200 OK\r\nContent-Length: 99999999999999999999\r\n\r\n',
    rule: 'content-length-invalid',
  },
  { input: 'HTTP/1.1 200 OK\r\nContent-Length: \r\n\r\n', rule: 'content-length-invalid' },
  {
    input: 'HTTP/1.0 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n',
    rule: 'transfer-encoding-http10',
  },
  {
    input: 'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked, chunked\r\n\r\n',
    rule: 'transfer-encoding-chunked-twice',
  },
  {
    input: 'HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip, chunked\r\n\r\n',
    rule: 'transfer-encoding-unsupported',
  },
  { input: 'HTTP/1.1 200 OK\r\nTransfer-Encoding: \x01\r\n\r\n', rule: 'header-invalid-value' },
  { input: 'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nz\r\n', rule: 'invalid-chunk-size' },
  { input: 'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n\r\n', rule: 'invalid-chunk-size' },
  { input: 'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n-1\r\n', rule: 'invalid-chunk-size' },
  { input: 'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n1 x\r\n', rule: 'invalid-chunk-size' },
  {
    input: 'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n1000000000000000000\r\n',
    rule: 'chunk-size-overflow',
  },
  { input: 'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n1\nx\r\n', rule: 'chunk-missing-crlf' },
  { input: 'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n1\r\nxy\r\n', rule: 'chunk-missing-crlf' },
  {
    input: 'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n1\r\nx\n0\r\n\r\n',
    rule: 'chunk-missing-crlf',
  },
  {
    input: 'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n1;a\x00\r\nx\r\n',
    rule: 'chunk-extension-invalid',
  },
  {
    input: 'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n0\r\nBad Trailer: x\r\n\r\n',
    rule: 'header-invalid-name',
  },
  { input: 'HTTP/1.1 200 OK\nContent-Length: 0\r\n\r\n', rule: 'header-bare-lf' },
  { input: 'HTTP/1.1 200 OK\r\nContent-Length: 0\n\r\n', rule: 'header-bare-lf' },
  { input: 'HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\n', rule: 'header-bare-lf' },
  { input: 'HTTP/1.1 200 OK\r\nX-A: 1\r\n 2\r\n\r\n', rule: 'header-obs-fold' },
  { input: 'HTTP/1.1 200 OK\r\n X-A: 1\r\n\r\n', rule: 'header-obs-fold' },
  { input: 'HTTP/1.1 200 OK\r\nX-A: a\x00b\r\n\r\n', rule: 'header-nul' },
  { input: 'HTTP/1.1 200 OK\r\nX-A: a\rb\r\n\r\n', rule: 'header-bare-cr' },
  { input: 'HTTP/1.1 200 OK\r\nX-A : 1\r\n\r\n', rule: 'header-whitespace-before-colon' },
  { input: 'HTTP/1.1 200 OK\r\n: 1\r\n\r\n', rule: 'header-invalid-name' },
  { input: 'HTTP/1.1 200 OK\r\nX(A): 1\r\n\r\n', rule: 'header-invalid-name' },
  { input: 'HTTP/1.1 200 OK\r\nNoColon\r\n\r\n', rule: 'header-invalid-name' },
  { input: 'HTTP/1.1 200 OK\r\nX-A: \x7f\r\n\r\n', rule: 'header-invalid-value' },
  { input: 'HTTP/2.0 200 OK\r\n\r\n', rule: 'unsupported-http-version' },
  { input: 'HTTP/1.2 200 OK\r\n\r\n', rule: 'unsupported-http-version' },
  { input: 'http/1.1 200 OK\r\n\r\n', rule: 'invalid-status-line' },
  { input: 'HTTP/1.1 2000 OK\r\n\r\n', rule: 'invalid-status-line' },
  { input: 'HTTP/1.1 20x OK\r\n\r\n', rule: 'invalid-status-code' },
  { input: 'HTTP/1.1 099 Low\r\n\r\n', rule: 'invalid-status-code' },
  { input: 'HTTP/1.1 600 High\r\n\r\n', rule: 'invalid-status-code' },
  { input: 'HTTP/1.1 200 O\x01K\r\n\r\n', rule: 'invalid-status-line' },
  { input: '\r\nHTTP/1.1 200 OK\r\n\r\n', rule: 'invalid-status-line' },
  { input: 'garbage\r\n', rule: 'invalid-status-line' },
  {
    input: `HTTP/1.1 200 ${'x'.repeat(100)}\r\n\r\n`,
    limit: 'maxStatusLineBytes',
    options: { maxStatusLineBytes: 64 },
  },
  {
    input: `HTTP/1.1 200 OK\r\nX-A: ${'x'.repeat(100)}\r\n\r\n`,
    limit: 'maxHeaderBytes',
    options: { maxHeaderBytes: 64 },
  },
  {
    input: 'HTTP/1.1 200 OK\r\nA: 1\r\nB: 2\r\nC: 3\r\n\r\n',
    limit: 'maxHeaderCount',
    options: { maxHeaderCount: 2 },
  },
  {
    input: `HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n1;${'e'.repeat(80)}\r\nx\r\n`,
    limit: 'maxChunkLineBytes',
    options: { maxChunkLineBytes: 32 },
  },
  {
    input: `HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n0\r\nX-T: ${'t'.repeat(80)}\r\n\r\n`,
    limit: 'maxTrailerBytes',
    options: { maxTrailerBytes: 32 },
  },
  {
    input: 'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n0\r\nA: 1\r\nB: 2\r\n\r\n',
    limit: 'maxTrailerCount',
    options: { maxTrailerCount: 1 },
  },
  {
    input: `${'HTTP/1.1 100 Continue\r\n\r\n'.repeat(3)}HTTP/1.1 200 OK\r\n\r\n`,
    limit: 'maxInterimResponses',
    options: { maxInterimResponses: 2 },
  },
  { input: 'HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nshort', code: 'CONNECTION_CLOSED', end: true },
  {
    input: 'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nab',
    code: 'CONNECTION_CLOSED',
    end: true,
  },
  { input: 'HTTP/1.1 200 OK\r\nContent-', code: 'CONNECTION_CLOSED', end: true },
];

describe('ResponseParser on broken responses', () => {
  for (const vector of broken.filter(
    (item) => item.rule !== undefined || item.limit !== undefined || item.code,
  )) {
    const label = vector.rule ?? vector.limit ?? vector.code;
    it(`fails with ${label} at every split point: ${JSON.stringify(vector.input.slice(0, 60))}`, () => {
      const input = Buffer.from(vector.input, 'latin1');
      const options = { ...(vector.options ?? {}), end: vector.end };
      const whole = parseWhole(input, options);
      expect(whole.error).not.toBeNull();
      if (vector.rule) expect(whole.error).toMatchObject({ code: 'PROTOCOL_ERROR', rule: vector.rule });
      if (vector.limit) expect(whole.error).toMatchObject({ code: 'LIMIT_EXCEEDED', limit: vector.limit });
      if (vector.code) expect(whole.error?.code).toBe(vector.code);
      for (const cuts of splitPlans(Math.min(input.length, 200))) {
        expect(parseWithCuts(input, cuts, options).error).toEqual(whole.error);
      }
    });
  }

  it('says how far a truncated body got', () => {
    const result = parseWhole('HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nshort', { end: true });
    expect(result.body).toBe('short');
    expect(result.complete).toBe(false);
  });

  it('stays failed after an error', async () => {
    const { ResponseParser } = await import('../src/index.js');
    const parser = new ResponseParser({
      onHead: () => undefined,
      onBody: () => undefined,
      onComplete: () => undefined,
    });
    expect(() => parser.execute(Buffer.from('nope\r\n'))).toThrow();
    expect(parser.state).toBe('failed');
    expect(() => parser.execute(Buffer.from('HTTP/1.1 200 OK\r\n\r\n'))).toThrow();
  });
});
