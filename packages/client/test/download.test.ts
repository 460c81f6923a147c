import { randomBytes } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { HttpClientError } from '@x/core';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type Client, createClient, type DownloadProgress } from '../src/index.js';
import { eventually, startServer, type TestServer } from './support/servers.js';

interface Version {
  etag: string | null;
  lastModified?: string;
  bytes: Buffer;
}

/**
 * Serves `current()`; honours Range + If-Range like RFC 9110 §13.1.5/§14.2;
 * `cutAfter(request)` returning n sends n bytes of the body and then resets.
 */
function resourceHandler(current: () => Version, cutAfter: (index: number) => number | null) {
  let index = 0;
  const requests: { range: string | undefined; ifRange: string | undefined }[] = [];
  const handler = (request: IncomingMessage, response: ServerResponse) => {
    const version = current();
    const range = request.headers.range;
    const ifRange = request.headers['if-range'] as string | undefined;
    requests.push({ range, ifRange });
    const validator = version.etag ?? version.lastModified;
    const headers: Record<string, string> = { Date: new Date().toUTCString() };
    if (version.etag) headers.ETag = version.etag;
    if (version.lastModified) headers['Last-Modified'] = version.lastModified;
    let start = 0;
    let status = 200;
    const match = range === undefined ? null : /^bytes=(\d+)-$/.exec(range);
    if (match && (ifRange === undefined || ifRange === validator)) {
      start = Number(match[1]);
      status = 206;
      headers['Content-Range'] = `bytes ${start}-${version.bytes.length - 1}/${version.bytes.length}`;
    }
    const body = version.bytes.subarray(start);
    headers['Content-Length'] = String(body.length);
    response.writeHead(status, headers);
    const cut = cutAfter(index++);
    if (cut === null) {
      response.end(body);
    } else {
      response.write(body.subarray(0, cut), () => {
        setTimeout(() => response.socket?.destroy(), 20);
      });
    }
  };
  return { handler, requests };
}

describe('downloadToFile', () => {
  let directory: string;
  let server: TestServer | undefined;
  let client: Client | undefined;

  beforeEach(async () => {
    directory = await mkdtemp(join(tmpdir(), 'x-http-download-'));
  });

  afterEach(async () => {
    await client?.close();
    if (server) {
      expect(await eventually(() => server?.openSockets() === 0)).toBe(true);
      await server.close();
    }
    server = undefined;
    client = undefined;
    await rm(directory, { recursive: true, force: true });
  });

  it('resumes a cut transfer with Range and If-Range and ends with the exact bytes', async () => {
    const version: Version = { etag: '"v1"', bytes: randomBytes(1024 * 1024) };
    const resource = resourceHandler(
      () => version,
      (index) => (index === 0 ? 300 * 1024 : null),
    );
    server = await startServer(resource.handler);
    client = createClient({ retry: false });
    const path = join(directory, 'file.bin');
    const progress: DownloadProgress[] = [];
    const result = await client.download(`${server.origin}/file.bin`, path, {
      resumeDelay: 0,
      onProgress: (update) => progress.push(update),
    });
    expect(result).toMatchObject({ bytes: version.bytes.length, resumes: 1, restarts: 0, etag: '"v1"' });
    expect((await readFile(path)).equals(version.bytes)).toBe(true);
    expect(resource.requests[0]).toEqual({ range: undefined, ifRange: undefined });
    const resumedAt = progress.find((update) => update.resumedFrom > 0)?.resumedFrom ?? 0;
    expect(resumedAt).toBeGreaterThan(0);
    expect(resource.requests[1]).toEqual({ range: `bytes=${resumedAt}-`, ifRange: '"v1"' });
    const received = progress.map((update) => update.received);
    expect(received).toEqual([...received].sort((a, b) => a - b));
    expect(progress.at(-1)).toMatchObject({ received: version.bytes.length, total: version.bytes.length });
  });

  it('starts over when the resource changed between attempts (If-Range fails, 200 comes back)', async () => {
    let version: Version = { etag: '"v1"', bytes: randomBytes(256 * 1024) };
    const next: Version = { etag: '"v2"', bytes: randomBytes(200 * 1024) };
    const resource = resourceHandler(
      () => version,
      (index) => {
        if (index !== 0) return null;
        version = next; // changes while the first transfer is cut
        return 100 * 1024;
      },
    );
    server = await startServer(resource.handler);
    client = createClient({ retry: false });
    const path = join(directory, 'changed.bin');
    const result = await client.download(`${server.origin}/changed.bin`, path, { resumeDelay: 0 });
    expect(result).toMatchObject({ resumes: 1, restarts: 1, bytes: next.bytes.length, etag: '"v2"' });
    expect(resource.requests[1]?.ifRange).toBe('"v1"');
    expect((await readFile(path)).equals(next.bytes)).toBe(true);
  });

  it('resumes with a Last-Modified date that is strong (a second older than Date)', async () => {
    const version: Version = {
      etag: null,
      lastModified: new Date(Date.now() - 60_000).toUTCString(),
      bytes: randomBytes(128 * 1024),
    };
    const resource = resourceHandler(
      () => version,
      (index) => (index === 0 ? 50_000 : null),
    );
    server = await startServer(resource.handler);
    client = createClient({ retry: false });
    const path = join(directory, 'dated.bin');
    const result = await client.download(`${server.origin}/dated.bin`, path, { resumeDelay: 0 });
    expect(result.resumes).toBe(1);
    expect(resource.requests[1]?.ifRange).toBe(version.lastModified);
    expect((await readFile(path)).equals(version.bytes)).toBe(true);
  });

  it('restarts from zero when there is no validator to resume against', async () => {
    const version: Version = { etag: null, bytes: randomBytes(64 * 1024) };
    const resource = resourceHandler(
      () => version,
      (index) => (index === 0 ? 10_000 : null),
    );
    server = await startServer(resource.handler);
    client = createClient({ retry: false });
    const path = join(directory, 'plain.bin');
    const result = await client.download(`${server.origin}/plain.bin`, path, { resumeDelay: 0 });
    expect(result).toMatchObject({ resumes: 1, restarts: 1 });
    expect(resource.requests[1]?.range).toBeUndefined();
    expect((await readFile(path)).equals(version.bytes)).toBe(true);
  });

  it('gives up after maxResumes with the transfer error', async () => {
    const version: Version = { etag: '"v1"', bytes: randomBytes(64 * 1024) };
    const resource = resourceHandler(
      () => version,
      () => 1000,
    );
    server = await startServer(resource.handler);
    client = createClient({ retry: false });
    const path = join(directory, 'flaky.bin');
    let error: unknown;
    try {
      await client.download(`${server.origin}/flaky.bin`, path, { resumeDelay: 0, maxResumes: 2 });
    } catch (caught) {
      error = caught;
    }
    expect(HttpClientError.is(error, 'CONNECTION_CLOSED')).toBe(true);
    expect(resource.requests).toHaveLength(3);
    expect((await readFile(path)).length).toBe(3000);
  });

  it('stops at once when aborted mid-transfer, closing the file and the connection', async () => {
    server = await startServer((_request, response) => {
      response.writeHead(200, { 'Content-Length': '1000000', ETag: '"s"' });
      response.write(Buffer.alloc(5000)); // then stalls
    });
    client = createClient({ retry: false });
    const controller = new AbortController();
    const path = join(directory, 'aborted.bin');
    let error: unknown;
    try {
      await client.download(`${server.origin}/stall`, path, {
        signal: controller.signal,
        onProgress: (progress) => {
          if (progress.received >= 5000) controller.abort(new Error('stop'));
        },
      });
    } catch (caught) {
      error = caught;
    }
    expect(HttpClientError.is(error, 'ABORTED')).toBe(true);
    expect((await readFile(path)).length).toBe(5000);
  });

  it('rejects a 404 with HTTP_STATUS and overwrites nothing', async () => {
    server = await startServer((_request, response) => {
      response.writeHead(404, { 'Content-Type': 'text/plain' });
      response.end('no such file');
    });
    client = createClient({ retry: false });
    const path = join(directory, 'kept.txt');
    await writeFile(path, 'previous content');
    let error: unknown;
    try {
      await client.download(`${server.origin}/missing`, path, { resumeDelay: 0 });
    } catch (caught) {
      error = caught;
    }
    expect(HttpClientError.is(error, 'HTTP_STATUS')).toBe(true);
    expect(await readFile(path, 'utf8')).toBe('previous content');
  });
});
