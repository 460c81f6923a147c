/**
 * @peculiar/x509 uses tsyringe, which refuses to load without the
 * `reflect-metadata` polyfill. That package is not installed in this
 * workspace, so tests provide the three functions tsyringe and x509 call,
 * with the same semantics (own metadata per target and key; getMetadata
 * walks the prototype chain). Imported before @peculiar/x509.
 */
type MetadataKey = string | symbol;
const store = new WeakMap<object, Map<MetadataKey, unknown>>();

function ownMap(target: object, create: boolean): Map<MetadataKey, unknown> | undefined {
  let map = store.get(target);
  if (map === undefined && create) {
    map = new Map();
    store.set(target, map);
  }
  return map;
}

const reflect = Reflect as unknown as Record<string, unknown>;
if (typeof reflect.getMetadata !== 'function') {
  reflect.defineMetadata = (key: MetadataKey, value: unknown, target: object): void => {
    ownMap(target, true)?.set(key, value);
  };
  reflect.getOwnMetadata = (key: MetadataKey, target: object): unknown => ownMap(target, false)?.get(key);
  reflect.getMetadata = (key: MetadataKey, target: object): unknown => {
    for (let current: object | null = target; current !== null; current = Object.getPrototypeOf(current)) {
      const map = ownMap(current, false);
      if (map?.has(key) === true) return map.get(key);
    }
    return undefined;
  };
  reflect.metadata =
    (key: MetadataKey, value: unknown) =>
    (target: object): void => {
      ownMap(target, true)?.set(key, value);
    };
}

export {};
