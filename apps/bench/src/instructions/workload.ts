import { createClient } from '@x/client';
import { createRequest, type HttpResponse } from '@x/core';
import { createPool } from '@x/pool';
import { inMemoryConnector, SMALL_RESPONSE } from './in-memory-origin.js';

/**
 * The stacks `pnpm --filter @x/bench instructions` compares, each a way to
 * send one small GET over the in-memory origin. The `x-client-no-*`
 * variants switch off one default layer, so the differences price each one.
 * The `-post` pair sends post-1k's request instead: a 1 KiB body and a
 * Content-Type field of the caller's, so the client builds a header list
 * per request (its fields merged with the caller's) instead of copying one.
 */
export const VARIANTS = {
  'x-pool': 'createPool() + createRequest(): the bare pool over the protocol',
  'x-client': 'createClient(): the default stack (deadline, redirect, retry, decode over the pool)',
  'x-client-no-redirect': 'createClient({ redirect: false })',
  'x-client-no-retry': 'createClient({ retry: false })',
  'x-client-no-decode': 'createClient({ decode: false }) (no Accept-Encoding on the wire either)',
  'x-client-bare':
    'createClient({ redirect: false, retry: false, decode: false }): request building and timeouts',
  'x-pool-post': 'createPool() + createRequest(), POST of 1 KiB with a Content-Type field',
  'x-client-post': 'createClient(), the same POST',
  'x-client-bare-post': 'createClient({ redirect: false, retry: false, decode: false }), the same POST',
} as const;

/** The bare-pool variant each variant is compared with: the one sending the same request. */
export function poolFor(variant: Variant): Variant {
  return variant.endsWith('-post') ? 'x-pool-post' : 'x-pool';
}

export type Variant = keyof typeof VARIANTS;

export function isVariant(name: string): name is Variant {
  return Object.hasOwn(VARIANTS, name);
}

const URL_TEXT = 'http://127.0.0.1:9/small';
const POST_BODY = new Uint8Array(1024).fill(0x78);
const POST_FIELDS = { 'content-type': 'application/octet-stream' };

/** A function that sends one request of the variant and reads its whole body. */
export function sender(variant: Variant): () => Promise<number> {
  const connector = inMemoryConnector(SMALL_RESPONSE);
  const read = async (response: HttpResponse) => (await response.body.bytes()).length;
  // No CR LF CR LF in the body: the in-memory origin counts request heads by their blank line.
  const post = { method: 'POST', url: URL_TEXT, body: POST_BODY, headers: POST_FIELDS } as const;
  if (variant === 'x-pool' || variant === 'x-pool-post') {
    const pool = createPool({ connector, connectionsPerOrigin: 1 });
    const init = variant === 'x-pool' ? { method: 'GET', url: URL_TEXT } : post;
    return async () => read(await pool.request(createRequest(init)));
  }
  if (variant === 'x-client-post' || variant === 'x-client-bare-post') {
    const layers =
      variant === 'x-client-post' ? {} : ({ redirect: false, retry: false, decode: false } as const);
    const client = createClient({ connector, pool: { connectionsPerOrigin: 1 }, ...layers });
    return async () => read(await client.request(post));
  }
  const off = {
    'x-client': {},
    'x-client-no-redirect': { redirect: false },
    'x-client-no-retry': { retry: false },
    'x-client-no-decode': { decode: false },
    'x-client-bare': { redirect: false, retry: false, decode: false },
  } as const;
  const client = createClient({ connector, pool: { connectionsPerOrigin: 1 }, ...off[variant] });
  return async () => read(await client.request({ method: 'GET', url: URL_TEXT }));
}

/**
 * The child's work: `<variant> <warm-up requests> <measured requests>`,
 * one request after another. The parent counts the whole process's
 * instructions, so only the difference between two counts means anything.
 */
export async function runWorkload(argv: readonly string[]): Promise<void> {
  const [variant = '', warmUp = '0', measured = '0'] = argv;
  if (!isVariant(variant)) throw new Error(`unknown variant ${JSON.stringify(variant)}`);
  const send = sender(variant);
  const total = Number(warmUp) + Number(measured);
  let bytes = 0;
  for (let index = 0; index < total; index++) bytes += await send();
  // Checked, so a stack that answered wrongly cannot look cheap.
  if (bytes !== total * 12) throw new Error(`read ${bytes} body bytes, expected ${total * 12}`);
}
