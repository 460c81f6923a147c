/**
 * The first pass over an `x-http` command line: spellings to keys (see
 * cli-option-table.ts), values attached or next, flags combined. No value
 * is interpreted here, except that CR, LF and NUL are refused in every
 * value that is not request content.
 */
import { CONTENT_OPTIONS, LONG_OPTIONS, type OptionSpec, SHORT_OPTIONS } from './cli-option-table.js';
import { hasLineBreakOrNul } from './cli-option-values.js';

/** What the tokenizer collected, before any value is interpreted. */
export interface Collected {
  readonly flags: Set<string>;
  readonly values: Map<string, string>;
  /** Repeatable options in command-line order (-F and --form-string interleave, so do the data options). */
  readonly lists: { readonly key: string; readonly value: string }[];
  readonly positional: string[];
}

/** A command line that is wrong: exit 2 with this message, nothing sent. */
export class UsageError {
  constructor(readonly message: string) {}
}

export function collect(argv: readonly string[]): Collected {
  const collected: Collected = { flags: new Set(), values: new Map(), lists: [], positional: [] };
  const take = (spec: OptionSpec, name: string, value: string | undefined) => {
    if (spec.kind === 'flag') {
      if (value !== undefined) throw new UsageError(`${name} takes no value`);
      collected.flags.add(spec.key);
      return;
    }
    if (value === undefined) throw new UsageError(`${name} needs a value`);
    if (!CONTENT_OPTIONS.has(spec.key) && hasLineBreakOrNul(value)) {
      // Not echoed: it may be a credential.
      throw new UsageError(`the value of ${name} contains CR, LF or NUL`);
    }
    if (spec.kind === 'list') collected.lists.push({ key: spec.key, value });
    else collected.values.set(spec.key, value);
  };
  for (let index = 0; index < argv.length; index++) {
    const argument = argv[index] as string;
    if (argument === '--') {
      collected.positional.push(...argv.slice(index + 1));
      break;
    }
    if (argument.startsWith('--')) {
      const equals = argument.indexOf('=');
      const name = equals === -1 ? argument : argument.slice(0, equals);
      const spec = LONG_OPTIONS.get(name);
      if (spec === undefined) throw new UsageError(`unknown option ${name}`);
      const value =
        equals !== -1 ? argument.slice(equals + 1) : spec.kind === 'flag' ? undefined : argv[++index];
      take(spec, name, value);
      continue;
    }
    if (argument.startsWith('-') && argument !== '-') {
      // -sSL, -XPUT, -H 'A: 1': letters are flags until one takes a value,
      // which is the rest of the argument or else the next one.
      for (let letter = 1; letter < argument.length; letter++) {
        const name = `-${argument[letter]}`;
        const spec = SHORT_OPTIONS.get(argument[letter] as string);
        if (spec === undefined) throw new UsageError(`unknown option ${name}`);
        if (spec.kind === 'flag') {
          take(spec, name, undefined);
          continue;
        }
        const attached = argument.slice(letter + 1);
        take(spec, name, attached === '' ? argv[++index] : attached);
        break;
      }
      continue;
    }
    collected.positional.push(argument);
  }
  return collected;
}
