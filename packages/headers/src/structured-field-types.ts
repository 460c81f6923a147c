/**
 * The data model of RFC 9651 Structured Field Values (§3), mapped onto
 * JavaScript so that every value round-trips with its type:
 *
 * | RFC 9651 type       | JavaScript                                   |
 * | ------------------- | -------------------------------------------- |
 * | Integer (§3.3.1)    | `number` (always an integer)                 |
 * | Decimal (§3.3.2)    | `Decimal` (wraps a number; `1.0` stays decimal) |
 * | String (§3.3.3)     | `string`                                     |
 * | Token (§3.3.4)      | `Token`                                      |
 * | Byte Sequence (§3.3.5) | `Uint8Array`                              |
 * | Boolean (§3.3.6)    | `boolean`                                    |
 * | Date (§3.3.7)       | `Date` (whole seconds)                       |
 * | Display String (§3.3.8) | `DisplayString`                          |
 *
 * Integer and Decimal need different representations because a JS number
 * cannot say whether it was written `1` or `1.0`, and the two serialise
 * differently. Token and DisplayString wrap a string for the same reason.
 */

const TOKEN_BRAND = Symbol.for('@x/headers.Token');
const DECIMAL_BRAND = Symbol.for('@x/headers.Decimal');
const DISPLAY_STRING_BRAND = Symbol.for('@x/headers.DisplayString');

function hasBrand(value: unknown, brand: symbol): boolean {
  return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[brand] === true;
}

/** An RFC 9651 §3.3.4 Token: a short textual word whose identity is its spelling. */
export class Token {
  readonly value: string;
  constructor(value: string) {
    this.value = value;
  }
  toString(): string {
    return this.value;
  }
  get [TOKEN_BRAND](): true {
    return true;
  }
  /** True for a Token from any copy of `@x/headers` (duplicate installs are normal). */
  static is(value: unknown): value is Token {
    return hasBrand(value, TOKEN_BRAND);
  }
}

/** An RFC 9651 §3.3.2 Decimal: at most 12 integer and 3 fractional digits. */
export class Decimal {
  readonly value: number;
  constructor(value: number) {
    this.value = value;
  }
  valueOf(): number {
    return this.value;
  }
  get [DECIMAL_BRAND](): true {
    return true;
  }
  /** True for a Decimal from any copy of `@x/headers`. */
  static is(value: unknown): value is Decimal {
    return hasBrand(value, DECIMAL_BRAND);
  }
}

/** An RFC 9651 §3.3.8 Display String: Unicode text meant for people, sent percent-encoded. */
export class DisplayString {
  readonly value: string;
  constructor(value: string) {
    this.value = value;
  }
  toString(): string {
    return this.value;
  }
  get [DISPLAY_STRING_BRAND](): true {
    return true;
  }
  /** True for a DisplayString from any copy of `@x/headers`. */
  static is(value: unknown): value is DisplayString {
    return hasBrand(value, DISPLAY_STRING_BRAND);
  }
}

/** Any bare item (RFC 9651 §3.3). */
export type BareItem = number | Decimal | string | Token | Uint8Array | boolean | Date | DisplayString;

/** Ordered parameters (§3.1.2); keys are lower-case RFC 9651 keys. */
export type Parameters = Map<string, BareItem>;

/** An Item (§3.3): a bare item with parameters. */
export interface Item {
  readonly value: BareItem;
  readonly parameters: Parameters;
}

/** An Inner List (§3.1.1): items in parentheses, with parameters of its own. */
export interface InnerList {
  readonly items: Item[];
  readonly parameters: Parameters;
}

/** A member of a List or a value of a Dictionary. Tell them apart with `isInnerList`. */
export type Member = Item | InnerList;

/** A List (§3.1). */
export type List = Member[];

/** A Dictionary (§3.2): ordered; a repeated key keeps its first position and last value. */
export type Dictionary = Map<string, Member>;

/** What callers may pass as parameters: a Map, or a plain object read by own keys only. */
export type ParametersInit = ReadonlyMap<string, BareItem> | Readonly<Record<string, BareItem>>;

/** True when a List member or Dictionary value is an Inner List. */
export function isInnerList(member: Member): member is InnerList {
  return (member as InnerList).items !== undefined;
}

/** Builds an Item; `parameters` may be a Map or a plain object. */
export function item(value: BareItem, parameters?: ParametersInit): Item {
  return { value, parameters: toParameters(parameters) };
}

/** Builds an Inner List; bare values are wrapped as Items without parameters. */
export function innerList(items: ReadonlyArray<Item | BareItem>, parameters?: ParametersInit): InnerList {
  return { items: items.map(toItem), parameters: toParameters(parameters) };
}

function toItem(value: Item | BareItem): Item {
  return isItem(value) ? value : { value, parameters: new Map() };
}

function isItem(value: Item | BareItem): value is Item {
  return (
    typeof value === 'object' &&
    value !== null &&
    (value as Item).parameters instanceof Map &&
    Object.hasOwn(value, 'value')
  );
}

/** Copies a ParametersInit into a fresh Map (own enumerable keys only for objects). */
export function toParameters(parameters: ParametersInit | undefined): Parameters {
  if (parameters === undefined) return new Map();
  if (parameters instanceof Map) return new Map(parameters);
  const map: Parameters = new Map();
  const record = parameters as Readonly<Record<string, BareItem>>;
  for (const key of Object.keys(record)) map.set(key, record[key] as BareItem);
  return map;
}
