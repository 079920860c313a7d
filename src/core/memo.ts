// A bounded cache for pure computations that a long run repeats (sweep points sharing a workload or a schedule).

/**
 * The value `cache` holds for `key`, computed and stored first when missing. At most `limit` entries are kept;
 * the oldest goes first. Only for pure `compute`: a cached value stands for every later call with the same key.
 */
export function memoBounded<K, V>(cache: Map<K, V>, key: K, limit: number, compute: () => V): V {
  let value = cache.get(key);
  if (value === undefined) {
    value = compute();
    if (cache.size >= limit) cache.delete(cache.keys().next().value as K);
    cache.set(key, value);
  }
  return value;
}

/**
 * memoBounded under an object: the values `cache` holds for `owner` (a resolved preset, a schedule...), kept
 * as long as the owner lives. At most `limit` entries per owner.
 */
export function memoOwned<O extends object, K, V>(cache: WeakMap<O, Map<K, V>>, owner: O, key: K, limit: number, compute: () => V): V {
  let byKey = cache.get(owner);
  if (byKey === undefined) {
    byKey = new Map();
    cache.set(owner, byKey);
  }
  return memoBounded(byKey, key, limit, compute);
}
