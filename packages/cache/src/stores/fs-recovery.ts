import { readdir, readFile, rmdir, stat, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { decodeEntry, type EncodedEntry } from './entry-codec.js';
import { sha256 } from './fs-files.js';
import type { UsageRecord } from './fs-usage.js';

/**
 * What the file-system store does when it opens a directory: it removes
 * what a crash (or a killed process) can leave behind, and returns the
 * entries that survive, least recently written first, for its size books.
 *
 * Left behind by a crash, and removed:
 * - temporary files (`*.tmp`): a body or head that was still being written;
 * - heads that do not decode, belong to another key or variant than their
 *   file name says, have expired, or whose body is missing or of another
 *   size than the head records (a torn body is never served);
 * - bodies no valid head names (the body of an entry whose head was never
 *   written, or of one replaced just before the crash);
 * - folders left empty.
 * Names the store never writes are left alone: the directory may hold
 * something else by mistake, and deleting it is not ours to do.
 */

const KEY_FOLDER = /^[0-9a-f]{64}$/;
const BODY_ID = /^[0-9a-f-]{36}$/;

export interface RecoveredEntry extends UsageRecord {
  /** When the head was last written (ms), the best recency a restart knows. */
  readonly lastWritten: number;
  /** When the response was received: orders entries whose files share a (coarse) modification time. */
  readonly responseTime: number;
}

export async function recoverDirectory(root: string, now: number): Promise<RecoveredEntry[]> {
  const recovered: RecoveredEntry[] = [];
  let folders: string[];
  try {
    folders = await readdir(root);
  } catch {
    return recovered;
  }
  for (const folder of folders) {
    if (!KEY_FOLDER.test(folder)) continue;
    recovered.push(...(await recoverFolder(join(root, folder), folder, now)));
  }
  return recovered.sort((a, b) => a.lastWritten - b.lastWritten || a.responseTime - b.responseTime);
}

async function recoverFolder(path: string, folder: string, now: number): Promise<RecoveredEntry[]> {
  let names: string[];
  try {
    names = await readdir(path);
  } catch {
    return [];
  }
  const out: RecoveredEntry[] = [];
  const referenced = new Set<string>();
  for (const name of names) {
    if (name.endsWith('.tmp')) await unlink(join(path, name)).catch(() => undefined);
  }
  for (const name of names.filter((each) => each.endsWith('.head'))) {
    const entry = await validHead(path, folder, name, now);
    if (entry === null) {
      await unlink(join(path, name)).catch(() => undefined);
      continue;
    }
    referenced.add(bodyName(entry));
    out.push(entry.record);
  }
  for (const name of names.filter((each) => each.endsWith('.body'))) {
    if (!referenced.has(name)) await unlink(join(path, name)).catch(() => undefined);
  }
  if (out.length === 0) await rmdir(path).catch(() => undefined);
  return out;
}

function bodyName(entry: { entry: EncodedEntry }): string {
  return `${sha256(entry.entry.variant)}.${entry.entry.bodyId}.body`;
}

async function validHead(
  path: string,
  folder: string,
  name: string,
  now: number,
): Promise<{ entry: EncodedEntry; record: RecoveredEntry } | null> {
  const headPath = join(path, name);
  const [text, headStats] = await Promise.all([
    readFile(headPath, 'utf8').catch(() => null),
    stat(headPath).catch(() => null),
  ]);
  if (text === null || headStats === null) return null;
  const entry = decodeEntry(text);
  if (entry === null || !BODY_ID.test(entry.bodyId)) return null;
  if (sha256(entry.key) !== folder || `${sha256(entry.variant)}.head` !== name) return null;
  if (entry.head.discardAfter !== null && entry.head.discardAfter <= now) return null;
  const bodyStats = await stat(join(path, bodyName({ entry }))).catch(() => null);
  if (bodyStats === null || bodyStats.size !== entry.bodySize) return null;
  return {
    entry,
    record: {
      key: entry.key,
      variant: entry.variant,
      bodyId: entry.bodyId,
      bytes: entry.bodySize + headStats.size,
      lastWritten: headStats.mtimeMs,
      responseTime: entry.head.responseTime,
    },
  };
}
