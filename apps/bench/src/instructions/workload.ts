import { createClient } from '@x/client';
import { createRequest, type HttpResponse } from '@x/core';
import { createPool } from '@x/pool';
import { inMemoryConnector, SMALL_RESPONSE } from './in-memory-origin.js';

/**
 * The stacks `pnpm --filter @x/bench instructions` compares, each a way to
 * send one small GET over the in-memory origin. The `x-client-no-*`
 * variants switch off one default layer, so the differences price each one.
 */
export const VARIANTS = {
  'x-pool': 'createPool() + createRequest(): the bare pool over the protocol',
  'x-client': 'createClient(): the default stack (deadline, redirect, retry, decode over the pool)',
  'x-client-no-redirect': 'createClient({ redirect: false })',
  'x-client-no-retry': 'createClient({ retry: false })',
  'x-client-no-decode': 'createClient({ decode: false }) (no Accept-Encoding on the wire either)',
  'x-client-bare':
    'createClient({ redirect: false, retry: false, decode: false }): request building and timeouts',
} as const;

export type Variant = keyof typeof VARIANTS;

export function isVariant(name: string): name is Variant {
  return Object.hasOwn(VARIANTS, name);
}

const URL_TEXT = 'http://127.0.0.1:9/small';

/** A function that sends one request of the variant and reads its whole body. */
export function sender(variant: Variant): () => Promise<number> {
  const connector = inMemoryConnector(SMALL_RESPONSE);
  const read = async (response: HttpResponse) => (await response.body.bytes()).length;
  if (variant === 'x-pool') {
    const pool = createPool({ connector, connectionsPerOrigin: 1 });
    return async () => read(await pool.request(createRequest({ method: 'GET', url: URL_TEXT })));
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
