// Ranks a set of nodes by a per-node key and returns only the requested window, as DevTools sorts
// only the rows it sends. Small sets sort directly; a window near the top of a large set comes from
// a bounded heap (O(n log end)); deeper windows of large sets use an O(n) radix sort on the integer
// keys (sizes, distances, addresses) whose result is cached for the next page.

import { compare, type Key, sortAll } from '../graph/order';

export type { Key };
export { sortAll };

const SMALL = 4096;
/** Windows ending within this many rows of the top use the heap, unless a full order is cached. */
export const HEAP_WINDOW = 2000;
/** A cached order: all items (`complete`) or the best HEAP_WINDOW of them. */
const cache = new Map<string, { order: Uint32Array; complete: boolean }>();
/** Cached orders hold at most this many node indices in all (4 bytes each). */
const CACHE_ITEMS = 8_000_000;
let cachedItems = 0;

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
  if (cached && (cached.complete || end <= cached.order.length)) return cached.order.subarray(start, end);
  if (items.length <= SMALL) {
    return Uint32Array.from(items)
      .sort((a, b) => compare(key, desc, a, b))
      .subarray(start, end);
  }
  // Distances (the Int32Array key) span a few dozen values: one counting pass sorts them all,
  // cheaper than a heap that compares mostly ties.
  if (end <= HEAP_WINDOW && !(key instanceof Int32Array)) {
    // The best HEAP_WINDOW rows cost little more than the best `end`, and serve the next pages too.
    const top = topWindow(items, key, desc, 0, HEAP_WINDOW);
    remember(cacheKey, top, false);
    return top.subarray(start, end);
  }
  const sorted = sortAll(items, key, desc);
  remember(cacheKey, sorted, true);
  return sorted.subarray(start, end);
}

/**
 * Where `v` ranks among `items` in `compare`'s order (the order of every window above), or -1
 * when it is not among them: one pass, no sort.
 */
export function rankOf(items: Uint32Array, key: Key, desc: boolean, v: number): number {
  let before = 0;
  let found = false;
  for (let i = 0; i < items.length; i++) {
    const u = items[i]!;
    if (u === v) found = true;
    else if (compare(key, desc, u, v) < 0) before++;
  }
  return found ? before : -1;
}

function remember(cacheKey: string, order: Uint32Array, complete: boolean): void {
  if (order.length > CACHE_ITEMS) return;
  forget(cacheKey);
  cache.set(cacheKey, { order, complete });
  cachedItems += order.length;
  while (cachedItems > CACHE_ITEMS) forget(cache.keys().next().value as string);
}

function forget(cacheKey: string): void {
  const entry = cache.get(cacheKey);
  if (!entry) return;
  cache.delete(cacheKey);
  cachedItems -= entry.order.length;
}

/** Forgets cached orders whose key starts with `prefix` (a snapshot closing). */
export function forgetRanks(prefix: string): void {
  for (const k of [...cache.keys()]) if (k.startsWith(prefix)) forget(k);
}

/** The first `end` items by a bounded binary heap (TopK). */
function topWindow(items: Uint32Array, key: Key, desc: boolean, start: number, end: number): Uint32Array {
  const top = new TopK(key, desc, end);
  for (let i = 0; i < items.length; i++) top.offer(items[i]!);
  return top.sorted().subarray(start, end);
}

/**
 * The best `size` nodes of those offered, by `key` (ties by node index), in a bounded binary heap
 * whose root is the worst kept. Each kept node's key is kept beside it, so sifting compares within
 * the heap's own arrays instead of reading `key` at random (a label search's first page, 169k
 * matches at 10M objects: 7.1 → 6.3 ms). Once the heap is full nearly every node offered loses to
 * the root on the key alone, and that test comes first: a search can offer millions.
 */
export class TopK {
  private readonly nodes: Uint32Array;
  private readonly keys: Float64Array;
  private count = 0;

  constructor(
    private readonly key: Key,
    private readonly desc: boolean,
    size: number,
  ) {
    this.nodes = new Uint32Array(size);
    this.keys = new Float64Array(size);
  }

  offer(v: number): void {
    this.offerKeyed(v, this.key[v]!);
  }

  /** offer(v) for a caller that has v's key at hand (`k` must equal key[v]). */
  offerKeyed(v: number, k: number): void {
    const { nodes, keys } = this;
    if (this.count < nodes.length) {
      let i = this.count++;
      // Sift up: the new node rises past every parent it is worse than.
      while (i > 0) {
        const p = (i - 1) >> 1;
        if (!this.worse(k, v, keys[p]!, nodes[p]!)) break;
        nodes[i] = nodes[p]!;
        keys[i] = keys[p]!;
        i = p;
      }
      nodes[i] = v;
      keys[i] = k;
      return;
    }
    if (nodes.length === 0 || !this.worse(keys[0]!, nodes[0]!, k, v)) return;
    this.replaceRoot(v, k);
  }

  /**
   * offerKeyed(nodes[j], keys[j]) for j in [from, to), with the test that rejects nearly all of them
   * once the heap is full written out in one small loop (a label search offers millions of nodes in
   * a query's first call, before the optimizing compiler has seen anything else of it).
   */
  offerRange(nodes: Uint32Array, keys: Float64Array, from: number, to: number): void {
    const size = this.nodes.length;
    let j = from;
    for (; j < to && this.count < size; j++) this.offerKeyed(nodes[j]!, keys[j]!);
    if (j >= to) return;
    const sign = this.desc ? 1 : -1;
    let floor = sign * this.keys[0]!;
    let floorNode = this.nodes[0]!;
    for (; j < to; j++) {
      const k = sign * keys[j]!;
      // Kept only if better than the worst kept: a larger (signed) key, or the same key and a lower
      // node index.
      if (k < floor || (k === floor && nodes[j]! > floorNode)) continue;
      this.replaceRoot(nodes[j]!, keys[j]!);
      floor = sign * this.keys[0]!;
      floorNode = this.nodes[0]!;
    }
  }

  /** Keys below this (above, ascending) are not admitted: the worst kept key, once full. */
  floor(): number {
    // Empty: nothing is admitted; filling: everything is.
    if (this.nodes.length === 0) return this.desc ? Number.POSITIVE_INFINITY : Number.NEGATIVE_INFINITY;
    if (this.count < this.nodes.length)
      return this.desc ? Number.NEGATIVE_INFINITY : Number.POSITIVE_INFINITY;
    return this.keys[0]!;
  }

  /** Whether `v`, with key `k`, would be kept now. */
  admits(v: number, k: number): boolean {
    if (this.count < this.nodes.length) return this.nodes.length > 0;
    return this.worse(this.keys[0]!, this.nodes[0]!, k, v);
  }

  /** The nodes kept, best first. */
  sorted(): Uint32Array {
    const { nodes, keys } = this;
    const at = Array.from({ length: this.count }, (_, i) => i);
    at.sort((i, j) =>
      this.worse(keys[i]!, nodes[i]!, keys[j]!, nodes[j]!)
        ? 1
        : this.worse(keys[j]!, nodes[j]!, keys[i]!, nodes[i]!)
          ? -1
          : 0,
    );
    return Uint32Array.from(at, (i) => nodes[i]!);
  }

  /** Whether (ka, a) ranks after (kb, b): by key, ties by node index. */
  private worse(ka: number, a: number, kb: number, b: number): boolean {
    if (ka !== kb) return this.desc ? ka < kb : ka > kb;
    return a > b;
  }

  /** Puts (v, k) at the root and sifts it down: the worst kept ends up at the root again. */
  private replaceRoot(v: number, k: number): void {
    const { nodes, keys } = this;
    const size = this.count;
    let i = 0;
    for (;;) {
      const l = 2 * i + 1;
      if (l >= size) break;
      const r = l + 1;
      let m = l;
      if (r < size && this.worse(keys[r]!, nodes[r]!, keys[l]!, nodes[l]!)) m = r;
      if (!this.worse(keys[m]!, nodes[m]!, k, v)) break;
      nodes[i] = nodes[m]!;
      keys[i] = keys[m]!;
      i = m;
    }
    nodes[i] = v;
    keys[i] = k;
  }
}
