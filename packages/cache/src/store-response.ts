import type { HttpResponse } from '@x/core';
import { cacheControl, HeaderList, vary } from '@x/headers';
import { type TeeOutcome, teeIntoStore } from './body-tee.js';
import { variantKey, varyValues } from './cache-key.js';
import type { CacheStore, StoredResponseHead } from './cache-store.js';
import type { Candidate } from './cache-strategy.js';
import {
  initialAge,
  type ResponseTimes,
  type StoredFreshness,
  storedFreshness,
  storedLifetime,
} from './freshness.js';
import { storability } from './storability.js';
import { type ParsedHeads, rememberParsedHead } from './store-lookup.js';
import { mergeFields, storedFieldLines } from './stored-fields.js';

/** Writing network responses into the store, and freshening stored ones. */

export interface StoreContext {
  readonly store: CacheStore;
  readonly key: string;
  readonly shared: boolean;
  readonly retainStaleMs: number;
  /** The layer's parsed stored heads: a freshened head is added, so its next lookup parses nothing. */
  readonly parsedHeads?: ParsedHeads | undefined;
}

export interface StoreAttempt {
  readonly response: HttpResponse;
  readonly stored: boolean;
  readonly reason: string | undefined;
  /** The head being stored, when `stored`. */
  readonly head?: StoredResponseHead | undefined;
  /** Its fields and freshness as computed for storing it, when `stored` (so the miss's ttl parses nothing again). */
  readonly parsed?: { readonly headers: HeaderList; readonly freshness: StoredFreshness } | undefined;
  /** Settles when the body has been read to its end (committed) or given up (abandoned). */
  readonly outcome: Promise<TeeOutcome>;
}

/**
 * When the store may forget a response: once it is neither fresh, nor
 * within a stale-while-revalidate / stale-if-error window, nor younger than
 * `retainStaleMs` past those (kept that long for validation).
 */
export function discardAfter(
  response: ResponseTimes,
  shared: boolean,
  retainStaleMs: number,
  stored: StoredFreshness = storedFreshness(response),
): number {
  const directives = stored.directives;
  const lifetime = storedLifetime(response, shared, stored).seconds;
  const freshFor = Math.max(0, lifetime - stored.initialAge);
  const staleWindow = Math.max(directives.staleWhileRevalidate ?? 0, directives.staleIfError ?? 0);
  return response.responseTime + (freshFor + staleWindow) * 1000 + retainStaleMs;
}

/** The Vary'd values of every response without Vary: one frozen empty list, not one per stored head. */
const NO_VARY: ReadonlyArray<readonly [string, string | null]> = Object.freeze([]);

function notStored(response: HttpResponse, reason: string): StoreAttempt {
  return { response, stored: false, reason, outcome: Promise.resolve('abandoned') };
}

/**
 * Stores `response` while the caller reads it, when RFC 9111 §3 allows;
 * otherwise returns it unchanged with the reason. A store that fails to
 * open a writer only means the response is not cached.
 */
export async function storeWhileReading(
  context: StoreContext,
  requestMethod: string,
  requestHeaders: HeaderList,
  response: HttpResponse,
  requestTime: number,
  responseTime: number,
): Promise<StoreAttempt> {
  const responseDirectives = cacheControl(response.headers);
  const verdict = storability({
    shared: context.shared,
    requestMethod,
    requestHeaders,
    status: response.status,
    responseHeaders: response.headers,
    responseDirectives,
  });
  if (!verdict.store) return notStored(response, verdict.reason);
  // Most responses have no Vary: nothing to parse (storability has read it already when present).
  const values: ReadonlyArray<readonly [string, string | null]> = response.headers.has('vary')
    ? varyValues(vary(response.headers).fieldNames, requestHeaders)
    : NO_VARY;
  const fields = storedFieldLines(response.headers);
  // Freshness is read from what is stored. Without a Connection field that is the response's own
  // Cache-Control, Expires, Date, Age and Last-Modified (only hop-by-hop fields are left out, §3.1), so
  // the parsed response serves as is; with one, it may have named some of them: parse the stored lines.
  const plain = !response.headers.has('connection');
  const headers = plain ? response.headers : HeaderList.fromRaw(fields);
  const times = { status: response.status, headers, requestTime, responseTime };
  const freshness = plain
    ? { directives: responseDirectives, initialAge: initialAge(times) }
    : storedFreshness(times);
  const head: StoredResponseHead = {
    status: response.status,
    reason: response.reason,
    httpVersion: response.httpVersion,
    fields,
    url: response.url.href,
    varyValues: values,
    requestTime,
    responseTime,
    discardAfter: discardAfter(times, context.shared, context.retainStaleMs, freshness),
  };
  let writer: Awaited<ReturnType<CacheStore['create']>>;
  try {
    writer = await context.store.create(context.key, variantKey(values), head);
  } catch {
    return notStored(response, 'store unavailable');
  }
  const teed = teeIntoStore(response, writer);
  return {
    response: teed.response,
    stored: true,
    reason: undefined,
    head,
    parsed: { headers, freshness },
    outcome: teed.outcome,
  };
}

/**
 * Applies a 304 (or a HEAD response, §4.3.5) to stored responses: their
 * fields updated per §3.2 and their age restarted from the new exchange.
 * Returns the candidates whose update the store accepted, with their new
 * heads, fields and freshness. The merged fields come from two HeaderLists,
 * so they are taken as they are (no second validation), parsed once for
 * freshness, and remembered for the new head (`context.parsedHeads`): the
 * next lookup of the entry parses nothing.
 */
export async function freshenEntries(
  context: StoreContext,
  targets: readonly Candidate[],
  newer: HeaderList,
  requestTime: number,
  responseTime: number,
): Promise<Candidate[]> {
  const updated: Candidate[] = [];
  for (const target of targets) {
    const entry = target.entry;
    const raw = mergeFields(target.headers.toRaw(), newer);
    const headers = HeaderList.fromRaw(raw);
    const times = { status: entry.head.status, headers, requestTime, responseTime };
    const freshness = storedFreshness(times);
    const head: StoredResponseHead = {
      status: entry.head.status,
      reason: entry.head.reason,
      httpVersion: entry.head.httpVersion,
      fields: raw,
      url: entry.head.url,
      varyValues: entry.head.varyValues,
      requestTime,
      responseTime,
      discardAfter: discardAfter(times, context.shared, context.retainStaleMs, freshness),
    };
    let accepted: boolean;
    try {
      accepted = await context.store.updateHead(context.key, entry, head);
    } catch {
      accepted = false;
    }
    if (!accepted) continue;
    rememberParsedHead(context.parsedHeads, head, headers, freshness);
    const freshened = { variant: entry.variant, bodyId: entry.bodyId, bodySize: entry.bodySize, head };
    updated.push({ entry: freshened, headers, freshness });
  }
  return updated;
}
