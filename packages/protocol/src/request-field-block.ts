import { fieldValueProblem, type HeaderList, isToken } from '@x/headers';

/*
 * The part of a request head that comes from its header list, checked and
 * written once per list content (HeaderList.memo): a client's default
 * fields, copied into every request, are validated and joined once instead
 * of on every request. Nothing here depends on the request itself.
 */

/**
 * True when a name of this length could be one of the fields the serializer
 * acts on: host (4), expect (6), connection (10), content-length (14),
 * transfer-encoding (17). Keep in step with the names compared below.
 */
function mayBeSpecialName(length: number): boolean {
  return length === 4 || length === 6 || length === 10 || length === 14 || length === 17;
}

/** What a request's header list contributes to its head, checked; request-independent, so cacheable. */
export interface FieldBlock {
  /** Why the fields cannot be sent (the serializer's error message), or null. */
  readonly problem: string | null;
  /** The field lines written as given, except those held apart below. */
  readonly text: string;
  readonly host: string | null;
  readonly contentLength: string | null;
  readonly transferEncoding: string | null;
  /** `Expect: 100-continue` was given (it is written only with content, decided per request). */
  readonly expectContinue: boolean;
  /** A Connection field with the `close` option. */
  readonly closeRequested: boolean;
  readonly hasConnection: boolean;
}

/** The `HeaderList.memo` key of the field block: private to this module. */
export const FIELD_BLOCK = Object.freeze({ name: 'serializer field block' });

/** The block of an empty list (most requests a pool sees from code that sets no fields). */
export const NO_FIELDS: FieldBlock = Object.freeze({
  problem: null,
  text: '',
  host: null,
  contentLength: null,
  transferEncoding: null,
  expectContinue: false,
  closeRequested: false,
  hasConnection: false,
});

function refused(problem: string): FieldBlock {
  return { ...NO_FIELDS, problem };
}

/**
 * Checks every field (a token name, a value without CR, LF, NUL or other
 * controls) and writes the field lines, holding apart the ones the
 * serializer decides on: Host, Content-Length, Transfer-Encoding (framing)
 * and Expect: 100-continue. A field given twice that must not be is a
 * problem, as is any invalid field: the request is refused with it.
 *
 * A list that begins with the fields of a list it was built from (a
 * client's default fields followed by a request's own, see
 * `HeaderList.extending`) starts from that prefix's block, memoised on the
 * prefix's content, and checks only the fields after it.
 */
export function fieldBlockOf(headers: HeaderList): FieldBlock {
  const prefix =
    typeof headers.prefixMemo === 'function' ? headers.prefixMemo(FIELD_BLOCK, fieldBlockOf) : null;
  if (prefix === null) return extendBlock(NO_FIELDS, headers.toRaw(), 0);
  if (prefix.value.problem !== null) return prefix.value;
  return extendBlock(prefix.value, headers.toRaw(), 2 * prefix.fields);
}

/** `start`'s block followed by the fields of `raw` from index `from` on. */
function extendBlock(start: FieldBlock, raw: readonly string[], from: number): FieldBlock {
  if (from === raw.length) return start;
  let host = start.host;
  let contentLength = start.contentLength;
  let transferEncoding = start.transferEncoding;
  let expectContinue = start.expectContinue;
  let closeRequested = start.closeRequested;
  let hasConnection = start.hasConnection;
  let text = start.text;
  // The flat [name, value, ...] copy read by index: no generator and no
  // [name, value] pair per field, which showed in profiles of small heads.
  for (let index = from; index < raw.length; index += 2) {
    const name = raw[index] as string;
    const value = raw[index + 1] as string;
    if (!isToken(name)) return refused(`Header name ${JSON.stringify(name)} is not a token`);
    const problem = fieldValueProblem(value);
    if (problem !== null) return refused(`Header ${name} ${problem}`);
    // Only a name as long as one of the fields handled below can be one of
    // them, so most names are written without being lower-cased. A token is
    // ASCII, so its UTF-16 length is its length on the wire.
    if (!mayBeSpecialName(name.length)) {
      text += `${name}: ${value}\r\n`;
      continue;
    }
    const key = name.toLowerCase();
    if (key === 'host') {
      if (host !== null) return refused('Host given twice');
      host = value;
      continue;
    }
    if (key === 'content-length') {
      if (contentLength !== null) return refused('Content-Length given twice');
      contentLength = value;
      continue;
    }
    if (key === 'transfer-encoding') {
      if (transferEncoding !== null) return refused('Transfer-Encoding given twice');
      transferEncoding = value;
      continue;
    }
    if (key === 'expect' && value.toLowerCase() === '100-continue') {
      // RFC 9110 §10.1.1: never sent without content; decided per request.
      expectContinue = true;
      continue;
    }
    if (key === 'connection') {
      hasConnection = true;
      if (
        value
          .toLowerCase()
          .split(',')
          .some((token) => token.trim() === 'close')
      )
        closeRequested = true;
    }
    text += `${name}: ${value}\r\n`;
  }
  // Flattened once here (charCodeAt flattens a string built by `+=` in
  // place), so the heads that reuse this block copy one piece, not a tree.
  if (text.length > 0) text.charCodeAt(0);
  return {
    problem: null,
    text,
    host,
    contentLength,
    transferEncoding,
    expectContinue,
    closeRequested,
    hasConnection,
  };
}
