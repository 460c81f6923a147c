/**
 * Field values the header-parsing scenarios parse, each realistic for its
 * field, and how many members a correct parser finds in each (the check).
 */

/** RFC 9651 structured fields: [kind, value, top-level member count]. */
export const STRUCTURED_SAMPLES: ReadonlyArray<readonly ['dictionary' | 'list' | 'item', string, number]> = [
  ['dictionary', 'u=1, i', 2],
  [
    'dictionary',
    'sig1=("@method" "@authority" "@path" "content-digest");created=1618884473;keyid="test-key-rsa-pss", ' +
      'sig2=:dGhpcyBpcyBub3QgYSByZWFsIHNpZ25hdHVyZQ==:, ok=?1, weight=0.25',
    4,
  ],
  ['list', '"foo";a=1;b=2, abc;x=?1, (1 2 3);lvl=5, sugar;q=0.5, @1659578233', 5],
  ['list', 'gzip, br;q=0.9, (zstd identity);fallback', 3],
  ['item', '"text/html";q=1;level=2', 1],
];

export const STRUCTURED_CHECK = STRUCTURED_SAMPLES.reduce((sum, [, , count]) => sum + count, 0);

/** Cache-Control values (RFC 9111 §5.2) and their directive counts. */
export const CACHE_CONTROL_SAMPLES: ReadonlyArray<readonly [string, number]> = [
  ['public, max-age=3600', 2],
  ['private, no-cache="set-cookie, x-session", max-age=0, must-revalidate', 4],
  ['max-age=600, s-maxage=60, stale-while-revalidate=30, stale-if-error=86400, no-transform', 5],
  ['no-store', 1],
];

export const CACHE_CONTROL_CHECK = CACHE_CONTROL_SAMPLES.reduce((sum, [, count]) => sum + count, 0);

/** Content-Type values (RFC 9110 §8.3) and their parameter counts. */
export const CONTENT_TYPE_SAMPLES: ReadonlyArray<readonly [string, number]> = [
  ['application/json', 0],
  ['text/html; charset=utf-8', 1],
  ['multipart/form-data; boundary="----WebKitFormBoundary7MA4YWxkTrZu0gW"; charset=UTF-8', 2],
  ['application/vnd.api+json;ext="https://jsonapi.org/ext/atomic";profile="https://example.com/p"', 2],
];

export const CONTENT_TYPE_CHECK = CONTENT_TYPE_SAMPLES.reduce((sum, [, count]) => sum + count, 0);
