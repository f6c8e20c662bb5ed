// A type's objects ordered by BFS distance (ties by node index), one window at a time. Distances
// span a few dozen values, so a histogram of the type's distances says where each distance's
// objects start in that order, and one pass over the type's objects in node order picks out a
// window's. Nothing of the type's size is allocated: sorting the whole list of a 2.2M-object type
// cost less in work than in the fresh memory for its arrays (~45 ms cold at 10M objects).
import type { HeapGraph } from '../graph/heap-graph';

/** Histograms kept: a few dozen numbers each. */
const KEEP = 64;

export class DistanceOrder {
  /** Per type name: objects at distance d - 1 in slot d (unreachable, d = -1, in slot 0). */
  private readonly histograms = new Map<number, Uint32Array>();

  constructor(private readonly g: HeapGraph) {}

  clear(): void {
    this.histograms.clear();
  }

  /**
   * Ranks [start, end) of type name k's objects by distance, ascending or descending (unreachable
   * ones first ascending, last descending: the order is mirrored); ties by node index ascending.
   */
  window(k: number, desc: boolean, start: number, end: number): Uint32Array {
    const members = this.members(k);
    end = Math.min(end, members.length);
    if (start >= end) return new Uint32Array(0);
    const counts = this.histogram(k);
    const buckets = counts.length;
    // first[b]: the rank of the first object in bucket b (slot order, mirrored when descending).
    const first = new Float64Array(buckets);
    let at = 0;
    for (let i = 0; i < buckets; i++) {
      const b = desc ? buckets - 1 - i : i;
      first[b] = at;
      at += counts[b]!;
    }
    // Only buckets overlapping the window matter; a bucket's objects come in node order.
    const wanted = new Uint8Array(buckets);
    for (let b = 0; b < buckets; b++) wanted[b] = first[b]! < end && first[b]! + counts[b]! > start ? 1 : 0;
    const out = new Uint32Array(end - start);
    const { distance } = this.g;
    let left = end - start;
    for (let i = 0; i < members.length && left > 0; i++) {
      const v = members[i]!;
      const b = distance[v]! + 1;
      if (wanted[b] === 0) continue;
      const rank = first[b]!++;
      if (rank >= start && rank < end) {
        out[rank - start] = v;
        left--;
      }
    }
    return out;
  }

  /** Type name k's objects in node order. */
  private members(k: number): Uint32Array {
    const t = this.g.types;
    return t.nameNodesByIndex.subarray(t.nameFirst[k]!, t.nameFirst[k + 1]!);
  }

  private histogram(k: number): Uint32Array {
    const cached = this.histograms.get(k);
    if (cached) return cached;
    const members = this.members(k);
    const { distance } = this.g;
    let counts = new Uint32Array(64);
    for (let i = 0; i < members.length; i++) {
      const b = distance[members[i]!]! + 1;
      if (b >= counts.length) {
        const grown = new Uint32Array(Math.max(2 * counts.length, b + 1));
        grown.set(counts);
        counts = grown;
      }
      counts[b]++;
    }
    let used = counts.length;
    while (used > 1 && counts[used - 1] === 0) used--;
    const out = counts.slice(0, used);
    if (this.histograms.size >= KEEP) this.histograms.delete(this.histograms.keys().next().value as number);
    this.histograms.set(k, out);
    return out;
  }
}
