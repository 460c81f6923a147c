import { etag, type HeaderList, ifRange, ifRangePasses, lastModified, range, resolveRange } from '@x/headers';

/**
 * Answering a Range request from a stored complete response (RFC 9111
 * §3.4 lets a cache do so; RFC 9110 §14 says how), with the Range and
 * If-Range parsers of `@x/headers`. One byte range (after merging
 * overlapping ones) is served as 206; several would need
 * multipart/byteranges, which this cache does not build, so they get the
 * full response, as does anything invalid: RFC 9110 §14.2 lets a server
 * ignore Range.
 */

export type RangeAnswer =
  | { readonly kind: 'full' }
  | { readonly kind: 'partial'; readonly start: number; readonly end: number }
  | { readonly kind: 'unsatisfiable' };

const FULL: RangeAnswer = Object.freeze({ kind: 'full' });

export function rangeAnswer(
  requestHeaders: HeaderList,
  storedHeaders: HeaderList,
  size: number,
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
  const resolution = resolveRange(requested.value, size);
  if (resolution.kind === 'unsatisfiable') return { kind: 'unsatisfiable' };
  if (resolution.kind === 'ignored' || resolution.ranges.length !== 1) return FULL;
  const [only] = resolution.ranges;
  return only === undefined ? FULL : { kind: 'partial', start: only.start, end: only.end };
}
