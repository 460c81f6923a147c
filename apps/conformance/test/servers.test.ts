import { lookup } from 'node:dns/promises';
import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateCertificates, type SuiteServers, startSuiteServers } from '../src/index.js';

let servers: SuiteServers;

beforeAll(async () => {
  servers = await startSuiteServers(await generateCertificates());
});

afterAll(async () => {
  await servers.close();
});

function get(
  url: URL,
  options: { method?: string; body?: string; ca?: string; headers?: string[] } = {},
): Promise<{ response: IncomingMessage; text: string }> {
  return new Promise((resolve, reject) => {
    const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
    const outgoing = send(
      url,
      { method: options.method ?? 'GET', agent: false, ca: options.ca, headers: options.headers },
      (response) => {
        let text = '';
        response.setEncoding('utf8');
        response.on('data', (chunk: string) => {
          text += chunk;
        });
        response.on('end', () => resolve({ response, text }));
        response.on('error', reject);
      },
    );
    outgoing.on('error', reject);
    outgoing.end(options.body);
  });
}

/** Everything the raw server sends for one request, until it closes. */
function rawExchange(path: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(Number(servers.raw.port), '127.0.0.1', () => {
      socket.write(`GET ${path} HTTP/1.1\r\nHost: x\r\n\r\n`);
    });
    let text = '';
    socket.setEncoding('latin1');
    socket.on('data', (chunk: string) => {
      text += chunk;
    });
    socket.on('close', () => resolve(text));
    socket.on('error', reject);
  });
}

describe('suite servers', () => {
  it('echoes method, raw headers, body and framing', async () => {
    const { text } = await get(new URL('/echo?x=1', servers.http), {
      method: 'PUT',
      body: 'payload',
      headers: ['Host', servers.http.host, 'X-Case-Kept', 'v', 'Content-Length', '7'],
    });
    const reply = JSON.parse(text) as { method: string; target: string; body: string; headers: string[][] };
    expect(reply.method).toBe('PUT');
    expect(reply.target).toBe('/echo?x=1');
    expect(reply.body).toBe('payload');
    expect(reply.headers).toContainEqual(['X-Case-Kept', 'v']);
  });

  it('sends trailers after a chunked body, and a custom reason', async () => {
    const trailers = await get(new URL('/trailers', servers.http));
    expect(trailers.text).toBe('part one;part two;');
    expect(trailers.response.trailers['x-checksum']).toBe('abc123');
    const status = await get(new URL('/status/299?reason=Odd+One', servers.http));
    expect(status.response.statusMessage).toBe('Odd One');
  });

  it('serves HTTPS with a certificate that chains to the generated CA only', async () => {
    const { text } = await get(new URL('/status/200', servers.https), { ca: servers.certificates.ca });
    expect(text).toBe('status 200');
    await expect(
      get(new URL('/status/200', servers.untrustedHttps), { ca: servers.certificates.ca }),
    ).rejects.toThrow();
    await expect(
      get(new URL('/status/200', servers.wrongHostHttps), { ca: servers.certificates.ca }),
    ).rejects.toThrow(/altnames|wrong-host/i);
  });

  it('writes exact misbehaving bytes from the raw server', async () => {
    expect(await rawExchange('/truncated-length')).toBe(
      'HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\nonly ten b',
    );
    expect(await rawExchange('/close-before-head')).toBe('');
  });

  it('has a refused port and a name that does not resolve', async () => {
    await expect(get(new URL('/', servers.refused))).rejects.toMatchObject({ code: 'ECONNREFUSED' });
    await expect(lookup(servers.unresolvable.hostname)).rejects.toMatchObject({ code: 'ENOTFOUND' });
  });

  it('counts open server-side sockets', async () => {
    const socket = connect(Number(servers.http.port), '127.0.0.1');
    try {
      await new Promise((resolve) => socket.once('connect', resolve));
      await expect.poll(() => servers.openSockets()).toBeGreaterThan(0);
    } finally {
      socket.destroy();
    }
    await expect.poll(() => servers.openSockets()).toBe(0);
  });
});
