import { asciiLower, trimOws } from '@x/headers';

/** The content codings this layer can undo (RFC 9110 §8.4.1, RFC 8878 for zstd, RFC 7932 for br). */
export type Coding = 'gzip' | 'deflate' | 'br' | 'zstd';

export const ALL_CODINGS: readonly Coding[] = ['zstd', 'br', 'gzip', 'deflate'];

/** At most this many codings per response, over all Content-Encoding lines (SECURITY.md 28). */
export const MAX_CODINGS = 5;

export type CodingPlan =
  /** Nothing to undo: no Content-Encoding, or only `identity`. */
  | { readonly kind: 'none' }
  /** Undo these, in this order (the reverse of how they were applied). */
  | { readonly kind: 'decode'; readonly steps: readonly Coding[]; readonly applied: readonly string[] }
  /** A coding we cannot undo: pass the body through untouched, headers intact. */
  | { readonly kind: 'unsupported'; readonly coding: string; readonly applied: readonly string[] }
  /** More codings than MAX_CODINGS: refuse, it is a decompression-bomb pattern. */
  | { readonly kind: 'too-many'; readonly applied: readonly string[] };

const ALIASES: Readonly<Record<string, Coding>> = {
  gzip: 'gzip',
  'x-gzip': 'gzip', // RFC 9110 §8.4.1.3: recipients SHOULD treat x-gzip as gzip
  deflate: 'deflate',
  br: 'br',
  zstd: 'zstd',
};

/**
 * Works out how to undo the codings named by every Content-Encoding field
 * line. Codings are listed in the order they were applied (RFC 9110 §8.4),
 * so they are undone last-first. `identity` and empty list elements are
 * skipped. Pure: no I/O, unit-tested on its own.
 */
export function planDecoding(
  contentEncodingLines: readonly string[],
  supported: readonly Coding[],
): CodingPlan {
  const applied: string[] = [];
  for (const line of contentEncodingLines) {
    for (const element of line.split(',')) {
      const coding = asciiLower(trimOws(element));
      if (coding === '' || coding === 'identity') continue;
      applied.push(coding);
    }
  }
  if (applied.length === 0) return { kind: 'none' };
  if (applied.length > MAX_CODINGS) return { kind: 'too-many', applied };
  const steps: Coding[] = [];
  for (let i = applied.length - 1; i >= 0; i--) {
    const name = applied[i] as string;
    const coding = ALIASES[name];
    if (coding === undefined || !supported.includes(coding))
      return { kind: 'unsupported', coding: name, applied };
    steps.push(coding);
  }
  return { kind: 'decode', steps, applied };
}

/** The Accept-Encoding value advertising `codings`, most preferred first. */
export function acceptEncodingFor(codings: readonly Coding[]): string {
  return codings.join(', ');
}
