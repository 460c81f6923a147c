import type { HeaderList } from '@x/headers';
import { selectVariants } from './cache-key.js';
import type { CacheEntry, CacheStore } from './cache-store.js';
import type { Candidate } from './cache-strategy.js';
import { dateValue } from './freshness.js';
import { headerListOf } from './stored-fields.js';

/**
 * The stored responses under `key` that may answer a request (RFC 9111
 * §4.1), most recent first, and how many were stored at all (so a miss can
 * say "vary-miss" rather than "uri-miss", RFC 9211 §2.2). A failing store,
 * or a stored head whose fields no longer parse, counts as nothing stored.
 */
export async function lookupCandidates(
  store: CacheStore,
  key: string,
  requestHeaders: HeaderList,
): Promise<{ candidates: Candidate[]; storedCount: number }> {
  let entries: CacheEntry[];
  try {
    entries = await store.list(key);
  } catch {
    return { candidates: [], storedCount: 0 };
  }
  const headersByEntry = new Map<CacheEntry, HeaderList>();
  for (const entry of entries) {
    const headers = headerListOf(entry.head.headers);
    if (headers !== null) headersByEntry.set(entry, headers);
  }
  const dateOf = (entry: CacheEntry) =>
    dateValue({ ...entry.head, headers: headersByEntry.get(entry) as HeaderList });
  const candidates = selectVariants([...headersByEntry.keys()], requestHeaders, dateOf).map((entry) => ({
    entry,
    headers: headersByEntry.get(entry) as HeaderList,
  }));
  return { candidates, storedCount: headersByEntry.size };
}
