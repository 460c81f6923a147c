import { createHash, randomUUID } from 'node:crypto';
import { type FileHandle, open, rename, unlink } from 'node:fs/promises';

/** File helpers of the file-system store: names and crash-safe writes. */

export function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

/** Temp file, fsync, rename: the file at `path` is always either the old or the new content. */
export async function writeAtomically(path: string, text: string): Promise<void> {
  const temporary = `${path}.${randomUUID()}.tmp`;
  const handle = await open(temporary, 'wx');
  try {
    await handle.writeFile(text, 'utf8');
    await handle.sync();
  } finally {
    await handle.close();
  }
  try {
    await rename(temporary, path);
  } catch (error) {
    await unlink(temporary).catch(() => undefined);
    throw error;
  }
}

/** Makes renames in `directory` durable; some platforms refuse to open a directory, which is harmless. */
export async function syncDirectory(directory: string): Promise<void> {
  let handle: FileHandle | undefined;
  try {
    handle = await open(directory, 'r');
    await handle.sync();
  } catch {
    // Best effort: the rename itself is atomic either way.
  } finally {
    await handle?.close().catch(() => undefined);
  }
}
