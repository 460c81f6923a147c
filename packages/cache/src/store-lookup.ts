import type { HeaderList } from '@x/headers';
import { matchesVariant, selectVariants } from './cache-key.js';
import type { CacheEntry, CacheStore, StoredResponseHead } from './cache-store.js';
import type { Candidate } from './cache-strategy.js';
import { dateValue, type StoredFreshness, storedFreshness } from './freshness.js';
import { headerListOf } from './stored-fields.js';

/**
 * Stored heads already parsed into a HeaderList (null: fields that do not
 * parse). A store hands back the same head object until the entry is
 * replaced or its head updated (the memory store does), so a hit parses its
 * fields once instead of on every lookup; a store that builds a new head per
 * call (the fs store decodes one) just misses, and a WeakMap lets every head
 * go with its entry. The lists are shared between requests, so the layer
 * only ever reads them: every response built from one gets a clone.
 */
export type ParsedHeads = WeakMap<StoredResponseHead, ParsedHead | null>;

interface ParsedHead {
  readonly headers: HeaderList;
  readonly freshness: StoredFreshness;
}

export function createParsedHeads(): ParsedHeads {
  return new WeakMap();
}

/** Records the fields and freshness already made for a head the layer wrote itself (a freshened one). */
export function rememberParsedHead(
  parsed: ParsedHeads | undefined,
  head: StoredResponseHead,
  headers: HeaderList,
  freshness: StoredFreshness,
): void {
  parsed?.set(head, { headers, freshness });
}

function parse(head: StoredResponseHead): ParsedHead | null {
  const headers = headerListOf(head.fields);
  if (headers === null) return null;
  return { headers, freshness: storedFreshness({ ...head, headers }) };
}

function parsedHead(parsed: ParsedHeads | undefined, head: StoredResponseHead): ParsedHead | null {
  if (parsed === undefined) return parse(head);
  let found = parsed.get(head);
  if (found === undefined) {
    found = parse(head);
    parsed.set(head, found);
  }
  return found;
}

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
  parsed?: ParsedHeads,
): Promise<{ candidates: Candidate[]; storedCount: number }> {
  let entries: CacheEntry[];
  try {
    entries = await store.list(key);
  } catch {
    return { candidates: [], storedCount: 0 };
  }
  if (entries.length === 0) return { candidates: [], storedCount: 0 };
  // The usual case, one stored response under the key: no map, no sort.
  if (entries.length === 1) {
    const entry = entries[0] as CacheEntry;
    const head = parsedHead(parsed, entry.head);
    if (head === null) return { candidates: [], storedCount: 0 };
    const candidates = matchesVariant(entry, requestHeaders)
      ? [{ entry, headers: head.headers, freshness: head.freshness }]
      : [];
    return { candidates, storedCount: 1 };
  }
  const headsByEntry = new Map<CacheEntry, ParsedHead>();
  for (const entry of entries) {
    const head = parsedHead(parsed, entry.head);
    if (head !== null) headsByEntry.set(entry, head);
  }
  const dateOf = (entry: CacheEntry) =>
    dateValue({ ...entry.head, headers: (headsByEntry.get(entry) as ParsedHead).headers });
  const candidates = selectVariants([...headsByEntry.keys()], requestHeaders, dateOf).map((entry) => {
    const head = headsByEntry.get(entry) as ParsedHead;
    return { entry, headers: head.headers, freshness: head.freshness };
  });
  return { candidates, storedCount: headsByEntry.size };
}
