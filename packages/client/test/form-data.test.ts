import { openAsBlob } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { HttpClientError } from '@x/core';
import { afterEach, describe, expect, it } from 'vitest';
import { type Client, createClient, formDataBody, toFetch } from '../src/index.js';
import { eventually, startServer, type TestServer } from './support/servers.js';

interface Received {
  readonly method: string;
  readonly url: string;
  readonly contentType: string;
  readonly contentLength: string | undefined;
  readonly transferEncoding: string | undefined;
  readonly bytes: Buffer;
}

/** A server that keeps each request's body and framing, and redirects /redirect with a 307. */
async function receiver(): Promise<{ server: TestServer; received: Received[] }> {
  const received: Received[] = [];
  const server = await startServer((request: IncomingMessage, response: ServerResponse) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      received.push({
        method: request.method ?? '',
        url: request.url ?? '',
        contentType: request.headers['content-type'] ?? '',
        contentLength: request.headers['content-length'],
        transferEncoding: request.headers['transfer-encoding'],
        bytes: Buffer.concat(chunks),
      });
      if (request.url === '/redirect') response.writeHead(307, { Location: '/landed' }).end();
      else response.end('ok');
    });
  });
  return { server, received };
}

/** Parses what the server got with the platform's own multipart parser (fetch's Response.formData()). */
function parse(received: Received): Promise<FormData> {
  return new Response(new Uint8Array(received.bytes), {
    headers: { 'content-type': received.contentType },
  }).formData();
}

async function collect(source: AsyncIterable<Uint8Array>): Promise<{ bytes: Buffer; chunks: number[] }> {
  const chunks: Uint8Array[] = [];
  for await (const chunk of source) chunks.push(chunk);
  return { bytes: Buffer.concat(chunks), chunks: chunks.map((chunk) => chunk.byteLength) };
}

function sampleForm(): { form: FormData; file: Uint8Array } {
  const file = new Uint8Array(300 * 1024).map((_, index) => (index * 7) % 251);
  const form = new FormData();
  form.append('name', 'Zoë "quoted"');
  form.append('note', 'line one\nline two\rline three');
  form.append('upload', new Blob([file], { type: 'application/x-test' }), 'report.bin');
  form.append('blank', new Blob([]), 'empty');
  return { form, file };
}

describe('formDataBody (multipart/form-data, RFC 7578)', () => {
  let server: TestServer | undefined;
  let client: Client | undefined;
  afterEach(async () => {
    await client?.close();
    if (server) {
      expect(await eventually(() => server?.openSockets() === 0)).toBe(true);
      await server.close();
    }
    server = undefined;
    client = undefined;
  });

  it('client.post(url, { form }) sends fields and files a real parser reads back, with Content-Length', async () => {
    const open = await receiver();
    server = open.server;
    client = createClient({ retry: false });
    const { form, file } = sampleForm();
    const response = await client.post(`${server.origin}/upload`, { form });
    expect(await response.body.text()).toBe('ok');

    const [received] = open.received;
    if (received === undefined) throw new Error('nothing received');
    expect(received.contentType).toMatch(/^multipart\/form-data; boundary=x-http-[0-9a-f]{48}$/);
    expect(received.transferEncoding).toBeUndefined();
    expect(received.contentLength).toBe(String(received.bytes.byteLength));
    const parsed = await parse(received);
    expect(parsed.get('name')).toBe('Zoë "quoted"');
    // Line breaks of text values are normalised to CRLF, as browsers send them.
    expect(parsed.get('note')).toBe('line one\r\nline two\r\nline three');
    const upload = parsed.get('upload');
    if (!(upload instanceof File)) throw new Error('upload is not a file');
    expect(upload.name).toBe('report.bin');
    expect(upload.type).toBe('application/x-test');
    expect(new Uint8Array(await upload.arrayBuffer())).toEqual(file);
    const blank = parsed.get('blank');
    if (!(blank instanceof File)) throw new Error('blank is not a file');
    expect(blank.size).toBe(0);
    expect(blank.type).toBe('application/octet-stream');
  });

  it('escapes ", CR and LF in names and filenames so no value can end its field (HTML multipart encoding)', async () => {
    const form = new FormData();
    form.append('field"\r\nX-Injected: 1', 'value');
    form.append('file', new Blob(['x']), 'evil"\r\nContent-Type: text/html\r\n\r\n.txt');
    const { bytes } = await collect(formDataBody(form).open());
    const text = bytes.toString('utf8');
    expect(text).toContain('Content-Disposition: form-data; name="field%22%0D%0AX-Injected: 1"\r\n');
    expect(text).toContain('filename="evil%22%0D%0AContent-Type: text/html%0D%0A%0D%0A.txt"\r\n');
    expect(text).not.toContain('\r\nX-Injected');
    expect(text.match(/\r\nContent-Type: /g)).toHaveLength(1);
  });

  it('takes its boundary from crypto: two bodies of one form never share one (SECURITY.md rule 5)', () => {
    const { form } = sampleForm();
    const boundaries = Array.from({ length: 2 }, () => formDataBody(form).contentType);
    expect(boundaries[0]).not.toBe(boundaries[1]);
    for (const contentType of boundaries) expect(contentType).toMatch(/boundary=x-http-[0-9a-f]{48}$/);
  });

  it('streams a file from disk in chunks, knows its length, replays identically, ignores later form changes', async () => {
    const directory = await mkdtemp(join(tmpdir(), 'x-http-form-'));
    try {
      const path = join(directory, 'big.bin');
      const file = new Uint8Array(2 * 1024 * 1024).map((_, index) => (index * 13) % 251);
      await writeFile(path, file);
      const form = new FormData();
      form.append('name', 'disk');
      form.append('upload', await openAsBlob(path), 'big.bin');
      const body = formDataBody(form);
      form.append('late', 'added after the body was made');
      const first = await collect(body.open());
      const second = await collect(body.open());
      expect(body.replayable).toBe(true);
      expect(body.length).toBe(first.bytes.byteLength);
      expect(second.bytes.equals(first.bytes)).toBe(true);
      // The file arrives as its stream reads it, never as one buffer of the whole file.
      expect(first.chunks.length).toBeGreaterThan(4);
      expect(Math.max(...first.chunks)).toBeLessThan(file.byteLength / 4);
      expect(first.bytes.toString('latin1')).not.toContain('late');
      const parsed = await new Response(new Uint8Array(first.bytes), {
        headers: { 'content-type': body.contentType ?? '' },
      }).formData();
      expect(new Uint8Array(await (parsed.get('upload') as File).arrayBuffer())).toEqual(file);
    } finally {
      await rm(directory, { recursive: true, force: true });
    }
  });

  it('a file changed on disk after the form was made fails the request with a typed error, leaving no socket', async () => {
    const directory = await mkdtemp(join(tmpdir(), 'x-http-form-'));
    try {
      const open = await receiver();
      server = open.server;
      client = createClient({ retry: false });
      const path = join(directory, 'changing.bin');
      await writeFile(path, new Uint8Array(1024 * 1024));
      const form = new FormData();
      form.append('file', await openAsBlob(path), 'changing.bin');
      await writeFile(path, new Uint8Array(10)); // the Blob's snapshot no longer holds
      await expect(client.post(`${server.origin}/upload`, { form })).rejects.toSatisfy(
        (error) => HttpClientError.is(error) && error.cause instanceof Error,
      );
    } finally {
      await rm(directory, { recursive: true, force: true });
    }
  });

  it('is replayed on a 307, and toFetch sends FormData with its own boundary', async () => {
    const open = await receiver();
    server = open.server;
    client = createClient({ retry: false });
    const { form } = sampleForm();
    const redirected = await client.post(`${server.origin}/redirect`, { body: form });
    expect(redirected.url.pathname).toBe('/landed');
    await redirected.body.text();

    const fetch = toFetch(client.transport);
    const fetched = await fetch(`${server.origin}/fetch`, { method: 'POST', body: form });
    expect(await fetched.text()).toBe('ok');

    expect(open.received.map((each) => `${each.method} ${each.url}`)).toEqual([
      'POST /redirect',
      'POST /landed',
      'POST /fetch',
    ]);
    for (const received of open.received) {
      expect(received.contentType).toMatch(/boundary=x-http-[0-9a-f]{48}$/);
      const parsed = await parse(received);
      expect(parsed.get('name')).toBe('Zoë "quoted"');
      expect((parsed.get('upload') as File).size).toBe(300 * 1024);
    }
    expect(open.received[0]?.bytes.equals(open.received[1]?.bytes ?? Buffer.alloc(0))).toBe(true);
  });

  it('refuses form with body or json, and a form that is not a FormData', async () => {
    client = createClient({ retry: false });
    const form = new FormData();
    for (const init of [
      { form, body: 'x' },
      { form, json: {} },
    ]) {
      await expect(client.post('http://127.0.0.1:9/', init)).rejects.toSatisfy(
        (error) => HttpClientError.is(error, 'INVALID_REQUEST') && error.requestSent === false,
      );
    }
    expect(() => formDataBody({} as FormData)).toThrow(HttpClientError);
  });
});
