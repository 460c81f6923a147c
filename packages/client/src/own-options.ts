/**
 * A null-prototype copy of an options object's own enumerable properties
 * (SECURITY.md rule 4). Reading from the copy, even with plain property
 * access further down, can never find a value a polluted
 * `Object.prototype` added: an inherited `transport`, `connector`, `tls` or
 * `cache` changes nothing. `defaults` come first; the caller's own values win. Layers get such copies too, so a layer that reads
 * its options carelessly is still safe under the client.
 */
export function ownOptions<T extends object>(options: T | undefined | null, defaults?: Partial<T>): T {
  const copy = Object.assign(Object.create(null) as T, defaults);
  if (options === undefined || options === null || typeof options !== 'object') return copy;
  for (const key of Object.keys(options) as (keyof T)[]) copy[key] = options[key];
  return copy;
}
