// Ordering node sets by a per-node key: an O(n) radix sort for the integer keys every column has
// (sizes, distances, addresses), a comparison sort otherwise. Ties break by node index, always.
//
// These functions also run on the indexer's helper thread (parallel/helper.ts sends their source
// text): they import nothing and call only each other.

export type Key = ArrayLike<number>;

/** Positive when a ranks after b. Ties break by node index so pages never overlap. */
export function compare(key: Key, desc: boolean, a: number, b: number): number {
  const d = key[a]! - key[b]!;
  if (d !== 0) return desc ? -d : d;
  return a - b;
}

/**
 * Every item in order: radix sort when all keys are integers below 2^53, else a comparison sort.
 * `byIndex`: the items are already in ascending node order (saves the tie-ordering sort).
 * `consume`: `items` may be overwritten (saves a copy as large as it).
 */
export function sortAll(
  items: Uint32Array,
  key: Key,
  desc: boolean,
  byIndex = false,
  consume = false,
): Uint32Array {
  let min = Number.POSITIVE_INFINITY;
  let max = Number.NEGATIVE_INFINITY;
  let integral = true;
  for (let i = 0; i < items.length; i++) {
    const k = key[items[i]!]!;
    if (k < min) min = k;
    if (k > max) max = k;
    if (integral && !Number.isSafeInteger(k)) integral = false;
  }
  if (!integral || items.length === 0)
    return Uint32Array.from(items).sort((a, b) => compare(key, desc, a, b));
  // Ties must come out by ascending node index: sort a copy of the items by index first (stable LSD
  // passes keep that order within equal keys).
  const order = byIndex ? (consume ? items : Uint32Array.from(items)) : sortIndices(items);
  const base = desc ? max : min;
  return max - min < 2 ** 32
    ? radixSort32(order, key, base, desc)
    : radixSort(order, key, base, desc, max - min);
}

/** The node indices themselves in ascending order, by an 11-bit LSD radix sort (O(n), no compares). */
function sortIndices(items: Uint32Array): Uint32Array {
  const n = items.length;
  let src: Uint32Array = Uint32Array.from(items);
  let dst: Uint32Array = new Uint32Array(n);
  let max = 0;
  for (let i = 0; i < n; i++) if (src[i]! > max) max = src[i]!;
  const count = new Uint32Array(2048);
  for (let shift = 0; shift < 32 && max >>> shift > 0; shift += 11) {
    count.fill(0);
    for (let i = 0; i < n; i++) count[(src[i]! >>> shift) & 2047]++;
    exclusivePrefixSum(count);
    for (let i = 0; i < n; i++) dst[count[(src[i]! >>> shift) & 2047]++] = src[i]!;
    [src, dst] = [dst, src];
  }
  return src;
}

/** radixSort for ranks below 2^32 (nearly always): integer digits, three passes at most. */
function radixSort32(order: Uint32Array, key: Key, base: number, desc: boolean): Uint32Array {
  const n = order.length;
  let srcRank: Uint32Array = new Uint32Array(n);
  let max = 0;
  for (let i = 0; i < n; i++) {
    const r = desc ? base - key[order[i]!]! : key[order[i]!]! - base;
    srcRank[i] = r;
    if (r > max) max = r;
  }
  let src: Uint32Array = order;
  let dst: Uint32Array = new Uint32Array(n);
  let dstRank: Uint32Array = new Uint32Array(n);
  const count = new Uint32Array(2048);
  for (let shift = 0; shift < 32 && max >>> shift > 0; shift += 11) {
    count.fill(0);
    for (let i = 0; i < n; i++) count[(srcRank[i]! >>> shift) & 2047]++;
    exclusivePrefixSum(count);
    for (let i = 0; i < n; i++) {
      const at = count[(srcRank[i]! >>> shift) & 2047]++;
      dst[at] = src[i]!;
      dstRank[at] = srcRank[i]!;
    }
    [src, dst] = [dst, src];
    [srcRank, dstRank] = [dstRank, srcRank];
  }
  return src;
}

/** LSD radix sort by rank = |key - base|, 11 bits a pass; stable. */
function radixSort(order: Uint32Array, key: Key, base: number, desc: boolean, span: number): Uint32Array {
  const n = order.length;
  const rank = new Float64Array(n);
  for (let i = 0; i < n; i++) rank[i] = desc ? base - key[order[i]!]! : key[order[i]!]! - base;
  let src: Uint32Array = order;
  let dst: Uint32Array = new Uint32Array(n);
  let srcRank: Float64Array = rank;
  let dstRank: Float64Array = new Float64Array(n);
  const count = new Uint32Array(2048);
  for (let shift = 1; shift <= span; shift *= 2048) {
    count.fill(0);
    for (let i = 0; i < n; i++) count[Math.floor(srcRank[i]! / shift) % 2048]++;
    exclusivePrefixSum(count);
    for (let i = 0; i < n; i++) {
      const at = count[Math.floor(srcRank[i]! / shift) % 2048]++;
      dst[at] = src[i]!;
      dstRank[at] = srcRank[i]!;
    }
    [src, dst] = [dst, src];
    [srcRank, dstRank] = [dstRank, srcRank];
  }
  return src;
}

/** Turns digit counts into each digit's first output slot (one radix pass's bucket offsets). */
function exclusivePrefixSum(count: Uint32Array): void {
  let sum = 0;
  for (let d = 0; d < count.length; d++) {
    const c = count[d]!;
    count[d] = sum;
    sum += c;
  }
}

/**
 * Sorts each group of `items` by `key`, ties by node index, into the same positions of `out` (which
 * may be `items`). Group k is items[first[k]..first[k+1]), in ascending node order. The dominator
 * tree's rows and the per-type lists each need their own order; sorting each group where it lies
 * reads the keys nearly in order (the tree's rows are short, the per-type lists are in node order),
 * where one sort of the whole heap and a scatter by its result read them at random. At 10M objects:
 * ~150 ms for the tree's rows and ~250 ms for the per-type lists, against ~600 ms for the one sort
 * and ~350 + ~230 ms for the two scatters.
 */
export function sortGroups(
  key: Key,
  desc: boolean,
  first: Uint32Array,
  items: Uint32Array,
  out: Uint32Array,
): number {
  const insertionMax = 16; // most dominator-tree rows hold 1 to 3 children
  const groups = first.length - 1;
  for (let k = 0; k < groups; k++) {
    const a = first[k]!;
    const b = first[k + 1]!;
    if (b - a < 2) {
      // Nothing to order (most dominator-tree rows: 2M of 10M objects are an only child), and
      // reading the one key would be a cache miss.
      if (b > a && out !== items) out[a] = items[a]!;
      continue;
    }
    if (b - a > insertionMax) {
      out.set(sortAll(items.subarray(a, b), key, desc, true), a);
      continue;
    }
    // Insertion sort; stable, so ties stay in node order. In place when out === items: items[i] is
    // read before any shift writes position i.
    for (let i = a; i < b; i++) {
      const x = items[i]!;
      const kx = key[x]!;
      let j = i - 1;
      while (j >= a && (desc ? key[out[j]!]! < kx : key[out[j]!]! > kx)) {
        out[j + 1] = out[j]!;
        j--;
      }
      out[j + 1] = x;
    }
  }
  return items.length;
}

/** The functions above, in an order the helper thread can define them in. */
export const ORDER_SOURCE = [
  compare,
  sortAll,
  sortIndices,
  radixSort32,
  radixSort,
  exclusivePrefixSum,
  sortGroups,
];
