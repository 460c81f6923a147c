import { describe, expect, it } from 'vitest';
import { type ResponseHead, ResponseParser } from '../src/index.js';

// A parser keeps one chunked decoder for all its responses (reset per body):
// nothing of one response may leak into the next.
describe('ResponseParser: one parser, many chunked responses', () => {
  it('resets the chunked state between responses and hands each its own trailer list', () => {
    const bodies: string[] = [];
    const trailers: string[][] = [];
    let heads = 0;
    let body = '';
    const parser = new ResponseParser({
      onHead: (_head: ResponseHead) => {
        heads++;
      },
      onBody: (chunk) => {
        body += chunk.toString('latin1');
      },
      onTrailers: (raw) => {
        trailers.push(raw);
      },
      onComplete: () => {
        bodies.push(body);
        body = '';
      },
    });
    const first =
      'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\nX-First: 1\r\n\r\n';
    // Cut inside a size line: the second response starts from a clean size state.
    parser.reset('GET');
    parser.execute(Buffer.from(first.slice(0, 50), 'latin1'));
    parser.execute(Buffer.from(first.slice(50), 'latin1'));
    expect(parser.state).toBe('complete');

    parser.reset('GET');
    parser.execute(
      Buffer.from('HTTP/1.1 200 OK\r\nTransfer-Encoding: Chunked\r\n\r\n3\r\nabc\r\n0\r\n\r\n', 'latin1'),
    );
    expect(parser.state).toBe('complete');

    parser.reset('GET');
    parser.execute(
      Buffer.from(
        'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nxy\r\n0\r\nX-Third: 3\r\n\r\n',
        'latin1',
      ),
    );
    expect(heads).toBe(3);
    expect(bodies).toEqual(['hello', 'abc', 'xy']);
    expect(trailers).toEqual([['X-First', '1'], [], ['X-Third', '3']]);
  });

  it('a chunked body abandoned mid-chunk does not carry into the next response', () => {
    let body = '';
    const parser = new ResponseParser({
      onHead: () => undefined,
      onBody: (chunk) => {
        body += chunk.toString('latin1');
      },
      onComplete: () => undefined,
    });
    parser.reset('GET');
    parser.execute(Buffer.from('HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\na\r\nhal', 'latin1'));
    parser.reset('GET');
    body = '';
    parser.execute(
      Buffer.from('HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nok\r\n0\r\n\r\n', 'latin1'),
    );
    expect(parser.state).toBe('complete');
    expect(body).toBe('ok');
  });
});
