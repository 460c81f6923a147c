import { type AddressInfo, createServer, type Socket } from 'node:net';
import { SocketTracker } from './socket-tracker.js';

/**
 * A byte-level server for misbehaviour node:http will not produce: the
 * request path picks a script that writes exact bytes, then ends, resets or
 * keeps the socket. Only the request head is read (scripts are for GET/HEAD).
 * Each script is what a hostile or broken server does; the case says what a
 * client must make of it.
 */
interface ScriptContext {
  readonly method: string;
  readonly target: string;
  readonly connectionId: number;
  /** 1 for the first request on this connection, 2 for the next... */
  readonly exchange: number;
  /** Attempts per "?key=" key, for the retry cases. */
  readonly attempts: Map<string, number>;
}

type Script = (socket: Socket, context: ScriptContext) => void;

const CRLF = '\r\n';

const SCRIPTS: Readonly<Record<string, Script>> = {
  // RFC 9112 §6.3 rule 5 / SECURITY.md §12: fewer bytes than Content-Length is an error.
  'truncated-length': (socket) => {
    socket.end(`HTTP/1.1 200 OK${CRLF}Content-Length: 100${CRLF}${CRLF}only ten b`);
  },
  // RFC 9112 §7.1: a chunked body ends with the last-chunk; EOF before it is truncation.
  'truncated-chunked': (socket) => {
    socket.end(`HTTP/1.1 200 OK${CRLF}Transfer-Encoding: chunked${CRLF}${CRLF}5${CRLF}hello${CRLF}`);
  },
  // RFC 9110 §15.2.2: 101 only answers a request that asked to upgrade; this one did not.
  'unasked-101': (socket) => {
    socket.write(
      `HTTP/1.1 101 Switching Protocols${CRLF}Connection: Upgrade${CRLF}Upgrade: other${CRLF}${CRLF}`,
    );
  },
  'close-before-head': (socket) => {
    socket.destroy();
  },
  'reset-mid-body': (socket) => {
    socket.write(`HTTP/1.1 200 OK${CRLF}Content-Length: 1000${CRLF}${CRLF}partial`, () =>
      socket.resetAndDestroy(),
    );
  },
  'bad-status-line': (socket) => {
    socket.end(`HTTP/1.1 2OO OK${CRLF}Content-Length: 0${CRLF}${CRLF}`);
  },
  'bad-chunk-size': (socket) => {
    socket.end(
      `HTTP/1.1 200 OK${CRLF}Transfer-Encoding: chunked${CRLF}${CRLF}zz${CRLF}hello${CRLF}0${CRLF}${CRLF}`,
    );
  },
  // SECURITY.md §6, RFC 9112 §6.3 rule 5: differing Content-Length values are unrecoverable.
  'conflicting-length': (socket) => {
    socket.end(`HTTP/1.1 200 OK${CRLF}Content-Length: 5${CRLF}Content-Length: 6${CRLF}${CRLF}hello!`);
  },
  // RFC 9112 §5.1: whitespace between field name and colon MUST be rejected.
  'space-before-colon': (socket) => {
    socket.end(`HTTP/1.1 200 OK${CRLF}Content-Length : 5${CRLF}${CRLF}hello`);
  },
  // SECURITY.md §9: header bytes have a default limit (2 MiB here, far above any sane one).
  'huge-header': (socket) => {
    socket.write(`HTTP/1.1 200 OK${CRLF}X-Huge: `);
    socket.end(`${'a'.repeat(2 * 1024 * 1024)}${CRLF}Content-Length: 0${CRLF}${CRLF}`);
  },
  // SECURITY.md §9, §11: the number of interim responses is capped.
  'many-interim': (socket) => {
    socket.end(
      `${`HTTP/1.1 103 Early Hints${CRLF}Link: </a>${CRLF}${CRLF}`.repeat(200)}HTTP/1.1 200 OK${CRLF}Content-Length: 0${CRLF}${CRLF}`,
    );
  },
  // RFC 9110 §9.3.2 / §15.4.5: HEAD and 304 have no content whatever Content-Length says; socket stays open.
  'length-without-body': (socket) => {
    socket.write(`HTTP/1.1 304 Not Modified${CRLF}Content-Length: 1000${CRLF}ETag: "a"${CRLF}${CRLF}`);
  },
  'head-with-length': (socket, context) => {
    const body = context.method === 'HEAD' ? '' : 'x'.repeat(1000);
    socket.write(`HTTP/1.1 200 OK${CRLF}Content-Length: 1000${CRLF}${CRLF}${body}`);
  },
  // RFC 9112 §6.3 rule 8: no framing on HTTP/1.0 means the body runs to close.
  'http10-until-close': (socket) => {
    socket.end(`HTTP/1.0 200 OK${CRLF}Content-Type: text/plain${CRLF}${CRLF}body until close`);
  },
  // SECURITY.md §10: bytes after a complete response are never the next response.
  'bytes-after-response': (socket) => {
    socket.write(
      `HTTP/1.1 200 OK${CRLF}Content-Length: 5${CRLF}${CRLF}first` +
        `HTTP/1.1 200 OK${CRLF}Content-Length: 8${CRLF}${CRLF}smuggled`,
    );
  },
  // SECURITY.md §17: one header byte every 50 ms for 3 s. A head deadline ends it; an idle timer never does.
  'trickle-head': (socket) => {
    socket.write(`HTTP/1.1 200 OK${CRLF}X-Slow: `);
    let sent = 0;
    const timer = setInterval(() => {
      if (++sent < 60) {
        socket.write('a');
        return;
      }
      clearInterval(timer);
      socket.end(`${CRLF}Content-Length: 0${CRLF}${CRLF}`);
    }, 50);
    timer.unref();
    socket.on('close', () => clearInterval(timer));
  },
  // Looks reusable, then closes 20 ms later: the stale-connection case of RFC 9112 §9.3.1.
  'close-when-idle': (socket) => {
    socket.write(
      `HTTP/1.1 200 OK${CRLF}Content-Length: 11${CRLF}Keep-Alive: timeout=60${CRLF}${CRLF}kept alive?`,
    );
    setTimeout(() => socket.end(), 20).unref();
  },
  // The first request per key is dropped after its head arrived; later ones get "attempt N".
  'fail-once': (socket, context) => {
    const key = new URL(context.target, 'http://raw.invalid').searchParams.get('key') ?? '';
    const attempt = (context.attempts.get(key) ?? 0) + 1;
    context.attempts.set(key, attempt);
    if (attempt === 1) {
      socket.destroy();
      return;
    }
    const body = `attempt ${attempt}`;
    socket.write(`HTTP/1.1 200 OK${CRLF}Content-Length: ${body.length}${CRLF}${CRLF}${body}`);
  },
  // Answers the first request on a connection (kept alive); drops the connection on the second.
  'reuse-then-drop': (socket, context) => {
    const key = `reuse:${new URL(context.target, 'http://raw.invalid').searchParams.get('key') ?? ''}`;
    context.attempts.set(key, (context.attempts.get(key) ?? 0) + 1);
    if (context.exchange > 1) {
      socket.destroy();
      return;
    }
    socket.write(`HTTP/1.1 200 OK${CRLF}Content-Length: 5${CRLF}Keep-Alive: timeout=60${CRLF}${CRLF}first`);
  },
  // How many requests "/reuse-then-drop?key=" received.
  attempts: (socket, context) => {
    const key = `reuse:${new URL(context.target, 'http://raw.invalid').searchParams.get('key') ?? ''}`;
    const body = String(context.attempts.get(key) ?? 0);
    socket.end(
      `HTTP/1.1 200 OK${CRLF}Content-Length: ${body.length}${CRLF}Connection: close${CRLF}${CRLF}${body}`,
    );
  },
  'connection-id': (socket, context) => {
    const body = `fresh ${context.connectionId}`;
    socket.write(`HTTP/1.1 200 OK${CRLF}Content-Length: ${body.length}${CRLF}${CRLF}${body}`);
  },
};

export const RAW_SCRIPTS = [...Object.keys(SCRIPTS), 'pipeline'];

const PIPELINE_DEPTH = 3;

/**
 * "/pipeline": holds its answers until three request heads arrived on this
 * connection (or 1 s passed), then answers each in order with its target,
 * how many requests were in flight together, and the connection id. Only a
 * client that pipelines (RFC 9112 §9.3.2) gets "seen=3" on one connection.
 */
function pipeline(socket: Socket, connectionId: number, firstTarget: string, rest: string): void {
  const waiting = [firstTarget];
  let buffer = rest;
  let answered = false;
  const answer = (target: string, seen: number) => {
    const body = `${target} seen=${seen} connection=${connectionId}`;
    socket.write(`HTTP/1.1 200 OK${CRLF}Content-Length: ${body.length}${CRLF}${CRLF}${body}`);
  };
  const answerWaiting = () => {
    if (answered) return;
    answered = true;
    clearTimeout(timer);
    const seen = waiting.length;
    for (const target of waiting.splice(0)) answer(target, seen);
  };
  const parse = () => {
    for (let end = buffer.indexOf('\r\n\r\n'); end !== -1; end = buffer.indexOf('\r\n\r\n')) {
      const target = buffer.slice(0, buffer.indexOf('\r\n')).split(' ')[1] ?? '/';
      buffer = buffer.slice(end + 4);
      // Requests after the held ones are answered at once, alone.
      if (answered) answer(target, 1);
      else waiting.push(target);
    }
    if (waiting.length >= PIPELINE_DEPTH) answerWaiting();
  };
  const timer = setTimeout(answerWaiting, 1000);
  timer.unref();
  socket.on('close', () => clearTimeout(timer));
  socket.on('data', (chunk: Buffer) => {
    buffer += chunk.toString('latin1');
    parse();
  });
  parse();
}

export interface RawServer {
  readonly url: URL;
  readonly tracker: SocketTracker;
  close(): Promise<void>;
}

const MAX_HEAD = 64 * 1024;

export async function startRawServer(): Promise<RawServer> {
  const tracker = new SocketTracker();
  const attempts = new Map<string, number>();
  const server = createServer((socket) => {
    const connectionId = tracker.add(socket);
    socket.on('error', () => socket.destroy());
    let head = '';
    let exchange = 0;
    const onData = (chunk: Buffer) => {
      head += chunk.toString('latin1');
      const end = head.indexOf('\r\n\r\n');
      if (end === -1) {
        if (head.length > MAX_HEAD) socket.destroy();
        return;
      }
      const requestLine = head.slice(0, head.indexOf('\r\n'));
      head = head.slice(end + 4);
      const [method = 'GET', target = '/'] = requestLine.split(' ');
      const name = target.split('?')[0]?.replace(/^\/+/, '') ?? '';
      if (name === 'pipeline') {
        socket.off('data', onData);
        pipeline(socket, connectionId, target, head);
        return;
      }
      const script = SCRIPTS[name];
      exchange++;
      if (script) script(socket, { method, target, connectionId, exchange, attempts });
      else socket.end(`HTTP/1.1 404 Not Found${CRLF}Content-Length: 0${CRLF}${CRLF}`);
    };
    socket.on('data', onData);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: new URL(`http://127.0.0.1:${port}/`),
    tracker,
    close: () =>
      new Promise<void>((resolve) => {
        tracker.destroyAll();
        server.close(() => resolve());
      }),
  };
}
