import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { connect, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createResponse, type HttpRequest, type HttpResponse, type HttpTransport } from '@x/core';
import { describe, expect, it } from 'vitest';
import {
  ALL_CASES,
  type ConformanceCase,
  type ConformanceReport,
  formatConsoleMatrix,
  formatMarkdown,
  runConformance,
  runMatrix,
  writeReports,
} from '../src/index.js';
import { MOCK_FEATURES } from '../src/subjects/feature-claims.js';
import { createMockRouteTransport } from '../src/subjects/mock-route-transport.js';

const pick = (...ids: string[]): ConformanceCase[] =>
  ids.map((id) => {
    const found = ALL_CASES.find((item) => item.id === id);
    if (!found) throw new Error(`no case ${id}`);
    return found;
  });

function statusOf(report: ConformanceReport, id: string, subject = 0) {
  return report.subjects[subject]?.results.find((result) => result.id === id);
}

/** Answers every request 200 "wrong" whatever was asked: a transport that ignores the request. */
function wrongTransport(): HttpTransport & { closes: number } {
  const transport = {
    closes: 0,
    async request(request: HttpRequest): Promise<HttpResponse> {
      return createResponse({ status: 200, url: request.url, body: 'wrong' });
    },
    async close() {
      transport.closes++;
    },
  };
  return transport;
}

describe('runConformance', () => {
  it('passes a transport that conforms (the mock over the suite routes)', async () => {
    const report = await runConformance(
      {
        name: 'mock',
        features: MOCK_FEATURES,
        create: ({ servers }) => createMockRouteTransport(servers.state),
      },
      { cases: pick('bodies/fixed', 'status/custom-reason', 'headers/repeated-response', 'no-body/head') },
    );
    expect(report.subjects[0]?.results.map((result) => result.status)).toEqual([
      'pass',
      'pass',
      'pass',
      'pass',
    ]);
    expect(report.ok).toBe(true);
    expect(report.totals).toEqual({ pass: 4, fail: 0, timeout: 0, notClaimed: 0 });
  });

  it('reports a claimed case that fails as a failure, and an unclaimed one as not-claimed', async () => {
    let created = 0;
    const transports: Array<ReturnType<typeof wrongTransport>> = [];
    const report = await runConformance(
      {
        name: 'wrong',
        features: ['http'],
        create: () => {
          created++;
          const transport = wrongTransport();
          transports.push(transport);
          return transport;
        },
      },
      { cases: pick('bodies/fixed', 'status/codes-are-responses', 'bodies/trailers') },
    );
    expect(statusOf(report, 'bodies/fixed')?.status).toBe('fail');
    expect(statusOf(report, 'status/codes-are-responses')?.status).toBe('fail');
    expect(statusOf(report, 'status/codes-are-responses')?.message).toContain('status');
    const trailers = statusOf(report, 'bodies/trailers');
    expect(trailers?.status).toBe('not-claimed');
    expect(trailers?.missing).toEqual(['trailers']);
    expect(report.ok).toBe(false);
    // One for the setup check, then one fresh transport per case that ran, each closed afterwards.
    expect(created).toBe(3);
    expect(transports.map((transport) => transport.closes)).toEqual([1, 1, 1]);
  });

  it('turns a hang into "timeout", closes the transport and goes on', async () => {
    let closed = 0;
    const report = await runConformance(
      {
        name: 'hangs',
        features: ['http'],
        create: () => ({
          request: () => new Promise<HttpResponse>(() => undefined),
          close: async () => {
            closed++;
          },
        }),
      },
      { cases: pick('bodies/fixed', 'status/http-version'), timeLimit: 200 },
    );
    expect(statusOf(report, 'bodies/fixed')?.status).toBe('timeout');
    expect(statusOf(report, 'bodies/fixed')?.message).toContain('200 ms');
    expect(statusOf(report, 'status/http-version')?.status).toBe('timeout');
    expect(closed).toBe(3);
    expect(report.totals.timeout).toBe(2);
    expect(report.ok).toBe(false);
  });

  it('stops running a column that keeps hanging once its hang budget is spent', async () => {
    let created = 0;
    const report = await runConformance(
      {
        name: 'hangs-everywhere',
        features: ['http'],
        create: () => {
          created++;
          return { request: () => new Promise<HttpResponse>(() => undefined), close: async () => undefined };
        },
      },
      {
        cases: pick('bodies/fixed', 'status/http-version', 'status/custom-reason'),
        timeLimit: 150,
        hangBudget: 250,
      },
    );
    expect(report.subjects[0]?.results.map((result) => result.status)).toEqual([
      'timeout',
      'timeout',
      'timeout',
    ]);
    expect(statusOf(report, 'status/custom-reason')?.message).toContain('not run');
    expect(created).toBe(3);
  });

  it('fails a case whose transport rejects with something other than HttpClientError', async () => {
    const report = await runConformance(
      {
        name: 'plain-errors',
        features: ['http', 'socket-errors', 'direct-connect'],
        create: () => ({
          request: async () => {
            throw new Error('ECONNREFUSED');
          },
          close: async () => undefined,
        }),
      },
      { cases: pick('errors/connection-refused') },
    );
    const result = statusOf(report, 'errors/connection-refused');
    expect(result?.status).toBe('fail');
    expect(result?.message).toContain('not an HttpClientError');
  });

  it('fails a passing case when close() never settles', async () => {
    const report = await runConformance(
      {
        name: 'close-hangs',
        features: MOCK_FEATURES,
        create: ({ servers }) => {
          const inner = createMockRouteTransport(servers.state);
          let used = false;
          return {
            request: (request) => {
              used = true;
              return inner.request(request);
            },
            // Closes fine when unused (the setup check), never after a request.
            close: () => (used ? new Promise<void>(() => undefined) : inner.close()),
          };
        },
      },
      { cases: pick('bodies/fixed'), closeLimit: 100 },
    );
    expect(statusOf(report, 'bodies/fixed')?.status).toBe('fail');
    expect(statusOf(report, 'bodies/fixed')?.message).toContain('close() did not settle');
  });

  it('reports a column whose create() throws once, as a setup failure', async () => {
    const report = await runConformance(
      {
        name: 'broken-package',
        features: ['http'],
        create: () => {
          throw new Error("Cannot find module './half-written.js'");
        },
      },
      { cases: pick('bodies/fixed', 'status/http-version') },
    );
    expect(report.subjects[0]?.error).toContain('half-written');
    expect(report.subjects[0]?.results).toEqual([]);
    expect(report.ok).toBe(false);
    expect(formatConsoleMatrix(report)).toContain('broken-package (setup)');
  });

  it('fails a case that leaves a server-side socket open after close()', async () => {
    const leaked: Socket[] = [];
    try {
      const report = await runConformance(
        {
          name: 'leaks',
          features: MOCK_FEATURES,
          create: ({ servers }) => {
            const inner = createMockRouteTransport(servers.state);
            return {
              async request(request) {
                // Opens a real socket to the suite's server and forgets it.
                const socket = connect(Number(servers.http.port), '127.0.0.1');
                socket.on('error', () => undefined);
                leaked.push(socket);
                await new Promise((resolve) => socket.once('connect', resolve));
                return inner.request(request);
              },
              close: () => inner.close(),
            };
          },
        },
        { cases: pick('bodies/fixed'), socketGrace: 100 },
      );
      expect(statusOf(report, 'bodies/fixed')?.status).toBe('fail');
      expect(statusOf(report, 'bodies/fixed')?.message).toContain('1 server-side socket(s) still open');
    } finally {
      for (const socket of leaked) socket.destroy();
    }
  });

  it('fails a case during which the transport leaks an unhandled rejection', async () => {
    // Vitest would report the deliberate stray rejection as its own error:
    // its listeners step aside for this one run and are put back after.
    const vitestListeners = process.listeners('unhandledRejection');
    process.removeAllListeners('unhandledRejection');
    let report: ConformanceReport;
    try {
      report = await runConformance(
        {
          name: 'rejects',
          features: MOCK_FEATURES,
          create: ({ servers }) => {
            const inner = createMockRouteTransport(servers.state);
            return {
              request(request) {
                void Promise.reject(new Error('stray failure nobody handled'));
                return inner.request(request);
              },
              close: () => inner.close(),
            };
          },
        },
        { cases: pick('bodies/fixed') },
      );
    } finally {
      for (const listener of vitestListeners) process.on('unhandledRejection', listener);
    }
    expect(statusOf(report, 'bodies/fixed')?.status).toBe('fail');
    expect(statusOf(report, 'bodies/fixed')?.message).toContain('stray failure nobody handled');
  });
});

describe('reports', () => {
  it('prints the matrix, writes the same as Markdown and JSON', async () => {
    const report = await runMatrix(
      [
        {
          name: 'mock',
          features: MOCK_FEATURES,
          create: ({ servers }) => createMockRouteTransport(servers.state),
        },
        { name: 'wrong', features: ['http'], create: () => wrongTransport() },
      ],
      { cases: pick('bodies/fixed', 'bodies/trailers') },
    );
    const text = formatConsoleMatrix(report);
    expect(text).toMatch(/bodies\/fixed\s+pass\s+FAIL/);
    expect(text).toMatch(/bodies\/trailers\s+pass\s+-/);
    expect(text).toContain('wrong: 0 pass, 1 fail, 0 timeout, 1 not claimed');
    const markdown = formatMarkdown(report);
    expect(markdown).toContain('| case | mock | wrong |');
    expect(markdown).toContain('## Failures');
    const directory = await mkdtemp(join(tmpdir(), 'conformance-report-'));
    try {
      const written = await writeReports(report, directory);
      expect(await readFile(written.markdown, 'utf8')).toBe(markdown);
      const json = JSON.parse(await readFile(written.json, 'utf8')) as ConformanceReport;
      expect(json.totals).toEqual({ pass: 2, fail: 1, timeout: 0, notClaimed: 1 });
      expect(json.subjects[1]?.results[0]?.status).toBe('fail');
    } finally {
      await rm(directory, { recursive: true, force: true });
    }
  });

  it('rejects a case list with a duplicate id', async () => {
    const [first] = pick('bodies/fixed');
    await expect(
      runConformance(
        { name: 'x', features: [], create: () => wrongTransport() },
        { cases: [first!, first!] },
      ),
    ).rejects.toThrow(/Duplicate/);
  });
});
