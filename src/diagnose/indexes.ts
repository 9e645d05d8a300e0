/**
 * What rules build once and look up many times: a capture can hold 10,000 sessions and a
 * thousand unexplained GRE flows, so a rule that scanned them per session would grow with
 * the square of the capture. Rules keep per-capture indexes and per-session answers here.
 */

/**
 * What `compute` gives for `key`, worked out the first time it is asked and kept in `cache`
 * (a WeakMap keyed by the capture's or a session's facts goes with them).
 */
export function workedOutOnce<K, V>(cache: { get(key: K): V | undefined; set(key: K, value: V): unknown }, key: K, compute: (key: K) => V): V {
  let value = cache.get(key);
  if (value === undefined) {
    value = compute(key);
    cache.set(key, value);
  }
  return value;
}

/** Adds `item` to the list filed under `key`, starting the list with it. */
export function fileUnder<K, T>(map: Map<K, T[]>, key: K, item: T): void {
  const list = map.get(key);
  if (list === undefined) map.set(key, [item]);
  else list.push(item);
}

/** The key of what goes from one address to another (in that order). */
export function addressPairKey(from: string, to: string): string {
  return `${from} ${to}`;
}
