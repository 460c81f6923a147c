/**
 * `x-http -v`: the head of every request as the connection will write it and
 * of every response as it arrived, on stderr, curl's "> " and "< " style.
 *
 * The tap is the innermost layer (directly over the pool, below decode,
 * cache, cookies, retry and redirect), so each redirect hop and each retry
 * attempt is shown, with the Cookie and Accept-Encoding fields the layers
 * added, and the response before decoding. The request head is produced by
 * the protocol's own serializer, so Host and framing fields are the ones
 * sent. A proxy's absolute-form target and Proxy-Authorization are added
 * below the tap and are not shown.
 *
 * Credentials never reach the terminal: Authorization and
 * Proxy-Authorization keep only their scheme, Cookie and Set-Cookie only
 * cookie names and attributes.
 */
import type { HttpRequest, HttpResponse, HttpTransport, Layer } from '@x/core';
import type { HeaderList } from '@x/headers';
import { serializeRequestHead } from '@x/protocol';

export const REDACTED = '[redacted]';

/** A field value with its secret parts replaced by [redacted]; other fields unchanged. */
export function redactFieldValue(name: string, value: string): string {
  switch (name.toLowerCase()) {
    case 'authorization':
    case 'proxy-authorization': {
      // RFC 9110 §11.4: credentials = auth-scheme [ 1*SP ( token68 / #auth-param ) ].
      const space = value.indexOf(' ');
      return space === -1 ? REDACTED : `${value.slice(0, space)} ${REDACTED}`;
    }
    case 'cookie':
      // RFC 6265bis §4.2.1: cookie-string = cookie-pair *( ";" SP cookie-pair ).
      return value
        .split(';')
        .map((pair) => `${cookieName(pair)}=${REDACTED}`)
        .join('; ');
    case 'set-cookie': {
      // §4.1.1: the first pair is the cookie; the attributes after it hold no secret.
      const semicolon = value.indexOf(';');
      const pair = semicolon === -1 ? value : value.slice(0, semicolon);
      return `${cookieName(pair)}=${REDACTED}${semicolon === -1 ? '' : value.slice(semicolon)}`;
    }
    default:
      return value;
  }
}

function cookieName(pair: string): string {
  const equals = pair.indexOf('=');
  return (equals === -1 ? '' : pair.slice(0, equals)).trim();
}

/** "> "-prefixed lines of a serialized request head, values redacted. */
export function formatRequestHead(head: string): string {
  const lines = head.split('\r\n').filter((line) => line !== '');
  const [requestLine = '', ...fields] = lines;
  let text = `> ${requestLine}\n`;
  for (const field of fields) {
    const colon = field.indexOf(':');
    const name = field.slice(0, colon);
    text += `> ${name}: ${redactFieldValue(name, field.slice(colon + 1).trim())}\n`;
  }
  return `${text}>\n`;
}

/** "< "-prefixed status line and fields of a response, values redacted. */
export function formatResponseHead(
  httpVersion: string,
  status: number,
  reason: string,
  headers: HeaderList,
): string {
  let text = `< HTTP/${httpVersion} ${status}${reason === '' ? '' : ` ${reason}`}\n`;
  for (const [name, value] of headers) text += `< ${name}: ${redactFieldValue(name, value)}\n`;
  return `${text}<\n`;
}

/** The tap as a transport: writes each head, changes nothing. */
export function withVerboseHeads(inner: HttpTransport, write: (text: string) => void): HttpTransport {
  return {
    async request(request: HttpRequest): Promise<HttpResponse> {
      let head: string | undefined;
      try {
        head = serializeRequestHead(request).head.toString('latin1');
      } catch {
        // An invalid request: the connection refuses it with the same error, and nothing is sent.
      }
      if (head !== undefined) write(formatRequestHead(head));
      const response = await inner.request(request);
      write(formatResponseHead(response.httpVersion, response.status, response.reason, response.headers));
      return response;
    },
    close: () => inner.close(),
  };
}

export function verboseHeads(write: (text: string) => void): Layer {
  return (inner) => withVerboseHeads(inner, write);
}
