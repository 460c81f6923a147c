import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import {
  type BareItem,
  Decimal,
  type Dictionary,
  DisplayString,
  type Item,
  isInnerList,
  type List,
  type Member,
  type Parameters as StructuredParameters,
  Token,
} from '../src/index.js';

/**
 * Reads the httpwg structured-field-tests vectors from /work/shared (the
 * repository root's parent) as they are, and maps their JSON encoding
 * (see that folder's README.md) onto our types. JSON numbers are read with
 * their source text (JSON.parse's reviver context), so `1.0` in a vector
 * becomes a Decimal, not the integer 1.
 */

export const VECTOR_FOLDER = fileURLToPath(
  new URL('../../../../shared/vectors/structured-field-tests/', import.meta.url),
);

export interface Vector {
  name: string;
  raw?: string[];
  header_type: 'item' | 'list' | 'dictionary';
  expected?: unknown;
  must_fail?: boolean;
  can_fail?: boolean;
  canonical?: string[];
}

class SourceNumber {
  constructor(readonly source: string) {}
}

export function readVectors(relativePath: string): Vector[] {
  const text = readFileSync(VECTOR_FOLDER + relativePath, 'utf8');
  const reviver = (_key: string, value: unknown, context?: { source?: string }): unknown =>
    typeof value === 'number' && context?.source !== undefined ? new SourceNumber(context.source) : value;
  return JSON.parse(text, reviver as Parameters<typeof JSON.parse>[1]) as Vector[];
}

export function vectorFiles(subfolder = ''): string[] {
  return readdirSync(VECTOR_FOLDER + subfolder)
    .filter((file) => file.endsWith('.json'))
    .sort()
    .map((file) => subfolder + file);
}

type Json = unknown;

function toBareItem(value: Json): BareItem {
  if (value instanceof SourceNumber) {
    return /[.eE]/.test(value.source) ? new Decimal(Number(value.source)) : Number(value.source);
  }
  if (typeof value === 'string' || typeof value === 'boolean') return value;
  const tagged = value as { __type: string; value: Json };
  switch (tagged.__type) {
    case 'token':
      return new Token(tagged.value as string);
    case 'binary':
      return base32Decode(tagged.value as string);
    case 'date':
      return new Date(Number((tagged.value as SourceNumber).source) * 1000);
    case 'displaystring':
      return new DisplayString(tagged.value as string);
  }
  throw new Error(`unknown bare item in vector: ${JSON.stringify(value)}`);
}

function toParameters(pairs: Json): StructuredParameters {
  const map: StructuredParameters = new Map();
  for (const [key, value] of pairs as [string, Json][]) map.set(key, toBareItem(value));
  return map;
}

function toMember(value: Json): Member {
  const [first, parameters] = value as [Json, Json];
  if (Array.isArray(first)) {
    return { items: first.map((entry) => toMember(entry) as Item), parameters: toParameters(parameters) };
  }
  return { value: toBareItem(first), parameters: toParameters(parameters) };
}

export function toModel(type: Vector['header_type'], expected: Json): Item | List | Dictionary {
  if (type === 'item') return toMember(expected) as Item;
  if (type === 'list') return (expected as Json[]).map(toMember);
  const dictionary: Dictionary = new Map();
  for (const [key, member] of expected as [string, Json][]) dictionary.set(key, toMember(member));
  return dictionary;
}

/** A plain, order-preserving form of a parsed value for deep equality. */
export function comparable(
  value: Item | List | Dictionary | BareItem | Member | StructuredParameters,
): unknown {
  if (value instanceof Map) return [...value].map(([key, member]) => [key, comparable(member)]);
  if (Array.isArray(value)) return value.map((member) => comparable(member));
  if (value instanceof Token) return { token: value.value };
  if (value instanceof Decimal) return { decimal: value.value };
  if (value instanceof DisplayString) return { display: value.value };
  if (value instanceof Date) return { date: value.getTime() / 1000 };
  if (value instanceof Uint8Array) return { binary: [...value] };
  if (typeof value === 'object' && value !== null) {
    const member = value as Member;
    return isInnerList(member)
      ? { items: member.items.map((entry) => comparable(entry)), parameters: comparable(member.parameters) }
      : { value: comparable(member.value), parameters: comparable(member.parameters) };
  }
  return value;
}

/** RFC 4648 §6 base32, as the vectors encode byte sequences. */
function base32Decode(text: string): Uint8Array {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  const bytes: number[] = [];
  let buffer = 0;
  let bits = 0;
  for (const char of text.replace(/=+$/, '')) {
    buffer = (buffer << 5) | alphabet.indexOf(char);
    bits += 5;
    if (bits >= 8) {
      bits -= 8;
      bytes.push((buffer >> bits) & 0xff);
    }
  }
  return new Uint8Array(bytes);
}
