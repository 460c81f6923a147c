import { randomBytes } from 'node:crypto';
import { HttpClientError, type RequestBody } from '@x/core';

const encoder = new TextEncoder();
const CRLF = encoder.encode('\r\n');

/** One entry of the form, snapshotted when the body is made. */
type Part =
  | { readonly kind: 'text'; readonly head: Uint8Array; readonly value: Uint8Array }
  | { readonly kind: 'file'; readonly head: Uint8Array; readonly file: Blob };

/**
 * A `multipart/form-data` request body (RFC 7578) from a WHATWG FormData.
 *
 * - The boundary is 24 random bytes from `crypto.randomBytes` (SECURITY.md
 *   rule 5): a boundary a server or an attacker can predict lets a field's
 *   value close its part and forge new fields (undici CVE-2025-22150).
 * - Files are streamed from `Blob.stream()` chunk by chunk, never buffered
 *   whole; the length is known up front (every FormData entry is a string or
 *   a File of known size), so it goes out with Content-Length.
 * - Replayable: a Blob can be read again, so redirects and retries work.
 * - Names and filenames are escaped as the HTML standard's
 *   multipart/form-data encoding algorithm says (RFC 7578 §4.2 defers to
 *   it): line breaks normalised to CRLF, then `"`, CR and LF
 *   percent-encoded, so no value can end the Content-Disposition field.
 *   Text values get their line breaks normalised to CRLF, as browsers do.
 * - The entries are read once, here: changing the FormData afterwards does
 *   not change what is sent (or make the length wrong).
 */
export function formDataBody(form: FormData): RequestBody {
  if (typeof FormData === 'undefined' || !(form instanceof FormData)) {
    throw new HttpClientError('INVALID_REQUEST', 'formDataBody needs a FormData', { requestSent: false });
  }
  const boundary = `x-http-${randomBytes(24).toString('hex')}`;
  const parts: Part[] = [];
  for (const [name, value] of form) {
    const disposition = `form-data; name="${escapeQuoted(name)}"`;
    if (typeof value === 'string') {
      const head = encoder.encode(`--${boundary}\r\nContent-Disposition: ${disposition}\r\n\r\n`);
      parts.push({ kind: 'text', head, value: encoder.encode(normaliseLineBreaks(value)) });
    } else {
      // RFC 7578 §4.4: a file part carries its media type, application/octet-stream when unknown.
      const type = value.type === '' ? 'application/octet-stream' : checkedMediaType(value.type);
      const head = encoder.encode(
        `--${boundary}\r\nContent-Disposition: ${disposition}; filename="${escapeQuoted(value.name)}"\r\n` +
          `Content-Type: ${type}\r\n\r\n`,
      );
      parts.push({ kind: 'file', head, file: value });
    }
  }
  const closing = encoder.encode(`--${boundary}--\r\n`);
  let length = closing.byteLength;
  for (const part of parts) {
    length += part.head.byteLength + CRLF.byteLength;
    length += part.kind === 'text' ? part.value.byteLength : part.file.size;
  }
  return {
    length,
    replayable: true,
    contentType: `multipart/form-data; boundary=${boundary}`,
    open: () => encodeParts(parts, closing),
  };
}

/** The form's bytes, part by part; a file's bytes as its stream gives them. */
async function* encodeParts(parts: readonly Part[], closing: Uint8Array): AsyncGenerator<Uint8Array> {
  for (const part of parts) {
    yield part.head;
    if (part.kind === 'text') {
      if (part.value.byteLength > 0) yield part.value;
    } else {
      yield* blobChunks(part.file);
    }
    yield CRLF;
  }
  yield closing;
}

async function* blobChunks(blob: Blob): AsyncGenerator<Uint8Array> {
  const reader = blob.stream().getReader();
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return;
      if (value.byteLength > 0) yield value;
    }
  } finally {
    // Leaving early (abort, a failed write) stops the file read too.
    await reader.cancel().catch(() => undefined);
    reader.releaseLock();
  }
}

/** HTML standard, multipart/form-data encoding: CRLF-normalise, then escape `"`, CR, LF. */
function escapeQuoted(text: string): string {
  return normaliseLineBreaks(text).replace(/[\r\n"]/g, (character) =>
    character === '\r' ? '%0D' : character === '\n' ? '%0A' : '%22',
  );
}

/** A lone CR or a lone LF becomes CRLF. */
function normaliseLineBreaks(text: string): string {
  return text.replace(/\r\n|\r|\n/g, '\r\n');
}

/** Blob normalises its `type` to printable ASCII; a look-alike object might not (SECURITY.md rule 1). */
function checkedMediaType(type: string): string {
  if (/^[\x20-\x7e]+$/.test(type)) return type;
  throw new HttpClientError('INVALID_REQUEST', 'A form file has a media type with control characters', {
    requestSent: false,
  });
}
