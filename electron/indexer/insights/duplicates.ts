// Duplicate str and bytes values: distinct objects with one value. Keeping one copy saves
// (copies − 1) × size. Only values whose label is the complete value count (LABEL_TRUNCATED and
// REDACTED unset) and copies must have equal sizes; the rest is reported as not counted.
// Grouping is one pass that hashes every value (O(1) a string: hashEnds), then hash partitions:
// the candidates are split by the hash's top bits into partitions of ~16,000, each grouped
// exactly (bytes compared on a hash match) in an open-addressing table small enough to stay in
// cache — one table for all 3 million strings of a 10M-object heap costs a cache miss a string.
// Typed arrays throughout, no per-object objects; copies of a value share a hash, hence a
// partition, and each partition keeps node order, so the answer is the one exact grouping gives.
import { NONE32, OBJ_FLAG } from '../format/spec';
import type { HeapGraph } from '../graph/heap-graph';
import { type Candidate, fmt, hashEnds, K, lazyMembers, nodesOf, type Ranked, sameString } from './kinds';

export interface DuplicateResult {
  ranked: Ranked;
  skippedTruncated: { count: number; bytes: number };
  skippedRedacted: number;
}

export function findDuplicates(g: HeapGraph, kinds: Uint8Array): DuplicateResult {
  const strs = nodesOf(g, 'str');
  const byteses = nodesOf(g, 'bytes');
  const cand = new Uint32Array(strs.length + byteses.length);
  const hash = new Uint32Array(cand.length);
  // Partitions are counted while hashing (one pass less over the hashes), so their number comes
  // from the candidates before skipping: the grouping is exact whatever the number of partitions.
  const parts = new Partitions(cand.length);
  const s = hashValues(g, strs, K.STR, cand, hash, 0, parts);
  const b = hashValues(g, byteses, K.BYTES, cand, hash, s.m, parts);
  const grouped = groupByPartition(g, kinds, cand.subarray(0, b.m), hash.subarray(0, b.m), parts);
  return {
    ranked: rankGroups(g, kinds, grouped),
    skippedTruncated: { count: s.truncated + b.truncated, bytes: s.truncatedBytes + b.truncatedBytes },
    skippedRedacted: s.redacted + b.redacted,
  };
}

/**
 * Hashes the complete values among `nodes` (all of one kind: its type records all classify as
 * `kind`, so the type column is not read) into cand/hash from index `m`; counts the rest.
 * Counters are locals, not object fields: this loop runs once per string of the heap.
 */
function hashValues(
  g: HeapGraph,
  nodes: Uint32Array,
  kind: number,
  cand: Uint32Array,
  hash: Uint32Array,
  m: number,
  parts: Partitions,
) {
  const { flags, label, size } = g;
  const bytes = g.strings.bytes();
  const offsets = g.strings.offsets;
  let redacted = 0;
  let truncated = 0;
  let truncatedBytes = 0;
  const bits = parts.bits;
  const counts = parts.start;
  for (let i = 0; i < nodes.length; i++) {
    const v = nodes[i]!;
    const f = flags[v]!;
    const l = label[v]!;
    if (f & OBJ_FLAG.REDACTED) redacted++;
    else if (f & OBJ_FLAG.LABEL_TRUNCATED || l === NONE32) {
      truncated++;
      truncatedBytes += size[v]!;
    } else {
      const h = hashEnds(bytes, offsets, l, size[v]! * 31 + kind);
      counts[(bits === 0 ? 0 : h >>> (32 - bits)) + 1]!++;
      hash[m] = h;
      cand[m++] = v;
    }
  }
  return { m, redacted, truncated, truncatedBytes };
}

/** Candidates per partition, so that a partition's table (2 slots a candidate, 8 B a slot) fits in cache. */
const PARTITION_SIZE = 1 << 14;

/** Hash partitions of ~PARTITION_SIZE candidates (the hash's top `bits`): start[p + 1] counts partition p. */
class Partitions {
  readonly bits: number;
  readonly start: Uint32Array;
  constructor(candidates: number) {
    let bits = 0;
    while (bits < 16 && candidates >>> bits > PARTITION_SIZE) bits++;
    this.bits = bits;
    this.start = new Uint32Array((1 << bits) + 1);
  }
}

/**
 * Groups the nodes by (kind, size, value), partition by partition. Groups are numbered as
 * created; `first` is the index of a group's first copy, `packed` the candidates by partition as
 * (hash, node, index) triples (each partition in node order) and groupAt[j] the group of triple j.
 */
function groupByPartition(
  g: HeapGraph,
  kinds: Uint8Array,
  nodes: Uint32Array,
  hash: Uint32Array,
  partitions: Partitions,
) {
  const m = nodes.length;
  const { bits, start } = partitions;
  const parts = 1 << bits;
  const partOf = (h: number) => (bits === 0 ? 0 : h >>> (32 - bits));
  for (let p = 0; p < parts; p++) start[p + 1]! += start[p]!;
  // Scattered as (hash, node, index) triples in one array: read in order by the grouping below
  // (a gather by index would read them at random), and one write stream per partition.
  const cursor = start.slice(0, parts);
  const packed = new Uint32Array(3 * m);
  for (let i = 0; i < m; i++) {
    const at = 3 * cursor[partOf(hash[i]!)]!++;
    packed[at] = hash[i]!;
    packed[at + 1] = nodes[i]!;
    packed[at + 2] = i;
  }

  let largest = 0;
  for (let p = 0; p < parts; p++) largest = Math.max(largest, start[p + 1]! - start[p]!);
  let cap = 1024;
  while (cap < largest * 2) cap *= 2;
  const table = new Int32Array(cap);
  const tableHash = new Uint32Array(cap);
  const groupAt = new Uint32Array(m);
  const groupRep = new Uint32Array(m);
  const groupCount = new Uint32Array(m);
  const first = new Uint32Array(m);
  const bytes = g.strings.bytes();
  const offsets = g.strings.offsets;
  const { label: labels, size: sizes, type: types } = g;
  const mask = cap - 1;
  let groups = 0;
  for (let p = 0; p < parts; p++) {
    table.fill(-1);
    for (let j = start[p]!; j < start[p + 1]!; j++) {
      const h = packed[3 * j]!;
      const v = packed[3 * j + 1]!;
      for (let slot = h & mask; ; slot = (slot + 1) & mask) {
        const q = table[slot]!;
        if (q === -1) {
          table[slot] = groups;
          tableHash[slot] = h;
          groupRep[groups] = v;
          groupCount[groups] = 1;
          first[groups] = packed[3 * j + 2]!;
          groupAt[j] = groups++;
          break;
        }
        if (tableHash[slot] !== h) continue;
        const r = groupRep[q]!;
        if (
          sizes[r] === sizes[v] &&
          kinds[types[r]!] === kinds[types[v]!] &&
          sameString(bytes, offsets, labels[r]!, labels[v]!)
        ) {
          groupCount[q]!++;
          groupAt[j] = q;
          break;
        }
      }
    }
  }
  return { packed, groupAt, groupRep, groupCount, first, groups };
}

/**
 * Values with two or more copies, largest waste first (ties: the value met first in node order
 * first), as findings. Their copies are gathered here, by rank, so that the grouping's arrays
 * (tens of MB at 10M objects) are not kept alive with the findings.
 */
function rankGroups(g: HeapGraph, kinds: Uint8Array, r: ReturnType<typeof groupByPartition>): Ranked {
  const { groupRep, groupCount, groups, first } = r;
  const size = g.size;
  const waste = (q: number) => (groupCount[q]! - 1) * size[groupRep[q]!]!;
  let totalWaste = 0;
  const dup: number[] = [];
  for (let q = 0; q < groups; q++) {
    if (groupCount[q]! < 2) continue;
    totalWaste += waste(q);
    dup.push(q);
  }
  dup.sort((a, b) => waste(b) - waste(a) || first[a]! - first[b]!);
  const { start, list } = copiesByRank(r, dup);
  const rep = Uint32Array.from(dup, (q) => groupRep[q]!);
  return {
    size: dup.length,
    findings: dup.length,
    count: list.length,
    waste: totalWaste,
    at: (k) =>
      toCandidate(g, kinds, rep[k]!, start[k + 1]! - start[k]!, () =>
        list.subarray(start[k]!, start[k + 1]!),
      ),
    // Every copy of every duplicated value, each with its value's equal share of the waste.
    allMembers: () => {
      const nodeWaste = new Float64Array(list.length);
      for (let k = 0; k < rep.length; k++) {
        const copies = start[k + 1]! - start[k]!;
        nodeWaste.fill(((copies - 1) * size[rep[k]!]!) / copies, start[k]!, start[k + 1]!);
      }
      return { nodes: list, nodeWaste };
    },
  };
}

/**
 * The copies of the value ranked k: list[start[k]..start[k+1]) (a counting sort over the
 * partitions; a value's copies are all in one partition, in node order).
 */
function copiesByRank(r: ReturnType<typeof groupByPartition>, dup: number[]) {
  const { packed, groupAt, groupCount, groups } = r;
  const rankOf = new Int32Array(groups).fill(-1);
  const start = new Uint32Array(dup.length + 1);
  for (let k = 0; k < dup.length; k++) {
    rankOf[dup[k]!] = k;
    start[k + 1] = start[k]! + groupCount[dup[k]!]!;
  }
  const cursor = start.slice(0, dup.length);
  const list = new Uint32Array(start[dup.length]!);
  for (let j = 0; j < groupAt.length; j++) {
    const k = rankOf[groupAt[j]!]!;
    if (k !== -1) list[cursor[k]!++] = packed[3 * j + 1]!;
  }
  return { start, list };
}

function toCandidate(
  g: HeapGraph,
  kinds: Uint8Array,
  rep: number,
  copies: number,
  nodesOfValue: () => Uint32Array,
): Candidate {
  const isStr = kinds[g.type[rep]!] === K.STR;
  const size = g.size[rep]!;
  const value = g.strings.get(g.label[rep]!);
  const shown = isStr
    ? JSON.stringify(value.length > 60 ? `${value.slice(0, 60)}…` : value)
    : value.slice(0, 62);
  const wasted = (copies - 1) * size;
  return {
    kind: 'duplicate-values',
    type: isStr ? 'str' : 'bytes',
    title: `${shown} (${isStr ? 'str' : 'bytes'}, ${fmt(size)} B): ${fmt(copies)} copies`,
    count: copies,
    wastedBytes: wasted,
    estimate: `(${fmt(copies)} − 1) × ${fmt(size)} B`,
    remedy: isStr
      ? 'Keep one copy: sys.intern() the value where it is made or parsed (field names, enum-like values, repeated keys), or deduplicate at load with a dict (s = seen.setdefault(s, s)).'
      : 'Keep one copy: deduplicate at load with a dict (b = seen.setdefault(b, b)); bytes cannot be interned.',
    // Each copy carries an equal share, so owners' bytes add up to the finding's.
    members: lazyMembers(() => {
      const nodes = nodesOfValue();
      return { nodes, nodeWaste: new Float64Array(nodes.length).fill(wasted / copies) };
    }),
  };
}
