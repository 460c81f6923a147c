import net, { type AddressInfo, type Socket } from 'node:net';

/** One SOCKS5 client as the server saw it, step by step. */
export interface SocksSeen {
  /** Methods the greeting offered (0 none, 2 username/password). */
  methods: number[];
  /** RFC 1929 credentials, when the client sent some. */
  credentials?: { readonly username: string; readonly password: string };
  /** The CONNECT destination: ATYP 1/4 as `address`, ATYP 3 as `domain`. */
  destination?: { readonly type: 'address' | 'domain'; readonly host: string; readonly port: number };
}

export interface SocksBehaviour {
  /** Names the server resolves (ATYP 3) to a loopback port; the address 127.0.0.1 goes to its own port. */
  readonly hosts?: Readonly<Record<string, number>>;
  /** Require username/password (method 2); a client that does not offer it gets X'FF'. */
  readonly requireCredentials?: { readonly username: string; readonly password: string };
  /** Answer every CONNECT with this reply code instead of connecting. */
  readonly reply?: number;
  /** Stop answering after this step (a stalled proxy). */
  readonly hangAfter?: 'accept' | 'greeting';
  /** Answer the greeting with these bytes instead of a method choice. */
  readonly greetingAnswer?: readonly number[];
  /** Close as soon as the greeting arrives. */
  readonly closeOnGreeting?: boolean;
}

export interface TestSocksServer {
  readonly port: number;
  /** `socks5://127.0.0.1:<port>` */
  readonly url: string;
  readonly seen: SocksSeen[];
  /** Client connections accepted. */
  connections(): number;
  /** Sockets open on the server: client connections and the upstream ones. */
  openSockets(): number;
  close(): Promise<void>;
}

/**
 * A SOCKS5 server (RFC 1928 CONNECT, RFC 1929 auth) written for the tests,
 * on 127.0.0.1. It never connects anywhere but 127.0.0.1: names resolve
 * through `hosts` only, and other destinations get reply 4 (host unreachable).
 */
export async function startSocks5Server(behaviour: SocksBehaviour = {}): Promise<TestSocksServer> {
  const seen: SocksSeen[] = [];
  const sockets = new Set<Socket>();
  let connections = 0;
  const track = (socket: Socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => undefined);
  };
  const server = net.createServer((client) => {
    connections++;
    track(client);
    const record: SocksSeen = { methods: [] };
    seen.push(record);
    if (behaviour.hangAfter === 'accept') {
      // Reads and ignores: the client's close is still seen, so no socket stays open.
      client.resume();
      return;
    }
    serve(client, record, behaviour, track);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    port,
    url: `socks5://127.0.0.1:${port}`,
    seen,
    connections: () => connections,
    openSockets: () => sockets.size,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

/** Reads one client's handshake as a sequence of awaited byte counts. */
function serve(
  client: Socket,
  record: SocksSeen,
  behaviour: SocksBehaviour,
  track: (socket: Socket) => void,
): void {
  let buffered = Buffer.alloc(0);
  let waiting: { count: number; resolve: (bytes: Buffer) => void } | null = null;
  const deliver = () => {
    if (waiting === null || buffered.length < waiting.count) return;
    const { count, resolve } = waiting;
    waiting = null;
    const bytes = buffered.subarray(0, count);
    buffered = buffered.subarray(count);
    resolve(bytes);
  };
  const read = (count: number) =>
    new Promise<Buffer>((resolve) => {
      waiting = { count, resolve };
      deliver();
    });
  const onData = (chunk: Buffer) => {
    buffered = Buffer.concat([buffered, chunk]);
    deliver();
  };
  client.on('data', onData);
  client.on('end', () => client.destroy());

  const handshake = async () => {
    const [, count = 0] = await read(2);
    record.methods = [...(await read(count))];
    if (behaviour.closeOnGreeting === true) return client.destroy();
    if (behaviour.hangAfter === 'greeting') return;
    if (behaviour.greetingAnswer !== undefined) return client.write(Buffer.from(behaviour.greetingAnswer));
    const required = behaviour.requireCredentials;
    if (required !== undefined) {
      if (!record.methods.includes(2)) return client.end(Buffer.from([5, 0xff]));
      client.write(Buffer.from([5, 2]));
      const [, userLength = 0] = await read(2);
      const username = (await read(userLength)).toString('utf8');
      const [passwordLength = 0] = await read(1);
      const password = (await read(passwordLength)).toString('utf8');
      record.credentials = { username, password };
      if (username !== required.username || password !== required.password)
        return client.end(Buffer.from([1, 1]));
      client.write(Buffer.from([1, 0]));
    } else {
      client.write(Buffer.from([5, 0]));
    }
    const [, , , type] = await read(4);
    let host: string;
    if (type === 1) host = [...(await read(4))].join('.');
    else if (type === 4) host = net.SocketAddress.parse(`[${ipv6Text(await read(16))}]:1`)?.address ?? '';
    else {
      const [length = 0] = await read(1);
      host = (await read(length)).toString('utf8');
    }
    const destinationPort = (await read(2)).readUInt16BE(0);
    record.destination = { type: type === 3 ? 'domain' : 'address', host, port: destinationPort };
    const answer = (code: number) => Buffer.from([5, code, 0, 1, 127, 0, 0, 1, 0, 0]);
    if (behaviour.reply !== undefined) return client.end(answer(behaviour.reply));
    const hosts = behaviour.hosts ?? {};
    const upstreamPort =
      type === 3
        ? Object.hasOwn(hosts, host)
          ? hosts[host]
          : undefined
        : host === '127.0.0.1'
          ? destinationPort
          : undefined;
    if (upstreamPort === undefined) return client.end(answer(4));
    client.off('data', onData);
    client.pause();
    const upstream = net.connect({ host: '127.0.0.1', port: upstreamPort });
    track(upstream);
    upstream.once('error', () => client.end(answer(5)));
    upstream.once('connect', () => {
      upstream.removeAllListeners('error');
      upstream.on('error', () => client.destroy());
      client.write(answer(0));
      if (buffered.length > 0) upstream.write(buffered);
      client.pipe(upstream);
      upstream.pipe(client);
      client.resume();
    });
    upstream.on('close', () => client.destroy());
    client.on('close', () => upstream.destroy());
  };
  handshake().catch(() => client.destroy());
}

function ipv6Text(bytes: Buffer): string {
  const groups: string[] = [];
  for (let index = 0; index < 16; index += 2) groups.push(bytes.readUInt16BE(index).toString(16));
  return groups.join(':');
}
