import { createManualClock, createRequest, streamBody } from '@x/core';
import { failure } from '@x/test-support';
import { describe, expect, it } from 'vitest';
import { get, memoryConnectionsPerTest } from './support/memory.js';

const open = memoryConnectionsPerTest();

const OK = (body: string, extra = '') =>
  `HTTP/1.1 200 OK\r\nContent-Length: ${body.length}\r\n${extra}\r\n${body}`;

describe('Http1Connection exchanges', () => {
  it('writes the request, streams the body, and becomes idle and reusable', async () => {
    const pipe = open({ id: 7 });
    const idle = new Promise<void>((resolve) => pipe.connection.once('idle', resolve));
    const pending = pipe.connection.request(get('http://a.test/x?y=1'));
    await pipe.until((text) => text.endsWith('\r\n\r\n'));
    expect(pipe.text()).toBe('GET /x?y=1 HTTP/1.1\r\nHost: a.test\r\n\r\n');
    pipe.reply(OK('hello', 'Keep-Alive: timeout=5\r\n'));
    const response = await pending;
    expect(response.status).toBe(200);
    expect(await response.body.text()).toBe('hello');
    expect((await response.trailers).size).toBe(0);
    await idle;
    expect(pipe.connection.idle).toBe(true);
    expect(pipe.connection.keepAliveTimeout).toBe(5000);
    expect(response.meta.connection).toMatchObject({ id: 7, reused: false });

    const second = pipe.connection.request(get('http://a.test/2'));
    await pipe.until((text) => text.includes('GET /2 '));
    pipe.reply(OK('again'));
    const response2 = await second;
    expect(await response2.body.text()).toBe('again');
    expect(response2.meta.connection?.reused).toBe(true);
    expect(pipe.connection.requestCount).toBe(2);
  });

  it('follows the Keep-Alive timeout of each response: repeated, changed, absent or malformed', async () => {
    const pipe = open();
    const seen: Array<number | undefined> = [];
    const fields = ['timeout=5', 'timeout=5', 'timeout=2', null, 'timeout=x', 'Timeout = 7, max=9'];
    for (const [index, field] of fields.entries()) {
      const pending = pipe.connection.request(get(`http://a.test/${index}`));
      await pipe.until((text) => text.includes(`GET /${index} `));
      pipe.reply(OK('ok', field === null ? '' : `Keep-Alive: ${field}\r\n`));
      expect(await (await pending).body.text()).toBe('ok');
      seen.push(pipe.connection.keepAliveTimeout);
    }
    // An absent or malformed field keeps the last timeout a server gave.
    expect(seen).toEqual([5000, 5000, 2000, 2000, 2000, 7000]);
  });

  it('queues requests in order and writes the next only after the previous response', async () => {
    const pipe = open();
    const first = pipe.connection.request(get('http://a.test/1'));
    const second = pipe.connection.request(get('http://a.test/2'));
    await pipe.until((text) => text.includes('/1 '));
    expect(pipe.text()).not.toContain('/2 ');
    expect(pipe.connection.pending).toBe(2);
    pipe.reply(OK('one'));
    expect(await (await first).body.text()).toBe('one');
    await pipe.until((text) => text.includes('/2 '));
    pipe.reply(OK('two'));
    expect(await (await second).body.text()).toBe('two');
  });

  it('pipelines up to maxPipelined and splits responses that arrive in one chunk', async () => {
    const pipe = open({ maxPipelined: 3 });
    const requests = [1, 2, 3].map((index) => pipe.connection.request(get(`http://a.test/${index}`)));
    await pipe.until((text) => text.includes('/3 '));
    pipe.reply(
      `${OK('a') + OK('bb')}HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nccc\r\n0\r\n\r\n`,
    );
    const bodies = await Promise.all(requests.map(async (request) => (await request).body.text()));
    expect(bodies).toEqual(['a', 'bb', 'ccc']);
    expect(pipe.connection.idle).toBe(true);
  });

  it('closes after Connection: close and fails what was queued behind it as not sent', async () => {
    const pipe = open();
    const closed = pipe.connection.whenClosed();
    const first = pipe.connection.request(get('http://a.test/1'));
    const second = pipe.connection.request(get('http://a.test/2'));
    await pipe.until((text) => text.includes('/1 '));
    pipe.reply(OK('bye', 'Connection: close\r\n'));
    expect(await (await first).body.text()).toBe('bye');
    const error = await failure(second);
    expect(error.code).toBe('CONNECTION_CLOSED');
    expect(error.requestSent).toBe(false);
    expect((await closed).error).toBeNull();
    expect(pipe.client.destroyed).toBe(true);
    expect(pipe.connection.reusable).toBe(false);
    expect((await failure(pipe.connection.request(get()))).requestSent).toBe(false);
  });

  it('takes no request after one that says Connection: close', async () => {
    const pipe = open({ maxPipelined: 4 });
    const closing = pipe.connection.request(get('http://a.test/last', { headers: { connection: 'close' } }));
    expect(pipe.connection.reusable).toBe(false);
    const refused = await failure(pipe.connection.request(get('http://a.test/more')));
    expect(refused).toMatchObject({ code: 'CONNECTION_CLOSED', requestSent: false });
    await pipe.until((text) => text.endsWith('\r\n\r\n'));
    pipe.reply(OK('bye'));
    expect(await (await closing).body.text()).toBe('bye');
    expect((await pipe.connection.whenClosed()).error).toBeNull();
    expect(pipe.text()).not.toContain('/more');
  });

  it('closes on bytes after a complete response but still delivers that response', async () => {
    const pipe = open();
    const pending = pipe.connection.request(get());
    await pipe.until((text) => text.length > 0);
    pipe.reply(`${OK('full')}HTTP/1.1 200 OK\r\nContent-Length: 4\r\n\r\nevil`);
    const info = await pipe.connection.whenClosed();
    expect(info.error?.rule).toBe('unsolicited-response');
    expect(await (await pending).body.text()).toBe('full');
  });

  it('closes on bytes arriving on an idle connection', async () => {
    const pipe = open();
    pipe.reply('HTTP/1.1 200 OK\r\n\r\n');
    const info = await pipe.connection.whenClosed();
    expect(info.error?.rule).toBe('unsolicited-response');
  });

  it('reports a close before any response byte as retryable-looking', async () => {
    const pipe = open();
    const pending = pipe.connection.request(get());
    await pipe.until((text) => text.length > 0);
    pipe.server.end();
    const error = await failure(pending);
    expect(error.code).toBe('CONNECTION_CLOSED');
    expect(error.requestSent).toBe(true);
    expect(error.details.responseStarted).toBe(false);
    expect((await pipe.connection.whenClosed()).beforeResponse).toBe(true);
  });

  it('says how far a body got when the peer closes mid-body', async () => {
    const pipe = open();
    const pending = pipe.connection.request(get());
    await pipe.until((text) => text.length > 0);
    pipe.reply('HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nabc');
    const response = await pending;
    pipe.server.end();
    const error = await failure(response.body.text());
    expect(error.code).toBe('CONNECTION_CLOSED');
    expect(error.details).toMatchObject({ bytesReceived: 3, bytesExpected: 10 });
    await expect(response.trailers).rejects.toMatchObject({ code: 'CONNECTION_CLOSED' });
    expect((await pipe.connection.whenClosed()).beforeResponse).toBe(false);
  });

  it('completes a close-delimited body at the end of input', async () => {
    const pipe = open();
    const pending = pipe.connection.request(get());
    await pipe.until((text) => text.length > 0);
    pipe.reply('HTTP/1.0 200 OK\r\n\r\nuntil close');
    const response = await pending;
    pipe.server.end();
    expect(await response.body.text()).toBe('until close');
    expect(response.httpVersion).toBe('1.0');
  });

  it('fails the exchange with the rule a response broke and closes', async () => {
    const pipe = open();
    const pending = pipe.connection.request(get());
    await pipe.until((text) => text.length > 0);
    pipe.reply('HTTP/1.1 200 OK\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\n');
    const error = await failure(pending);
    expect(error).toMatchObject({ code: 'PROTOCOL_ERROR', rule: 'content-length-conflict', method: 'GET' });
    expect(error.url).toBe('http://a.test/');
    expect(pipe.client.destroyed).toBe(true);
  });

  it('surfaces 103 through onInformational and skips an unsolicited 100', async () => {
    const pipe = open();
    const hints: number[] = [];
    const pending = pipe.connection.request(
      get('http://a.test/', { options: { http1: { onInformational: (info) => hints.push(info.status) } } }),
    );
    await pipe.until((text) => text.length > 0);
    pipe.reply(`HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 103 Early Hints\r\nLink: </s.css>\r\n\r\n${OK('x')}`);
    expect((await pending).status).toBe(200);
    expect(hints).toEqual([103]);
  });

  it('hands over the socket on 101 only when asked', async () => {
    const refused = open();
    const pending = refused.connection.request(
      get('http://a.test/', { headers: { upgrade: 'x', connection: 'upgrade' } }),
    );
    await refused.until((text) => text.length > 0);
    refused.reply('HTTP/1.1 101 Switching Protocols\r\nUpgrade: x\r\n\r\n');
    expect(await failure(pending)).toMatchObject({ code: 'PROTOCOL_ERROR', rule: 'unexpected-upgrade' });

    const pipe = open();
    const upgraded = pipe.connection.request(
      get('http://a.test/', {
        headers: { upgrade: 'x', connection: 'upgrade' },
        options: { http1: { upgrade: true } },
      }),
    );
    await pipe.until((text) => text.length > 0);
    pipe.reply('HTTP/1.1 101 Switching Protocols\r\nUpgrade: x\r\n\r\nEARLY');
    const response = await upgraded;
    expect(response.status).toBe(101);
    const upgrade = response.meta.upgrade;
    expect(Buffer.from(upgrade?.head ?? []).toString()).toBe('EARLY');
    expect(upgrade?.socket.destroyed).toBe(false);
    expect(pipe.connection.closed).toBe(true);
    upgrade?.socket.write('ping');
    await pipe.until((text) => text.endsWith('ping'));
    upgrade?.socket.destroy();
  });
});

describe('Http1Connection request bodies', () => {
  async function* slowChunks(parts: string[]) {
    for (const part of parts) {
      await new Promise((resolve) => setImmediate(resolve));
      yield Buffer.from(part);
    }
  }

  it('streams an unknown-length body chunked, with trailers', async () => {
    const pipe = open();
    const pending = pipe.connection.request(
      createRequest({
        method: 'POST',
        url: 'http://a.test/up',
        body: streamBody(slowChunks(['hello', ' world'])),
        options: { http1: { trailers: () => ({ 'X-Sum': '42' }) } },
      }),
    );
    const written = await pipe.until((text) => text.endsWith('0\r\nX-Sum: 42\r\n\r\n'));
    expect(written).toBe(
      'POST /up HTTP/1.1\r\nHost: a.test\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n6\r\n world\r\n0\r\nX-Sum: 42\r\n\r\n',
    );
    pipe.reply(OK(''));
    expect((await pending).status).toBe(200);
  });

  it('closes a request body that stalls forever when the request is aborted', async () => {
    const pipe = open();
    let closed = false;
    let pulls = 0;
    const iterator: AsyncIterator<Uint8Array> = {
      next: () =>
        pulls++ === 0
          ? Promise.resolve({ done: false, value: Buffer.from('first;') })
          : new Promise<IteratorResult<Uint8Array>>(() => undefined),
      return: () => {
        closed = true;
        return Promise.resolve({ done: true, value: undefined });
      },
    };
    const controller = new AbortController();
    const pending = pipe.connection.request(
      createRequest({
        method: 'POST',
        url: 'http://a.test/',
        body: {
          length: null,
          replayable: false,
          contentType: null,
          open: () => ({ [Symbol.asyncIterator]: () => iterator }),
        },
        signal: controller.signal,
      }),
    );
    await pipe.until((text) => text.includes('first;'));
    controller.abort(new Error('upload cancelled'));
    expect(await failure(pending)).toMatchObject({ code: 'ABORTED', requestSent: true });
    await new Promise((resolve) => setImmediate(resolve));
    expect(closed).toBe(true);
    expect(pipe.client.destroyed).toBe(true);
  });

  it('stays reusable when the response beats a body that is slow to say it ended', async () => {
    const pipe = open();
    let finish!: () => void;
    const finished = new Promise<void>((resolve) => {
      finish = resolve;
    });
    async function* lazyEnd() {
      yield Buffer.from('abc');
      await finished;
    }
    const pending = pipe.connection.request(
      createRequest({ method: 'PUT', url: 'http://a.test/', body: streamBody(lazyEnd(), 3) }),
    );
    await pipe.until((text) => text.endsWith('abc'));
    pipe.reply(OK('stored'));
    expect(await (await pending).body.text()).toBe('stored');
    finish();
    await new Promise((resolve) => setImmediate(resolve));
    expect(pipe.connection.reusable).toBe(true);
    expect(pipe.client.destroyed).toBe(false);
  });

  it('refuses a list of request trailers with a framing or routing field before sending anything', async () => {
    const pipe = open();
    for (const trailers of [{ 'Content-Length': '3' }, [['Host', 'elsewhere.test']] as [string, string][]]) {
      const error = await failure(
        pipe.connection.request(
          createRequest({
            method: 'POST',
            url: 'http://a.test/',
            body: 'abc',
            options: { http1: { trailers } },
          }),
        ),
      );
      expect(error).toMatchObject({ code: 'INVALID_REQUEST', requestSent: false });
    }
    // Nothing reached the wire, so the connection is as good as before.
    expect(pipe.text()).toBe('');
    expect(pipe.client.destroyed).toBe(false);
    const next = pipe.connection.request(get('http://a.test/next'));
    await pipe.until((text) => text.includes('GET /next '));
    pipe.reply(OK('fine'));
    expect(await (await next).body.text()).toBe('fine');
  });

  it('refuses a trailer function that answers a forbidden field after the body, and closes', async () => {
    const pipe = open();
    const error = await failure(
      pipe.connection.request(
        createRequest({
          method: 'POST',
          url: 'http://a.test/',
          body: 'abc',
          options: { http1: { trailers: () => ({ 'Content-Length': '3' }) } },
        }),
      ),
    );
    // The head and body were on their way: the unterminated chunked body cannot be taken back.
    expect(error).toMatchObject({ code: 'INVALID_REQUEST', requestSent: true });
    expect(pipe.text()).not.toContain('Content-Length: 3');
    expect(pipe.client.destroyed).toBe(true);
  });

  it('fails and closes when a body is shorter than its Content-Length', async () => {
    const pipe = open();
    const error = await failure(
      pipe.connection.request(
        createRequest({
          method: 'PUT',
          url: 'http://a.test/',
          headers: { 'content-length': '10' },
          body: streamBody(slowChunks(['abc'])),
        }),
      ),
    );
    expect(error).toMatchObject({ code: 'INVALID_REQUEST', requestSent: true });
    expect(pipe.client.destroyed).toBe(true);
  });

  it('fails a one-shot body read twice with nothing written, keeping the connection', async () => {
    const pipe = open();
    const request = createRequest({
      method: 'POST',
      url: 'http://a.test/',
      body: streamBody(slowChunks(['once'])),
    });
    const first = pipe.connection.request(request);
    await pipe.until((text) => text.endsWith('0\r\n\r\n'));
    pipe.reply(OK(''));
    await (await first).body.bytes();
    const error = await failure(pipe.connection.request(request));
    expect(error).toMatchObject({ code: 'BODY_CONSUMED', requestSent: false, method: 'POST' });
    expect(pipe.connection.idle).toBe(true);
    expect(pipe.connection.requestCount).toBe(1);
    const third = pipe.connection.request(get('http://a.test/3'));
    await pipe.until((text) => text.includes('GET /3 '));
    pipe.reply(OK('still fine'));
    expect(await (await third).body.text()).toBe('still fine');
  });

  it('rejects an invalid request without touching the connection', async () => {
    const pipe = open();
    const error = await failure(
      pipe.connection.request(createRequest({ url: 'http://a.test/', headers: { 'content-length': '3' } })),
    );
    expect(error).toMatchObject({ code: 'INVALID_REQUEST', requestSent: false });
    expect(pipe.text()).toBe('');
    expect(pipe.connection.idle).toBe(true);
  });

  it('waits for 100 Continue before sending the body', async () => {
    const pipe = open();
    const pending = pipe.connection.request(
      createRequest({
        method: 'PUT',
        url: 'http://a.test/',
        headers: { expect: '100-continue' },
        body: 'payload',
      }),
    );
    await pipe.until((text) => text.endsWith('\r\n\r\n'));
    await new Promise((resolve) => setImmediate(resolve));
    expect(pipe.text()).not.toContain('payload');
    pipe.reply('HTTP/1.1 100 Continue\r\n\r\n');
    await pipe.until((text) => text.endsWith('payload'));
    pipe.reply(OK('done'));
    expect(await (await pending).body.text()).toBe('done');
    expect(pipe.connection.reusable).toBe(true);
  });

  it('skips the body on a final status instead of 100, and does not reuse', async () => {
    const pipe = open();
    const pending = pipe.connection.request(
      createRequest({
        method: 'PUT',
        url: 'http://a.test/',
        headers: { expect: '100-continue' },
        body: 'payload',
      }),
    );
    await pipe.until((text) => text.endsWith('\r\n\r\n'));
    pipe.reply('HTTP/1.1 417 Expectation Failed\r\nContent-Length: 0\r\n\r\n');
    expect((await pending).status).toBe(417);
    await pipe.connection.whenClosed();
    expect(pipe.text()).not.toContain('payload');
  });

  it('sends the body anyway when no 100 comes in time', async () => {
    const clock = createManualClock();
    const pipe = open({ clock, expectContinueTimeout: 500 });
    const pending = pipe.connection.request(
      createRequest({
        method: 'PUT',
        url: 'http://a.test/',
        headers: { expect: '100-continue' },
        body: 'payload',
      }),
    );
    await pipe.until((text) => text.endsWith('\r\n\r\n'));
    clock.advance(500);
    await pipe.until((text) => text.endsWith('payload'));
    pipe.reply(OK(''));
    expect((await pending).status).toBe(200);
  });
});
