import { randomUUID } from 'node:crypto';
import { chmod, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { Cookie, type CookieJar } from 'tough-cookie';
import { type CookieJarOptions, createCookieJar } from './cookie-jar.js';
import { cookieStoreError } from './cookie-store-error.js';

/**
 * Persistence for a jar as one JSON file (tough-cookie's serialized form).
 * Cookies are credentials, so the file is written owner-only (0600), and
 * atomically (a temporary file renamed over the old one): a crash never
 * leaves half a jar.
 */
export async function saveCookieJar(jar: CookieJar, path: string): Promise<void> {
  const temporary = `${path}.${randomUUID()}.tmp`;
  try {
    const serialized = await jar.serialize();
    await writeFile(temporary, JSON.stringify(serialized), { mode: 0o600 });
    await chmod(temporary, 0o600);
    await rename(temporary, path);
  } catch (error) {
    await rm(temporary, { force: true }).catch(() => undefined);
    throw cookieStoreError(`Saving the cookie jar to ${path} failed`, error);
  }
}

/**
 * Loads a jar saved by `saveCookieJar` into a jar made by `createCookieJar`
 * (so this package's settings apply whatever the file says); a missing file
 * gives an empty jar. Expired cookies are dropped when they are next matched.
 */
export async function loadCookieJar(path: string, options: CookieJarOptions = {}): Promise<CookieJar> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return createCookieJar(options);
    throw cookieStoreError(`Reading the cookie jar ${path} failed`, error);
  }
  const jar = createCookieJar(options);
  try {
    const parsed: unknown = JSON.parse(text);
    const list =
      typeof parsed === 'object' && parsed !== null && Object.hasOwn(parsed, 'cookies')
        ? (parsed as { cookies: unknown }).cookies
        : undefined;
    if (!Array.isArray(list)) throw new TypeError('no cookies array');
    for (const entry of list) {
      const cookie = Cookie.fromJSON(entry);
      if (cookie !== undefined) await jar.store.putCookie(cookie);
    }
  } catch (error) {
    throw cookieStoreError(`The cookie jar ${path} is not a saved jar`, error);
  }
  return jar;
}
