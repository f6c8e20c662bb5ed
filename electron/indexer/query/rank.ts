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
 * whose root is the worst kept. Once it is full nearly every node offered loses to the root on the
 * key alone, and that test comes first, without the comparator: a search can offer millions.
 */
export class TopK {
  private readonly heap: Uint32Array;
  private count = 0;
  private worstKey = 0;
  private readonly worse: (a: number, b: number) => boolean;

  constructor(
    private readonly key: Key,
    private readonly desc: boolean,
    size: number,
  ) {
    this.heap = new Uint32Array(size);
    this.worse = (a, b) => compare(key, desc, a, b) > 0;
  }

  offer(v: number): void {
    const heap = this.heap;
    if (this.count < heap.length) {
      heap[this.count] = v;
      siftUp(heap, this.count++, this.worse);
      this.worstKey = this.key[heap[0]!]!;
      return;
    }
    if (heap.length === 0) return;
    const k = this.key[v]!;
    if (this.desc ? k < this.worstKey : k > this.worstKey) return;
    if (k === this.worstKey && v > heap[0]!) return; // ties rank by node index
    heap[0] = v;
    siftDown(heap, this.count, this.worse);
    this.worstKey = this.key[heap[0]!]!;
  }

  /** Keys below this (above, ascending) are not admitted: the worst kept key, once full. */
  floor(): number {
    if (this.count < this.heap.length) return this.desc ? Number.NEGATIVE_INFINITY : Number.POSITIVE_INFINITY;
    return this.worstKey;
  }

  /**
   * Whether `v`, with key `k`, would be kept now: the test offer() starts with, for callers that
   * read keys from a copy in their own order (label search).
   */
  admits(v: number, k: number): boolean {
    if (this.count < this.heap.length) return this.heap.length > 0;
    if (this.desc ? k < this.worstKey : k > this.worstKey) return false;
    return k !== this.worstKey || v < this.heap[0]!;
  }

  /** The nodes kept, best first. */
  sorted(): Uint32Array {
    const { key, desc } = this;
    return this.heap.subarray(0, this.count).sort((a, b) => compare(key, desc, a, b));
  }
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
