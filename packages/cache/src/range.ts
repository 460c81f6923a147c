import {
  type ByteRange,
  etag,
  type HeaderList,
  ifRange,
  ifRangePasses,
  lastModified,
  range,
  resolveRange,
} from '@x/headers';

/**
 * Answering a Range request from a stored complete response (RFC 9111
 * §3.4 lets a cache do so; RFC 9110 §14 says how), with the Range and
 * If-Range parsers of `@x/headers`. One byte range (after merging
 * overlapping and adjacent ones, as `resolveRange` does) is served as 206.
 * Several are served as one multipart/byteranges 206 when `multipart` is
 * on (the layer turns it on), else with the full response; anything
 * invalid, or more than `maxRanges` range-specs, gets the full response:
 * RFC 9110 §14.2 lets a server ignore Range.
 */

export type RangeAnswer =
  | { readonly kind: 'full' }
  | { readonly kind: 'partial'; readonly start: number; readonly end: number }
  /** Sorted, disjoint ranges for a multipart/byteranges answer (RFC 9110 §14.6). */
  | { readonly kind: 'multipart'; readonly ranges: readonly ByteRange[] }
  | { readonly kind: 'unsatisfiable' };

const FULL: RangeAnswer = Object.freeze({ kind: 'full' });

export function rangeAnswer(
  requestHeaders: HeaderList,
  storedHeaders: HeaderList,
  size: number,
  options: { readonly multipart?: boolean; readonly maxRanges?: number } = {},
): RangeAnswer {
  const requested = range(requestHeaders);
  if (requested === null || !requested.ok) return FULL;
  // RFC 9110 §13.1.5: when If-Range does not match the stored response, the whole of it is sent.
  const condition = ifRange(requestHeaders);
  if (condition !== null) {
    const storedTag = etag(storedHeaders);
    const storedDate = lastModified(storedHeaders);
    const current = {
      etag: storedTag?.ok ? storedTag.value : null,
      lastModified: storedDate?.ok ? storedDate.value : null,
    };
    if (!condition.ok || !ifRangePasses(condition.value, current)) return FULL;
  }
  const resolution = resolveRange(requested.value, size, { maxRanges: options.maxRanges });
  if (resolution.kind === 'unsatisfiable') return { kind: 'unsatisfiable' };
  if (resolution.kind === 'ignored') return FULL;
  if (resolution.ranges.length > 1) {
    return options.multipart === true ? { kind: 'multipart', ranges: resolution.ranges } : FULL;
  }
  const [only] = resolution.ranges;
  return only === undefined ? FULL : { kind: 'partial', start: only.start, end: only.end };
}
