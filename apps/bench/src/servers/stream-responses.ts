/**
 * Large and chunked bodies for the stream server, as pure functions so the
 * scenarios can compute exactly what a complete response looks like.
 */

// The time this module loaded (IMF-fixdate, fixed width), as a live server would send.
const SERVER_HEADERS = `date: ${new Date().toUTCString()}\r\nserver: x-bench\r\n`;

/** The repeating body pattern: printable bytes, so a broken client shows visibly wrong text. */
export function bodyPattern(size: number): Buffer {
  const buffer = Buffer.allocUnsafe(size);
  for (let index = 0; index < size; index++) buffer[index] = 97 + (index % 26);
  return buffer;
}

/** Head of a Content-Length download of `bytes` bytes. */
export function downloadHead(bytes: number): Buffer {
  return Buffer.from(
    `HTTP/1.1 200 OK\r\n${SERVER_HEADERS}content-type: application/octet-stream\r\ncontent-length: ${bytes}\r\n\r\n`,
    'latin1',
  );
}

export interface ChunkedResponse {
  readonly bytes: Buffer;
  readonly bodyBytes: number;
  readonly trailers: Readonly<Record<string, string>>;
}

/**
 * A chunked response (RFC 9112 §7.1) of `bodyBytes` in chunks of
 * `chunkBytes`, announcing and then sending two trailer fields (§7.1.2,
 * RFC 9110 §6.6.2 `Trailer`).
 */
export function chunkedResponse(bodyBytes: number, chunkBytes: number): ChunkedResponse {
  const body = bodyPattern(bodyBytes);
  let checksum = 0;
  for (const byte of body) checksum = (checksum + byte) >>> 0;
  const parts: Buffer[] = [
    Buffer.from(
      `HTTP/1.1 200 OK\r\n${SERVER_HEADERS}content-type: application/octet-stream\r\ntransfer-encoding: chunked\r\ntrailer: x-checksum, x-chunk-count\r\n\r\n`,
      'latin1',
    ),
  ];
  let chunks = 0;
  for (let offset = 0; offset < bodyBytes; offset += chunkBytes) {
    const slice = body.subarray(offset, Math.min(offset + chunkBytes, bodyBytes));
    parts.push(
      Buffer.from(`${slice.length.toString(16)}\r\n`, 'latin1'),
      slice,
      Buffer.from('\r\n', 'latin1'),
    );
    chunks++;
  }
  const trailers = { 'x-checksum': checksum.toString(16), 'x-chunk-count': String(chunks) };
  parts.push(
    Buffer.from(
      `0\r\nx-checksum: ${trailers['x-checksum']}\r\nx-chunk-count: ${trailers['x-chunk-count']}\r\n\r\n`,
      'latin1',
    ),
  );
  return { bytes: Buffer.concat(parts), bodyBytes, trailers };
}

/** Parses `?bytes=N&chunk=M` with bounds, so a typo cannot ask the server for terabytes. */
export function streamParameters(target: string): { path: string; bytes: number; chunk: number } | null {
  const url = new URL(target, 'http://127.0.0.1');
  const bytes = Number(url.searchParams.get('bytes') ?? '0');
  const chunk = Number(url.searchParams.get('chunk') ?? '16384');
  const valid = (value: number, max: number) => Number.isSafeInteger(value) && value >= 0 && value <= max;
  if (!valid(bytes, 8 * 1024 * 1024 * 1024) || !valid(chunk, 16 * 1024 * 1024) || chunk === 0) return null;
  return { path: url.pathname, bytes, chunk };
}
