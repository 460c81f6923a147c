/**
 * @peculiar/x509 loads tsyringe, which needs the `reflect-metadata`
 * polyfill; that package is not installed, so the test supplies the few
 * functions it calls (own metadata per target and key, looked up along the
 * prototype chain). Imported before @peculiar/x509.
 */
type MetadataKey = string | symbol;
const metadata = new WeakMap<object, Map<MetadataKey, unknown>>();

function mapFor(target: object): Map<MetadataKey, unknown> {
  let map = metadata.get(target);
  if (map === undefined) {
    map = new Map();
    metadata.set(target, map);
  }
  return map;
}

const reflect = Reflect as unknown as Record<string, unknown>;
if (typeof reflect.getMetadata !== 'function') {
  reflect.defineMetadata = (key: MetadataKey, value: unknown, target: object): void => {
    mapFor(target).set(key, value);
  };
  reflect.getOwnMetadata = (key: MetadataKey, target: object): unknown => metadata.get(target)?.get(key);
  reflect.getMetadata = (key: MetadataKey, target: object): unknown => {
    for (let current: object | null = target; current !== null; current = Object.getPrototypeOf(current)) {
      const map = metadata.get(current);
      if (map?.has(key) === true) return map.get(key);
    }
    return undefined;
  };
  reflect.metadata =
    (key: MetadataKey, value: unknown) =>
    (target: object): void => {
      mapFor(target).set(key, value);
    };
}

export {};
