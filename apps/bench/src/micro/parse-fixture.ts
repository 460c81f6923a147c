/**
 * The canned bytes of the response-parsing scenario: a typical API response
 * head (status line and 12 fields, 430-odd bytes) with a 1 KiB
 * Content-Length body, as one contiguous buffer.
 */
export const PARSE_BODY_BYTES = 1024;

export const PARSE_HEADER_COUNT = 12;

export function parseFixture(): Uint8Array {
  const head =
    'HTTP/1.1 200 OK\r\n' +
    'Date: Tue, 24 Nov 2026 09:00:00 GMT\r\n' +
    'Server: x-bench\r\n' +
    'Content-Type: application/json; charset=utf-8\r\n' +
    `Content-Length: ${PARSE_BODY_BYTES}\r\n` +
    'Cache-Control: private, max-age=0, must-revalidate\r\n' +
    'ETag: "33a64df551425fcc55e4d42a148795d9f25f89d4"\r\n' +
    'Vary: Accept-Encoding, Origin\r\n' +
    'X-Request-Id: 5f0c6a3e-8d2b-4c1e-9a7f-2b3c4d5e6f70\r\n' +
    'Strict-Transport-Security: max-age=63072000; includeSubDomains\r\n' +
    'Access-Control-Allow-Origin: *\r\n' +
    'Set-Cookie: session=abc123; Path=/; HttpOnly; Secure; SameSite=Lax\r\n' +
    'Connection: keep-alive\r\n' +
    '\r\n';
  const bytes = new Uint8Array(head.length + PARSE_BODY_BYTES);
  bytes.set(Buffer.from(head, 'latin1'));
  bytes.fill(120, head.length);
  return bytes;
}

/** What every parser must report for the fixture: fields + body bytes. */
export const PARSE_CHECK = PARSE_HEADER_COUNT + PARSE_BODY_BYTES;
