/**
 * HTTP-date (RFC 9110 §5.6.7): read in all three formats, written only as
 * IMF-fixdate. Times are milliseconds since the epoch, like `Clock.now()`.
 *
 * Read leniently, as §5.6.7 encourages: day and month names in any case, a
 * one-digit day in IMF-fixdate and RFC 850 forms, a four-digit year in the
 * RFC 850 form, "UTC" for "GMT", surrounding whitespace. Never accepted:
 * impossible dates (31 Feb), out-of-range times, trailing text, numeric
 * offsets — a wrong date is worse than none for freshness decisions.
 */
import { InvalidHeaderError } from './invalid-header-error.js';
import { type Parsed, parsedInvalid, parsedOk } from './parsed.js';
import { skipOws } from './value-scanner.js';

export interface HttpDateOptions {
  /**
   * The reference time (ms since the epoch) for two-digit RFC 850 years:
   * RFC 9110 §5.6.7 says a year more than 50 years after it is the most
   * recent past year with the same last two digits. Without it, 70–99 read
   * as 19xx and 00–69 as 20xx (the POSIX window), since a parser may not
   * read the clock itself.
   */
  readonly now?: number | undefined;
}

const DAY_NAMES = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
/** Lower-cased short and long day names, both accepted in every format. */
const DAY_NAME_LOOKUP = new Set([
  ...DAY_NAMES.map((name) => name.toLowerCase()),
  ...['sunday', 'monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday'],
]);
const MONTH_NAMES = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const MONTH_LOOKUP = new Map(MONTH_NAMES.map((name, index) => [name.toLowerCase(), index]));

/** Cursor over one date string; -1 results mean "not there". */
class DateCursor {
  index: number;
  constructor(
    readonly text: string,
    start: number,
  ) {
    this.index = start;
  }

  /** Consumes `count` (or `min..max`) digits and returns their value, or -1. */
  digits(min: number, max: number): number {
    let value = 0;
    let count = 0;
    while (count < max && this.index < this.text.length) {
      const code = this.text.charCodeAt(this.index);
      if (code < 0x30 || code > 0x39) break;
      value = value * 10 + (code - 0x30);
      this.index++;
      count++;
    }
    return count >= min ? value : -1;
  }

  /** Consumes one exact character. */
  char(code: number): boolean {
    if (this.text.charCodeAt(this.index) !== code) return false;
    this.index++;
    return true;
  }

  /** Consumes a run of ASCII letters, lower-cased. */
  letters(): string {
    const start = this.index;
    while (this.index < this.text.length) {
      const code = this.text.charCodeAt(this.index) | 0x20;
      if (code < 0x61 || code > 0x7a) break;
      this.index++;
    }
    return this.text.slice(start, this.index).toLowerCase();
  }

  month(): number {
    const name = this.letters();
    return name.length === 3 ? (MONTH_LOOKUP.get(name) ?? -1) : -1;
  }

  /** `hour ":" minute ":" second`; returns seconds of the day or -1. */
  time(): number {
    const hour = this.digits(2, 2);
    if (hour === -1 || hour > 23 || !this.char(0x3a)) return -1;
    const minute = this.digits(2, 2);
    if (minute === -1 || minute > 59 || !this.char(0x3a)) return -1;
    let second = this.digits(2, 2);
    if (second === -1 || second > 60) return -1;
    // A leap second (60) is in the grammar; JavaScript time has none, so it becomes :59.
    if (second === 60) second = 59;
    return hour * 3600 + minute * 60 + second;
  }

  /** "GMT" (or "UTC"), any case. */
  zone(): boolean {
    const zone = this.letters();
    return zone === 'gmt' || zone === 'utc';
  }

  atEnd(): boolean {
    return skipOws(this.text, this.index) === this.text.length;
  }
}

function daysInMonth(year: number, month: number): number {
  if (month === 1) return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28;
  return [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month] as number;
}

function toTime(year: number, month: number, day: number, secondsOfDay: number): number {
  if (day < 1 || day > daysInMonth(year, month)) return Number.NaN;
  const date = new Date(0);
  // setUTCFullYear, not Date.UTC: Date.UTC maps years 0–99 to 1900–1999.
  date.setUTCFullYear(year, month, day);
  return date.getTime() + secondsOfDay * 1000;
}

/** RFC 9110 §5.6.7 two-digit-year rule, relative to `now` when given. */
function expandTwoDigitYear(twoDigits: number, now: number | undefined): number {
  if (now === undefined || !Number.isFinite(now)) return twoDigits < 70 ? 2000 + twoDigits : 1900 + twoDigits;
  const currentYear = new Date(now).getUTCFullYear();
  let year = currentYear - (currentYear % 100) + twoDigits;
  if (year > currentYear + 50) year -= 100;
  else if (year + 100 <= currentYear + 50) year += 100;
  return year;
}

/**
 * Parses an HTTP-date in any of its three formats into milliseconds since
 * the epoch. Never throws.
 */
export function parseHttpDate(value: string | null | undefined, options?: HttpDateOptions): Parsed<number> {
  if (value === null || value === undefined) return parsedInvalid('absent');
  const cursor = new DateCursor(value, skipOws(value, 0));
  const dayName = cursor.letters();
  if (!DAY_NAME_LOOKUP.has(dayName)) return parsedInvalid('not an HTTP-date: no day name');
  let time: number;
  if (cursor.char(0x2c)) {
    // IMF-fixdate "Sun, 06 Nov 1994 08:49:37 GMT" or RFC 850 "Sunday, 06-Nov-94 08:49:37 GMT".
    if (!cursor.char(0x20)) return parsedInvalid('not an HTTP-date: expected a space after ","');
    const day = cursor.digits(1, 2);
    if (day === -1) return parsedInvalid('not an HTTP-date: bad day');
    let year: number;
    let month: number;
    if (cursor.char(0x2d)) {
      month = cursor.month();
      if (month === -1 || !cursor.char(0x2d)) return parsedInvalid('not an HTTP-date: bad month');
      const start = cursor.index;
      const digits = cursor.digits(2, 4);
      const width = cursor.index - start;
      if (digits === -1 || width === 3) return parsedInvalid('not an HTTP-date: bad year');
      year = width === 2 ? expandTwoDigitYear(digits, options?.now) : digits;
    } else {
      if (!cursor.char(0x20)) return parsedInvalid('not an HTTP-date: bad day');
      month = cursor.month();
      if (month === -1 || !cursor.char(0x20)) return parsedInvalid('not an HTTP-date: bad month');
      year = cursor.digits(4, 4);
      if (year === -1) return parsedInvalid('not an HTTP-date: bad year');
    }
    if (!cursor.char(0x20)) return parsedInvalid('not an HTTP-date: expected a space before the time');
    const seconds = cursor.time();
    if (seconds === -1) return parsedInvalid('not an HTTP-date: bad time');
    if (!cursor.char(0x20) || !cursor.zone()) return parsedInvalid('not an HTTP-date: expected GMT');
    time = toTime(year, month, day, seconds);
  } else {
    // asctime "Sun Nov  6 08:49:37 1994".
    if (!cursor.char(0x20))
      return parsedInvalid('not an HTTP-date: expected "," or a space after the day name');
    const month = cursor.month();
    if (month === -1 || !cursor.char(0x20)) return parsedInvalid('not an HTTP-date: bad month');
    cursor.char(0x20); // a one-digit day is padded with a space
    const day = cursor.digits(1, 2);
    if (day === -1 || !cursor.char(0x20)) return parsedInvalid('not an HTTP-date: bad day');
    const seconds = cursor.time();
    if (seconds === -1 || !cursor.char(0x20)) return parsedInvalid('not an HTTP-date: bad time');
    const year = cursor.digits(4, 4);
    if (year === -1) return parsedInvalid('not an HTTP-date: bad year');
    time = toTime(year, month, day, seconds);
  }
  if (!cursor.atEnd()) return parsedInvalid('not an HTTP-date: trailing text');
  if (Number.isNaN(time)) return parsedInvalid('not an HTTP-date: no such day');
  return parsedOk(time);
}

function pad(value: number, width: number): string {
  return String(value).padStart(width, '0');
}

/**
 * Writes a time as IMF-fixdate, e.g. "Sun, 06 Nov 1994 08:49:37 GMT"
 * (milliseconds are dropped). Throws InvalidHeaderError for an invalid
 * time or a year that does not fit four digits.
 */
export function formatHttpDate(time: number | Date): string {
  const date = typeof time === 'number' ? new Date(time) : new Date(time.getTime());
  const year = date.getUTCFullYear();
  if (Number.isNaN(date.getTime()) || year < 0 || year > 9999) {
    throw new InvalidHeaderError('Date', `cannot write ${String(time)} as an HTTP-date`);
  }
  return (
    `${DAY_NAMES[date.getUTCDay()]}, ${pad(date.getUTCDate(), 2)} ${MONTH_NAMES[date.getUTCMonth()]} ` +
    `${pad(year, 4)} ${pad(date.getUTCHours(), 2)}:${pad(date.getUTCMinutes(), 2)}:${pad(date.getUTCSeconds(), 2)} GMT`
  );
}
