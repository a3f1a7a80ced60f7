/** The list `map` holds under `key`, made empty when it holds none yet (so callers push, never copy a list per entry). */
export function listIn<K, V>(map: Map<K, V[]>, key: K): V[] {
  let list = map.get(key);
  if (!list) map.set(key, (list = []));
  return list;
}
