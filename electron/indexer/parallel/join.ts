// Kernels of the edges stage's address join (graph/edges.ts): every edge's target address, and
// every root's and allocation record's, is matched to the object at that address by a radix-
// partitioned hash join. Objects and probes are first scattered into 2^bits partitions by the top
// bits of their address hash; each partition (~4k objects) then gets a hash table small enough to
// stay in the L1 cache, built and probed there; the results are put back in the probes' own order
// by replaying the scatter. Every pass reads or writes memory in order (or in 2^bits sequential
// streams), where one large table took a cache and TLB miss per object and per edge: on the 10M-
// object benchmark heap that was 6.1 s of CPU against 2.3 s for the join, one thread each.
//
// Like kernels.ts, this module imports nothing and its functions refer to nothing outside it: the
// helper thread runs their source text (helper.ts).

/**
 * Fibonacci hash of an address to `32 - shift` bits, ignoring the 3 always-zero alignment bits.
 * Addresses are 48-bit and kept as exact float64 values.
 */
export function hashAddress(addr: number, shift: number): number {
  const hi = (addr / 4294967296) | 0;
  const lo = (addr - hi * 4294967296) | 0;
  return Math.imul((lo >>> 3) ^ Math.imul(hi, 0x27d4eb2d), 0x9e3779b1) >>> shift;
}

/**
 * The partition of a 32-bit hash: its top `bits` bits (0 bits: partition 0; a single `>>> 32`
 * would shift by nothing).
 */
function partitionOf(hash: number, bits: number): number {
  return (hash >>> 1) >>> (31 - bits);
}

/** Adds the partition sizes of addresses [from, to) to `counts`. */
export function countPartitions(
  address: Float64Array,
  from: number,
  to: number,
  bits: number,
  counts: Uint32Array,
): number {
  for (let i = from; i < to; i++) counts[partitionOf(hashAddress(address[i]!, 0), bits)]++;
  return to - from;
}

/**
 * Writes objects [from, to) into their partitions: `keys` their addresses, `nodes` their node
 * indices, at `cursor[p]++` (this thread's own cursors: the two threads write disjoint slots, and
 * each partition lists its objects in node order).
 */
export function scatterObjects(
  address: Float64Array,
  from: number,
  to: number,
  bits: number,
  cursor: Uint32Array,
  keys: Float64Array,
  nodes: Uint32Array,
): number {
  for (let v = from; v < to; v++) {
    const a = address[v]!;
    const j = cursor[partitionOf(hashAddress(a, 0), bits)]!++;
    keys[j] = a;
    nodes[j] = v;
  }
  return to - from;
}

/**
 * Writes probe addresses [from, to) into their partitions. A weak edge's address is stored as
 * `-address - 1` (addresses are never negative): the join must not count it as a strong reference,
 * and the sign carries that without another array.
 */
export function scatterProbes(
  address: Float64Array,
  kind: Uint8Array | null,
  weakKind: number,
  from: number,
  to: number,
  bits: number,
  cursor: Uint32Array,
  keys: Float64Array,
): number {
  for (let i = from; i < to; i++) {
    const a = address[i]!;
    keys[cursor[partitionOf(hashAddress(a, 0), bits)]!++] =
      kind !== null && kind[i] === weakKind ? -a - 1 : a;
  }
  return to - from;
}

export interface JoinResult {
  /** The lowest node whose address an earlier node already has (a corrupt file), or -1. */
  duplicate: number;
  /** Edges whose target address is no object's. */
  dangling: number;
  /** The target of each weak edge, once per edge (rare: the caller counts them). */
  weakTargets: number[];
}

/**
 * Joins partitions taken in chunks of `chunk` from `next[0]` (shared, atomic) until all are done,
 * on whichever threads call it. For partition p: objects objFirst[p]..objFirst[p+1] of
 * objKeys/objNodes, edge probes edgeFirst[p].. of edgeKeys, other probes extraFirst[p].. of
 * extraKeys. Each probe's result (its node, or 0xffffffff) is written over its own key, as the
 * Uint32 at twice its index (the key was just read; nothing else reads it). Each object's count of
 * strong edge references is written over its own key the same way, once its partition is done.
 */
export function joinPartitions(
  objFirst: Uint32Array,
  objKeys: Float64Array,
  objNodes: Uint32Array,
  edgeFirst: Uint32Array,
  edgeKeys: Float64Array,
  extraFirst: Uint32Array,
  extraKeys: Float64Array,
  bits: number,
  tableBits: number,
  chunk: number,
  next: Int32Array,
): JoinResult {
  const partitions = objFirst.length - 1;
  const table = new Int32Array(1 << tableBits);
  const mask = table.length - 1;
  let largest = 0;
  for (let p = 0; p < partitions; p++) largest = Math.max(largest, objFirst[p + 1]! - objFirst[p]!);
  const counts = new Uint32Array(largest);
  const objOut = new Uint32Array(objKeys.buffer, objKeys.byteOffset, objKeys.length * 2);
  const edgeOut = new Uint32Array(edgeKeys.buffer, edgeKeys.byteOffset, edgeKeys.length * 2);
  const extraOut = new Uint32Array(extraKeys.buffer, extraKeys.byteOffset, extraKeys.length * 2);
  const result: JoinResult = { duplicate: -1, dangling: 0, weakTargets: [] };
  // The slot of a hash within its partition's table: the bits just below the partition bits.
  const slotShift = 32 - tableBits;
  for (;;) {
    const first = Atomics.add(next, 0, 1) * chunk;
    if (first >= partitions) return result;
    for (let p = first; p < Math.min(partitions, first + chunk); p++) {
      const o0 = objFirst[p]!;
      const o1 = objFirst[p + 1]!;
      table.fill(-1);
      for (let j = o0; j < o1; j++) {
        const a = objKeys[j]!;
        let s = (hashAddress(a, 0) << bits) >>> slotShift;
        for (;;) {
          const k = table[s]!;
          if (k < 0) {
            table[s] = j - o0;
            break;
          }
          if (objKeys[o0 + k] === a) {
            const v = objNodes[j]!;
            if (result.duplicate < 0 || v < result.duplicate) result.duplicate = v;
            break;
          }
          s = (s + 1) & mask;
        }
      }
      // Edges: strong references counted per object, weak ones listed.
      for (let j = edgeFirst[p]!; j < edgeFirst[p + 1]!; j++) {
        const x = edgeKeys[j]!;
        const a = x < 0 ? -x - 1 : x;
        let s = (hashAddress(a, 0) << bits) >>> slotShift;
        for (;;) {
          const k = table[s]!;
          if (k < 0) {
            edgeOut[2 * j] = 0xffffffff;
            result.dangling++;
            break;
          }
          if (objKeys[o0 + k] === a) {
            const v = objNodes[o0 + k]!;
            edgeOut[2 * j] = v;
            if (x < 0) result.weakTargets.push(v);
            else counts[k]!++;
            break;
          }
          s = (s + 1) & mask;
        }
      }
      for (let j = extraFirst[p]!; j < extraFirst[p + 1]!; j++) {
        const a = extraKeys[j]!;
        let s = (hashAddress(a, 0) << bits) >>> slotShift;
        for (;;) {
          const k = table[s]!;
          if (k < 0) {
            extraOut[2 * j] = 0xffffffff;
            break;
          }
          if (objKeys[o0 + k] === a) {
            extraOut[2 * j] = objNodes[o0 + k]!;
            break;
          }
          s = (s + 1) & mask;
        }
      }
      for (let j = o0; j < o1; j++) {
        objOut[2 * j] = counts[j - o0]!;
        counts[j - o0] = 0;
      }
    }
  }
}

/**
 * Puts results back in the probes' order: out[i] = values[2 * cursor[p]++] for i in
 * [from, to), where p is the partition of address[i] and `cursor` a fresh copy of the cursors the
 * scatter started from, so the same sequence of slots is read that was written.
 */
export function unpartition(
  address: Float64Array,
  from: number,
  to: number,
  bits: number,
  cursor: Uint32Array,
  values: Uint32Array,
  out: Uint32Array,
): number {
  for (let i = from; i < to; i++) {
    out[i] = values[2 * cursor[partitionOf(hashAddress(address[i]!, 0), bits)]!++]!;
  }
  return to - from;
}

/** The functions in this file, in an order the helper thread can define them in. */
export const JOIN_SOURCE = [
  hashAddress,
  partitionOf,
  countPartitions,
  scatterObjects,
  scatterProbes,
  joinPartitions,
  unpartition,
];
