import { InvalidHeaderError } from './invalid-header-error.js';
import { asciiLower, fieldValueProblem, isToken, trimOws } from './syntax.js';

/** Anything a caller may build a HeaderList from. Records are read by own keys only. */
export type HeaderInit =
  | HeaderList
  | Iterable<readonly [string, string]>
  | Readonly<Record<string, string | number | readonly string[] | undefined>>;

/**
 * An ordered list of header fields, as they go on (or came off) the wire.
 *
 * - Lookup is case-insensitive; the casing a caller gave is kept for the wire.
 * - A name may occur many times; `get` combines them with ", " (RFC 9110
 *   §5.3), `getAll` keeps them apart (use it for Set-Cookie, which must not
 *   be combined).
 * - Every mutation validates: names must be tokens, values may not hold CR,
 *   LF, NUL or other controls, and leading/trailing whitespace is trimmed.
 *   Invalid input throws `InvalidHeaderError`; nothing is changed then.
 *
 * Storage is three parallel arrays rather than a Map because header sections
 * are small (a linear scan beats hashing for < ~30 fields), order must be
 * kept, and the parser can hand over its arrays without re-validation.
 */
export class HeaderList implements Iterable<[string, string]> {
  #names: string[];
  #keys: string[];
  #values: string[];
  /**
   * The cached derived value (see `memo`), shared with every clone made
   * while the content was the same. A mutation detaches a list from it
   * (sets its own reference to null); the cell itself is never cleared, so
   * the lists still attached keep a value that is true of their content.
   */
  #memo: MemoCell | null = null;
  /**
   * The list this one was built from (`extending`, `with`) as it was then:
   * its memo cell and how many of this list's first fields are its fields.
   * Kept while this list only grows at the end; `set` and `delete` drop it.
   */
  #prefix: PrefixRef | null = null;

  constructor(init?: HeaderInit) {
    if (init instanceof HeaderList) {
      // Copied before any array is made: clone() allocates three arrays, not six.
      this.#names = init.#names.slice();
      this.#keys = init.#keys.slice();
      this.#values = init.#values.slice();
      // Same content, same derived values: a value computed on either list
      // (a request's copy, say) serves the other and every later copy.
      init.#memo ??= { key: null, value: undefined };
      this.#memo = init.#memo;
      this.#prefix = init.#prefix;
      return;
    }
    this.#names = [];
    this.#keys = [];
    this.#values = [];
    if (init === undefined || init === null) return;
    if (typeof (init as Iterable<unknown>)[Symbol.iterator] === 'function') {
      for (const pair of init as Iterable<readonly [string, string]>) {
        if (!Array.isArray(pair) || pair.length !== 2) {
          throw new InvalidHeaderError(String(pair), 'an iterable init must yield [name, value] pairs');
        }
        this.append(pair[0], pair[1]);
      }
      return;
    }
    // Own enumerable keys only: a polluted Object.prototype adds nothing.
    const record = init as Readonly<Record<string, string | number | readonly string[] | undefined>>;
    for (const name of Object.keys(record)) {
      const value = record[name];
      if (value === undefined) continue;
      if (Array.isArray(value)) {
        for (const item of value) this.append(name, item);
      } else {
        this.append(name, value as string | number);
      }
    }
  }

  /**
   * Builds a list from the flat `[name, value, name, value, ...]` array a
   * parser produced. The caller vouches that every name and value is already
   * valid; nothing is checked or copied, so this is for parsers only.
   */
  static fromRaw(raw: string[]): HeaderList {
    const list = new HeaderList();
    const count = raw.length >>> 1;
    const names = new Array<string>(count);
    const keys = new Array<string>(count);
    const values = new Array<string>(count);
    for (let i = 0; i < count; i++) {
      const name = raw[2 * i] as string;
      names[i] = name;
      keys[i] = asciiLower(name);
      values[i] = raw[2 * i + 1] as string;
    }
    list.#names = names;
    list.#keys = keys;
    list.#values = values;
    return list;
  }

  /**
   * `base`'s fields followed by the flat `[name, value, ...]` fields of
   * `raw`, which the caller vouches for as with `fromRaw`; `base` is
   * unchanged. The list remembers that it begins with `base`'s fields, so a
   * value memoised on `base` (or a list with its content) serves that part
   * of this list (`prefixMemo`): a client's default fields, checked once,
   * followed by a request's own.
   */
  static extending(base: HeaderList, raw: readonly string[]): HeaderList {
    const count = base.#names.length;
    const total = count + (raw.length >>> 1);
    const names = new Array<string>(total);
    const keys = new Array<string>(total);
    const values = new Array<string>(total);
    for (let i = 0; i < count; i++) {
      names[i] = base.#names[i] as string;
      keys[i] = base.#keys[i] as string;
      values[i] = base.#values[i] as string;
    }
    for (let i = count; i < total; i++) {
      const name = raw[2 * (i - count)] as string;
      names[i] = name;
      keys[i] = asciiLower(name);
      values[i] = raw[2 * (i - count) + 1] as string;
    }
    const list = new HeaderList();
    list.#names = names;
    list.#keys = keys;
    list.#values = values;
    list.#prefix = base.#asPrefix();
    return list;
  }

  /** This list's content as the prefix of a list built from it. */
  #asPrefix(): PrefixRef {
    this.#memo ??= { key: null, value: undefined };
    return { cell: this.#memo, count: this.#names.length };
  }

  /** Checks a name and value the way every mutation does; returns the trimmed value. */
  static validate(name: string, value: string | number): string {
    if (typeof name !== 'string' || !isToken(name)) {
      throw new InvalidHeaderError(String(name), 'name is not an RFC 9110 token');
    }
    const text = typeof value === 'number' ? String(value) : value;
    if (typeof text !== 'string')
      throw new InvalidHeaderError(name, `value must be a string, not ${typeof value}`);
    const trimmed = trimOws(text);
    const problem = fieldValueProblem(trimmed);
    if (problem !== null) throw new InvalidHeaderError(name, `value ${problem}`);
    return trimmed;
  }

  /** Number of field lines. */
  get size(): number {
    return this.#names.length;
  }

  /** All values of `name` combined with ", ", or null when absent. */
  get(name: string): string | null {
    const key = asciiLower(name);
    const keys = this.#keys;
    let result: string | null = null;
    for (let i = 0; i < keys.length; i++) {
      if (keys[i] === key) {
        result = result === null ? (this.#values[i] as string) : `${result}, ${this.#values[i]}`;
      }
    }
    return result;
  }

  /** Each value of `name` as its own string, in wire order. */
  getAll(name: string): string[] {
    const key = asciiLower(name);
    const out: string[] = [];
    const keys = this.#keys;
    for (let i = 0; i < keys.length; i++) if (keys[i] === key) out.push(this.#values[i] as string);
    return out;
  }

  has(name: string): boolean {
    return this.#keys.includes(asciiLower(name));
  }

  /** Adds a field line at the end. */
  append(name: string, value: string | number): this {
    const trimmed = HeaderList.validate(name, value);
    this.#memo = null;
    this.#names.push(name);
    this.#keys.push(asciiLower(name));
    this.#values.push(trimmed);
    return this;
  }

  /** Replaces every line of `name` with one line, at the position of the first. */
  set(name: string, value: string | number): this {
    const trimmed = HeaderList.validate(name, value);
    this.#memo = null;
    this.#prefix = null;
    const key = asciiLower(name);
    const first = this.#keys.indexOf(key);
    if (first === -1) {
      this.#names.push(name);
      this.#keys.push(key);
      this.#values.push(trimmed);
      return this;
    }
    this.#names[first] = name;
    this.#values[first] = trimmed;
    this.#removeFrom(key, first + 1);
    return this;
  }

  /** Removes every line of `name`; true when something was removed. */
  delete(name: string): boolean {
    const key = asciiLower(name);
    const first = this.#keys.indexOf(key);
    if (first === -1) return false;
    this.#memo = null;
    this.#prefix = null;
    this.#removeFrom(key, first);
    return true;
  }

  #removeFrom(key: string, start: number): void {
    let write = start;
    const keys = this.#keys;
    for (let read = start; read < keys.length; read++) {
      if (keys[read] === key) continue;
      this.#names[write] = this.#names[read] as string;
      keys[write] = keys[read] as string;
      this.#values[write] = this.#values[read] as string;
      write++;
    }
    this.#names.length = write;
    keys.length = write;
    this.#values.length = write;
  }

  /** [name, value] pairs in wire order with the casing they were given. */
  *entries(): IterableIterator<[string, string]> {
    for (let i = 0; i < this.#names.length; i++) yield [this.#names[i] as string, this.#values[i] as string];
  }

  [Symbol.iterator](): IterableIterator<[string, string]> {
    return this.entries();
  }

  /** Distinct lower-cased names, in order of first appearance. */
  names(): string[] {
    return [...new Set(this.#keys)];
  }

  /** Calls `callback` for each field line in wire order. */
  forEach(callback: (value: string, name: string, list: this) => void): void {
    for (let i = 0; i < this.#names.length; i++)
      callback(this.#values[i] as string, this.#names[i] as string, this);
  }

  clone(): HeaderList {
    return new HeaderList(this);
  }

  /**
   * A value derived from this list's fields, computed once per content:
   * the last value computed under `key` on this list or on any list cloned
   * from it (or it from) while the fields were the same. Any change to the
   * fields (append, set, delete) forgets it for the changed list. `key` is
   * an object private to the caller, so two callers never read each
   * other's value. `compute` must depend on the fields only.
   *
   * Why: a client hands the same default fields to every request, and
   * createRequest copies them; the serializer's validation and text of
   * those fields is then made once instead of once per request.
   */
  memo<T>(key: object, compute: (list: HeaderList) => T): T {
    const known = this.#memo;
    if (known !== null && known.key === key) return known.value as T;
    if (this.#memo === null) this.#memo = { key: null, value: undefined };
    const cell = this.#memo;
    const value = compute(this);
    // A compute that changed the fields detached this list (see #memo): its
    // value describes neither the old fields nor the new ones for sure.
    if (this.#memo === cell) {
      cell.key = key;
      cell.value = value;
    }
    return value;
  }

  /**
   * When this list begins with the fields of a list it was built from
   * (`extending`, `with`), and only grew since: the value memoised under
   * `key` for those first fields (as `memo` would give on a list of just
   * them, computing it on such a list when no list of that content has it)
   * and how many fields it covers. Null otherwise. For a value that can be
   * extended field by field, such as the serializer's checked field lines.
   */
  prefixMemo<T>(key: object, compute: (list: HeaderList) => T): PrefixValue<T> | null {
    const prefix = this.#prefix;
    if (prefix === null) return null;
    const cell = prefix.cell;
    if (cell.key !== key) {
      const count = prefix.count;
      const list = new HeaderList();
      list.#names = this.#names.slice(0, count);
      list.#keys = this.#keys.slice(0, count);
      list.#values = this.#values.slice(0, count);
      list.#memo = cell;
      const value = list.memo(key, compute);
      // A compute that changed its list stored nothing: the value is not the prefix's.
      if (cell.key !== key) return null;
      return { value, fields: count };
    }
    return { value: cell.value as T, fields: prefix.count };
  }

  /**
   * A copy with one more field line at the end; this list is unchanged.
   * Validates like `append`. Cheaper than `clone().append(...)`: the copy's
   * arrays are made at their final size, and the names already held are
   * neither lower-cased nor checked again. For layers that add a field to a
   * request they must not mutate (`withRequestChanges`).
   */
  with(name: string, value: string | number): HeaderList {
    const trimmed = HeaderList.validate(name, value);
    const list = new HeaderList();
    list.#names = withOneMore(this.#names, name);
    list.#keys = withOneMore(this.#keys, asciiLower(name));
    list.#values = withOneMore(this.#values, trimmed);
    list.#prefix = this.#asPrefix();
    return list;
  }

  /** The flat `[name, value, ...]` form, wire casing kept. */
  toRaw(): string[] {
    const out = new Array<string>(this.#names.length * 2);
    for (let i = 0; i < this.#names.length; i++) {
      out[2 * i] = this.#names[i] as string;
      out[2 * i + 1] = this.#values[i] as string;
    }
    return out;
  }

  /**
   * A plain object keyed by lower-cased name with combined values (a
   * null-prototype object, so a header named `__proto__` is just a key).
   * Set-Cookie lines are kept as an array since they cannot be combined.
   */
  toObject(): Record<string, string | string[]> {
    const out = Object.create(null) as Record<string, string | string[]>;
    for (let i = 0; i < this.#keys.length; i++) {
      const key = this.#keys[i] as string;
      const value = this.#values[i] as string;
      const existing = out[key];
      if (key === 'set-cookie') {
        if (existing === undefined) out[key] = [value];
        else (existing as string[]).push(value);
      } else {
        out[key] = existing === undefined ? value : `${existing as string}, ${value}`;
      }
    }
    return out;
  }

  /** The header section as it would be written, for logs and debugging. */
  toString(): string {
    let text = '';
    for (let i = 0; i < this.#names.length; i++) text += `${this.#names[i]}: ${this.#values[i]}\r\n`;
    return text;
  }
}

/** The value `memo` keeps, shared by the lists whose fields are the same. */
interface MemoCell {
  key: object | null;
  value: unknown;
}

/** A list's content at the time another list was built from it: its memo cell and field count. */
interface PrefixRef {
  readonly cell: MemoCell;
  readonly count: number;
}

/** What `prefixMemo` gives: the prefix's value and how many fields it covers. */
export interface PrefixValue<T> {
  readonly value: T;
  readonly fields: number;
}

/** A copy of `items` with `item` at the end, allocated once at its final length. */
function withOneMore(items: readonly string[], item: string): string[] {
  const length = items.length;
  const out = new Array<string>(length + 1);
  for (let index = 0; index < length; index++) out[index] = items[index] as string;
  out[length] = item;
  return out;
}
