import { StructuredFieldError } from './structured-field-error.js';
import {
  type BareItem,
  Decimal,
  DisplayString,
  type InnerList,
  type Item,
  isInnerList,
  type Member,
  type Parameters,
  type ParametersInit,
  Token,
} from './structured-field-types.js';
import { isTokenChar } from './syntax.js';

/**
 * RFC 9651 §4.1 serialisation. These build headers we send, so they
 * validate everything and throw `StructuredFieldError` on a value the RFC
 * cannot express; whatever they return is safe to put on the wire.
 *
 * A plain JS number that is not an integer is serialised as a Decimal, so
 * `item(0.5)` works; wrap a whole number in `Decimal` to get `1.0`.
 */

/** §4.1.1. An empty List gives "": the RFC says to omit the field then. */
export function serializeList(list: ReadonlyArray<Member>): string {
  let text = '';
  for (let index = 0; index < list.length; index++) {
    if (index > 0) text += ', ';
    text += serializeMember(list[index] as Member);
  }
  return text;
}

/** §4.1.2. Accepts a Map or a plain object (own keys only). An empty Dictionary gives "". */
export function serializeDictionary(
  dictionary: ReadonlyMap<string, Member> | Readonly<Record<string, Member>>,
): string {
  const entries: Iterable<[string, Member]> =
    dictionary instanceof Map ? dictionary.entries() : Object.entries(dictionary as Record<string, Member>);
  let text = '';
  for (const [key, member] of entries) {
    if (text !== '') text += ', ';
    text += serializeKey(key);
    if (typeof member === 'object' && member !== null && !isInnerList(member) && member.value === true) {
      text += serializeParameters(member.parameters);
    } else {
      text += `=${serializeMember(member)}`;
    }
  }
  return text;
}

/** §4.1.3. */
export function serializeItem(item: Item): string {
  if (typeof item !== 'object' || item === null) {
    throw new StructuredFieldError(
      'an Item must be an object { value, parameters }; use item() to build one',
    );
  }
  return serializeBareItem(item.value) + serializeParameters(item.parameters);
}

function serializeMember(member: Member): string {
  if (typeof member !== 'object' || member === null) {
    throw new StructuredFieldError('a member must be an Item or an Inner List; use item() to wrap a value');
  }
  return isInnerList(member) ? serializeInnerList(member) : serializeItem(member);
}

/** §4.1.1.1. */
function serializeInnerList(list: InnerList): string {
  let text = '(';
  for (let index = 0; index < list.items.length; index++) {
    if (index > 0) text += ' ';
    text += serializeItem(list.items[index] as Item);
  }
  return `${text})${serializeParameters(list.parameters)}`;
}

/** §4.1.1.2: a parameter whose value is true is written as its key alone. */
function serializeParameters(parameters: Parameters | ParametersInit | undefined): string {
  if (parameters === undefined || parameters === null) return '';
  if (typeof parameters !== 'object') throw new StructuredFieldError('parameters must be a Map or an object');
  // A plain object is accepted too (own keys), as item() does.
  const entries: Iterable<[string, BareItem]> =
    parameters instanceof Map ? parameters : Object.entries(parameters as Readonly<Record<string, BareItem>>);
  let text = '';
  for (const [key, value] of entries) {
    text += `;${serializeKey(key)}`;
    if (value !== true) text += `=${serializeBareItem(value)}`;
  }
  return text;
}

/** §4.1.1.3: lcalpha or "*", then lcalpha, DIGIT, "_", "-", "." or "*". */
export function serializeKey(key: string): string {
  if (typeof key !== 'string' || key.length === 0)
    throw new StructuredFieldError('a key must be a non-empty string');
  const first = key.charCodeAt(0);
  if (!((first >= 0x61 && first <= 0x7a) || first === 0x2a)) {
    throw new StructuredFieldError(`key ${JSON.stringify(key)} must start with a lower-case letter or "*"`);
  }
  for (let index = 1; index < key.length; index++) {
    const code = key.charCodeAt(index);
    const ok =
      (code >= 0x61 && code <= 0x7a) ||
      (code >= 0x30 && code <= 0x39) ||
      code === 0x5f ||
      code === 0x2d ||
      code === 0x2e ||
      code === 0x2a;
    if (!ok)
      throw new StructuredFieldError(`key ${JSON.stringify(key)} contains a character keys may not hold`);
  }
  return key;
}

/** §4.1.3.1: serialises one bare item by its type. */
export function serializeBareItem(value: BareItem): string {
  switch (typeof value) {
    case 'number':
      return Number.isInteger(value) ? serializeInteger(value) : serializeDecimal(value);
    case 'string':
      return serializeString(value);
    case 'boolean':
      return value ? '?1' : '?0';
    case 'object':
      if (Token.is(value)) return serializeToken(value.value);
      if (Decimal.is(value)) return serializeDecimal(value.value);
      if (value instanceof Uint8Array)
        return `:${Buffer.from(value.buffer, value.byteOffset, value.byteLength).toString('base64')}:`;
      if (value instanceof Date) return serializeDate(value);
      if (DisplayString.is(value)) return serializeDisplayString(value.value);
      break;
  }
  throw new StructuredFieldError(`${describe(value)} is not a structured field bare item`);
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (typeof value === 'object') return `an object (${Object.prototype.toString.call(value)})`;
  return `a ${typeof value}`;
}

const MAX_INTEGER = 999_999_999_999_999;

/** §4.1.4: at most 15 digits. */
function serializeInteger(value: number): string {
  if (value > MAX_INTEGER || value < -MAX_INTEGER) {
    throw new StructuredFieldError(`integer ${value} is outside ±999,999,999,999,999`);
  }
  return value === 0 ? '0' : String(value);
}

/**
 * §4.1.5: rounded to 3 fractional digits, ties to even, at most 12 integer
 * digits. Rounding works on the shortest decimal text of the number (what
 * the caller wrote), not on its binary value: 0.0025 is a tie and gives
 * 0.002, as the RFC's examples expect.
 */
function serializeDecimal(value: number): string {
  if (!Number.isFinite(value)) throw new StructuredFieldError(`decimal ${value} is not finite`);
  const text = Math.abs(value).toString();
  let integerDigits: string;
  let fractionDigits: string;
  if (text.includes('e')) {
    // Exponent form only below 1e-6 (rounds to 0) or at 1e21 and above (too large).
    if (Math.abs(value) >= 1)
      throw new StructuredFieldError(`decimal ${value} has more than 12 integer digits`);
    integerDigits = '0';
    fractionDigits = '000';
  } else {
    const dot = text.indexOf('.');
    integerDigits = dot === -1 ? text : text.slice(0, dot);
    fractionDigits = dot === -1 ? '' : text.slice(dot + 1);
    if (fractionDigits.length > 3) {
      const rest = fractionDigits.slice(3);
      fractionDigits = fractionDigits.slice(0, 3);
      const lastKept = fractionDigits.charCodeAt(2) - 0x30;
      const first = rest.charCodeAt(0);
      const roundUp = first > 0x35 || (first === 0x35 && (/[1-9]/.test(rest.slice(1)) || lastKept % 2 === 1));
      if (roundUp) {
        const incremented = incrementDigits(integerDigits + fractionDigits);
        integerDigits = incremented.slice(0, incremented.length - 3);
        fractionDigits = incremented.slice(incremented.length - 3);
      }
    }
  }
  if (integerDigits.length > 12) {
    throw new StructuredFieldError(`decimal ${value} has more than 12 integer digits`);
  }
  let end = fractionDigits.length;
  while (end > 1 && fractionDigits.charCodeAt(end - 1) === 0x30) end--;
  fractionDigits = end === 0 ? '0' : fractionDigits.slice(0, end);
  const isZero = /^0+$/.test(integerDigits) && /^0+$/.test(fractionDigits);
  return `${value < 0 && !isZero ? '-' : ''}${integerDigits}.${fractionDigits}`;
}

/** Adds one to a string of decimal digits, growing it on carry ("999" -> "1000"). */
function incrementDigits(digits: string): string {
  const codes = digits.split('');
  for (let index = codes.length - 1; index >= 0; index--) {
    if (codes[index] === '9') {
      codes[index] = '0';
    } else {
      codes[index] = String(Number(codes[index]) + 1);
      return codes.join('');
    }
  }
  return `1${codes.join('')}`;
}

/** §4.1.6: printable ASCII only; " and \ are escaped. */
function serializeString(value: string): string {
  let text = '"';
  let chunkStart = 0;
  for (let index = 0; index < value.length; index++) {
    const code = value.charCodeAt(index);
    if (code < 0x20 || code > 0x7e) {
      throw new StructuredFieldError(
        'a String may hold printable ASCII only (use DisplayString for Unicode text)',
      );
    }
    if (code === 0x22 || code === 0x5c) {
      text += `${value.slice(chunkStart, index)}\\`;
      chunkStart = index;
    }
  }
  return `${text}${value.slice(chunkStart)}"`;
}

/** §4.1.7: ALPHA or "*", then tchar, ":" or "/". */
function serializeToken(value: string): string {
  const invalid = (): StructuredFieldError =>
    new StructuredFieldError(`${JSON.stringify(value)} is not a valid Token`);
  if (typeof value !== 'string' || value.length === 0) throw invalid();
  const first = value.charCodeAt(0);
  if (!((first >= 0x41 && first <= 0x5a) || (first >= 0x61 && first <= 0x7a) || first === 0x2a))
    throw invalid();
  for (let index = 1; index < value.length; index++) {
    const code = value.charCodeAt(index);
    if (!isTokenChar(code) && code !== 0x3a && code !== 0x2f) throw invalid();
  }
  return value;
}

/** §4.1.10: "@" and whole seconds; a Date with milliseconds cannot be sent. */
function serializeDate(value: Date): string {
  const milliseconds = value.getTime();
  if (Number.isNaN(milliseconds)) throw new StructuredFieldError('the Date is invalid');
  if (milliseconds % 1000 !== 0) throw new StructuredFieldError('a Date must be whole seconds');
  return `@${serializeInteger(milliseconds / 1000)}`;
}

const HEX = '0123456789abcdef';

/** §4.1.11: UTF-8, with %, " and every byte outside printable ASCII written as lower-case %xx. */
function serializeDisplayString(value: string): string {
  if (typeof value !== 'string' || !value.isWellFormed()) {
    throw new StructuredFieldError('a DisplayString must be well-formed Unicode (no lone surrogates)');
  }
  const bytes = new TextEncoder().encode(value);
  let text = '%"';
  for (let index = 0; index < bytes.length; index++) {
    const byte = bytes[index] as number;
    if (byte === 0x25 || byte === 0x22 || byte < 0x20 || byte > 0x7e) {
      text += `%${HEX[byte >> 4]}${HEX[byte & 0x0f]}`;
    } else {
      text += String.fromCharCode(byte);
    }
  }
  return `${text}"`;
}
