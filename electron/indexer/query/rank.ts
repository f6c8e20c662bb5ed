// Ranks a set of nodes by a per-node key and returns only the requested window. For a window near the
// top of a large set it keeps a bounded heap (O(n log end)) instead of sorting everything, as DevTools
// sorts only the rows it sends; full sorts of large sets are cached for deep paging.

export type Key = ArrayLike<number>;

/** Positive when a ranks after b. Ties break by node index so pages never overlap. */
function compare(key: Key, desc: boolean, a: number, b: number): number {
  const d = key[a]! - key[b]!;
  if (d !== 0) return desc ? -d : d;
  return a - b;
}

const FULL_SORT_BELOW = 4096;
const cache = new Map<string, Uint32Array>();
const CACHE_ENTRIES = 8;

/**
 * Nodes at ranks [start, end) of `items` ordered by `key`. `cacheKey` names the (items, key, order)
 * combination so that a full sort can be reused by the next page.
 */
export function rankWindow(
  items: Uint32Array,
  key: Key,
  desc: boolean,
  start: number,
  end: number,
  cacheKey: string,
): Uint32Array {
  end = Math.min(end, items.length);
  if (start >= end) return new Uint32Array(0);
  const cached = cache.get(cacheKey);
  if (cached && cached.length === items.length) return cached.subarray(start, end);
  if (items.length <= FULL_SORT_BELOW || end > items.length / 8) {
    const sorted = Uint32Array.from(items).sort((a, b) => compare(key, desc, a, b));
    if (items.length > FULL_SORT_BELOW) remember(cacheKey, sorted);
    return sorted.subarray(start, end);
  }
  return topWindow(items, key, desc, start, end);
}

function remember(cacheKey: string, sorted: Uint32Array): void {
  cache.delete(cacheKey);
  cache.set(cacheKey, sorted);
  while (cache.size > CACHE_ENTRIES) cache.delete(cache.keys().next().value as string);
}

/** Forgets cached orders whose key starts with `prefix` (a snapshot closing). */
export function forgetRanks(prefix: string): void {
  for (const k of [...cache.keys()]) if (k.startsWith(prefix)) cache.delete(k);
}

/** The first `end` items by a bounded binary heap whose root is the worst kept item. */
function topWindow(items: Uint32Array, key: Key, desc: boolean, start: number, end: number): Uint32Array {
  const heap = new Uint32Array(end);
  let size = 0;
  const worse = (a: number, b: number) => compare(key, desc, a, b) > 0;
  for (let i = 0; i < items.length; i++) {
    const v = items[i]!;
    if (size < end) {
      heap[size] = v;
      siftUp(heap, size++, worse);
    } else if (worse(heap[0]!, v)) {
      heap[0] = v;
      siftDown(heap, size, worse);
    }
  }
  const sorted = heap.subarray(0, size).sort((a, b) => compare(key, desc, a, b));
  return sorted.subarray(start, end);
}

function siftUp(heap: Uint32Array, i: number, worse: (a: number, b: number) => boolean): void {
  while (i > 0) {
    const p = (i - 1) >> 1;
    if (!worse(heap[i]!, heap[p]!)) return;
    const t = heap[i]!;
    heap[i] = heap[p]!;
    heap[p] = t;
    i = p;
  }
}

function siftDown(heap: Uint32Array, size: number, worse: (a: number, b: number) => boolean): void {
  let i = 0;
  for (;;) {
    const l = 2 * i + 1;
    const r = l + 1;
    let m = i;
    if (l < size && worse(heap[l]!, heap[m]!)) m = l;
    if (r < size && worse(heap[r]!, heap[m]!)) m = r;
    if (m === i) return;
    const t = heap[i]!;
    heap[i] = heap[m]!;
    heap[m] = t;
    i = m;
  }
}
