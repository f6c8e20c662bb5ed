// Duplicate str and bytes values: distinct objects with one value. Keeping one copy saves
// (copies − 1) × size. Only values whose label is the complete value count (LABEL_TRUNCATED and
// REDACTED unset) and copies must have equal sizes; the rest is reported as not counted.
// Grouping is one pass that hashes every value (valueHash: ends only up to 16 bytes, else every
// 32-bit word), then hash partitions:
// the candidates are split by the hash's top bits into partitions of ~8,000, each grouped in a
// table small enough to stay in cache (on this VM a random read beyond the L2 cache costs a TLB
// walk: ~50 ns). A partition is read once: a hash met the first time only keeps its candidate in
// its slot; only when it repeats are groups made, exactly (bytes compared) — most values are
// unique, and cost no group. Typed arrays throughout, no per-object objects; copies of a value
// share a hash, hence a partition, and each partition keeps node order, so the answer is the one
// exact grouping gives. The hashes are made once per snapshot (valueHashesOf), the partitions'
// pairs are scratch memory (scratch.ts).
import { NONE32, OBJ_FLAG } from '../format/spec';
import type { HeapGraph } from '../graph/heap-graph';
import {
  type Candidate,
  dataView,
  fmt,
  K,
  lazyMembers,
  nodesOf,
  type Ranked,
  sameString,
  valueHash,
} from './kinds';
import { SCRATCH, type Scratch, scratchOf } from './scratch';

export interface DuplicateResult {
  ranked: Ranked;
  skippedTruncated: { count: number; bytes: number };
  skippedRedacted: number;
}

export function findDuplicates(
  g: HeapGraph,
  kinds: Uint8Array,
  scratch: Scratch = scratchOf(g),
): DuplicateResult {
  const strs = nodesOf(g, 'str');
  const byteses = nodesOf(g, 'bytes');
  const h = valueHashesOf(g);
  // The partitions' counts are the snapshot's: each call sums its own copy into starts.
  const parts = { bits: h.bits, start: h.counts.slice() };
  const grouped = groupRepeats(g, kinds, strs, byteses, h.hash, h.hashed, parts, scratch);
  return {
    ranked: rankGroups(g, kinds, grouped),
    skippedTruncated: { count: h.truncated, bytes: truncatedBytes(g, h.readBytes, [strs, byteses]) },
    skippedRedacted: h.redacted,
  };
}

/**
 * Every str and bytes value's hash and the hashing's tallies: the same for every call of a
 * snapshot, so made once (by the load's `insights` stage: prepare.ts) and kept, ~4 B a value.
 */
export interface ValueHashes {
  /** Candidate i is strs[i], or byteses[i − strs.length]; its hash, 0 when it is not hashed. */
  hash: Uint32Array;
  /** Hashed candidates of partition p (the hash's top `bits`) at counts[p + 1]; counts[0] is 0. */
  counts: Uint32Array;
  bits: number;
  hashed: number;
  redacted: number;
  truncated: number;
  /** Sizes of the values hashed or redacted (the rest is truncated: truncatedBytes). */
  readBytes: number;
}

const hashesPerSnapshot = new WeakMap<HeapGraph, ValueHashes>();

/** The snapshot's value hashes (ValueHashes), made on the first ask. */
export function valueHashesOf(g: HeapGraph): ValueHashes {
  const made = hashesPerSnapshot.get(g);
  if (made) return made;
  const strs = nodesOf(g, 'str');
  const byteses = nodesOf(g, 'bytes');
  const hash = new Uint32Array(strs.length + byteses.length);
  // Partitions are counted while hashing (one pass less over the hashes), so their number comes
  // from the candidates before skipping: the grouping is exact whatever the number of partitions.
  const parts = new Partitions(hash.length);
  const hasher = new ValueHasher(g, hash, parts);
  for (let i = 0; i < strs.length; i += CHUNK)
    hasher.hash(strs, i, Math.min(strs.length, i + CHUNK), K.STR, 0);
  for (let i = 0; i < byteses.length; i += CHUNK) {
    hasher.hash(byteses, i, Math.min(byteses.length, i + CHUNK), K.BYTES, strs.length);
  }
  const { m, redacted, truncated, readBytes } = hasher;
  const h = { hash, counts: parts.start, bits: parts.bits, hashed: m, redacted, truncated, readBytes };
  hashesPerSnapshot.set(g, h);
  return h;
}

/**
 * Bytes of the values not counted for a truncated label: the str and bytes totals of the type
 * index less the sizes hashing read (most truncated values are large and scattered: reading
 * their sizes cost a cache miss each). Summed directly when a total is past exact integers.
 */
function truncatedBytes(g: HeapGraph, readBytes: number, lists: Uint32Array[]): number {
  const t = g.types;
  const total = ['str', 'bytes'].reduce((sum, name) => {
    const k = t.nameIndex.get(name);
    return sum + (k === undefined ? 0 : t.shallow[k]!);
  }, 0);
  if (Number.isSafeInteger(total)) return total - readBytes;
  let bytes = 0;
  for (const nodes of lists) {
    for (let i = 0; i < nodes.length; i++) {
      const v = nodes[i]!;
      const f = g.flags[v]!;
      if (!(f & OBJ_FLAG.REDACTED) && (f & OBJ_FLAG.LABEL_TRUNCATED || g.label[v] === NONE32))
        bytes += g.size[v]!;
    }
  }
  return bytes;
}

/**
 * Hot loops run a chunk at a time: a function called per chunk is optimized whole once hot, with
 * type feedback from its first chunks, where one long loop is optimized on the stack mid-loop
 * and thrown away at its end (code after the loop had never run) — each a TurboFan compile.
 */
const CHUNK = 1 << 12;

/**
 * Hashes the complete values among nodes (all of one kind: its type records all classify as
 * `kind`, so the type column is not read) into hashes (never 0: 0 is a value not hashed); counts
 * the rest. Counters are locals
 * in the loop, fields between chunks.
 */
class ValueHasher {
  m = 0;
  redacted = 0;
  truncated = 0;
  /** Sizes of the values hashed or redacted (the rest is truncated: truncatedBytes). */
  readBytes = 0;
  private readonly flags: Uint16Array;
  private readonly label: Uint32Array;
  private readonly size: Float64Array;
  private readonly bytes: Uint8Array;
  private readonly view: DataView;
  private readonly offsets: Uint32Array;
  private readonly counts: Uint32Array;
  private readonly shift: number;

  constructor(
    g: HeapGraph,
    private readonly hashes: Uint32Array,
    parts: Partitions,
  ) {
    this.flags = g.flags;
    this.label = g.label;
    this.size = g.size;
    this.bytes = g.strings.bytes();
    this.view = dataView(this.bytes);
    this.offsets = g.strings.offsets;
    this.counts = parts.start;
    // h >>> 32 is h: with one partition every hash counts in start[1] through a mask.
    this.shift = 32 - parts.bits;
  }

  /** Hashes nodes[from..to) into hashes[base + from..base + to). */
  hash(nodes: Uint32Array, from: number, to: number, kind: number, base: number): void {
    const { flags, label, size, bytes, view, offsets, counts, hashes } = this;
    const shift = this.shift;
    const one = shift === 32 ? 0 : 0xffffffff;
    let { m, redacted, truncated, readBytes } = this;
    for (let i = from; i < to; i++) {
      const v = nodes[i]!;
      const f = flags[v]!;
      const l = label[v]!;
      if (f & OBJ_FLAG.REDACTED) {
        redacted++;
        readBytes += size[v]!;
        hashes[base + i] = 0;
      } else if (f & OBJ_FLAG.LABEL_TRUNCATED || l === NONE32) {
        truncated++;
        hashes[base + i] = 0;
      } else {
        const s = size[v]!;
        readBytes += s;
        const h = valueHash(view, bytes, offsets, l, s * 31 + kind) || 1;
        counts[((h >>> shift) & one) + 1]!++;
        hashes[base + i] = h;
        m++;
      }
    }
    this.m = m;
    this.redacted = redacted;
    this.truncated = truncated;
    this.readBytes = readBytes;
  }
}

/** Candidates per partition, so that a partition's table (2 slots a candidate, 12 B a slot) fits in cache. */
const PARTITION_SIZE = 1 << 13;

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

/** A growable Uint32Array column (the groups and copies, whose number is known only at the end). */
class Column {
  a: Uint32Array;
  constructor(capacity: number) {
    this.a = new Uint32Array(Math.max(capacity, 64));
  }
  /** Sets a[i] (i at most the length: the column doubles). */
  set(i: number, x: number): void {
    if (i === this.a.length) {
      const a = new Uint32Array(this.a.length * 2);
      a.set(this.a);
      this.a = a;
    }
    this.a[i] = x;
  }
}

/** The duplicated values' groups, numbered as created, and every copy in partition order. */
interface Repeats {
  groups: number;
  /** Per group: its first copy's node, its copies, its first copy's candidate index (node order). */
  groupRep: Uint32Array;
  groupCount: Uint32Array;
  first: Uint32Array;
  /** Every copy of a value with 2+ copies (and hash-sharers of one copy: groupCount 1), with its group. */
  copyNode: Uint32Array;
  copyGroup: Uint32Array;
  copies: number;
}

/**
 * Groups the nodes by (kind, size, value), partition by partition. The candidates are scattered
 * as (hash, index) pairs by partition (each partition in node order: read in order below, one
 * write stream per partition); each partition is grouped in one pass (Grouper).
 */
function groupRepeats(
  g: HeapGraph,
  kinds: Uint8Array,
  strs: Uint32Array,
  byteses: Uint32Array,
  hash: Uint32Array,
  hashed: number,
  partitions: { bits: number; start: Uint32Array },
  scratch: Scratch,
): Repeats {
  const { bits, start } = partitions;
  const parts = 1 << bits;
  for (let p = 0; p < parts; p++) start[p + 1]! += start[p]!;
  const packed = scatter(hash, scratch.u32(SCRATCH.B, 2 * hashed), start, bits);
  let largest = 0;
  for (let p = 0; p < parts; p++) largest = Math.max(largest, start[p + 1]! - start[p]!);
  const grouper = new Grouper(g, kinds, strs, byteses, packed, largest);
  // stamp = partition + 1: a slot of an earlier partition reads as empty (no clearing).
  for (let p = 0; p < parts; p++) grouper.group(start[p]!, start[p + 1]!, p + 1);
  return {
    groups: grouper.groups,
    groupRep: grouper.rep.a,
    groupCount: grouper.groupCount.a,
    first: grouper.first.a,
    copyNode: grouper.copyNode.a,
    copyGroup: grouper.copyGroup.a,
    copies: grouper.copies,
  };
}

/**
 * One partition's grouping: a table of [hash, stamp, head] a slot (cap ≥ 2 × the largest
 * partition). A hash met once keeps its candidate i as head −(i + 1), and costs no group; when it
 * repeats, that candidate becomes a group and head the first of a chain of the groups sharing the
 * hash (group + 1), each compared by its first copy's bytes. A group's copies are listed in node
 * order (its first copy when the second is met, before it), so the copies' order per value is the
 * one a pass that grouped every candidate in turn gives.
 */
class Grouper {
  groups = 0;
  copies = 0;
  readonly rep: Column;
  readonly groupCount: Column;
  readonly first: Column;
  private readonly next: Column;
  readonly copyNode: Column;
  readonly copyGroup: Column;
  private readonly table: Int32Array;
  private readonly last: number;
  private readonly mask: number;
  private readonly bytes: Uint8Array;
  private readonly offsets: Uint32Array;
  private readonly labels: Uint32Array;
  private readonly sizes: Float64Array;
  private readonly types: Uint32Array;

  constructor(
    g: HeapGraph,
    private readonly kinds: Uint8Array,
    private readonly strs: Uint32Array,
    private readonly byteses: Uint32Array,
    private readonly packed: Uint32Array,
    largest: number,
  ) {
    let cap = 1024;
    while (cap < largest * 2) cap *= 2;
    this.mask = cap - 1;
    this.last = 3 * (cap - 1);
    this.table = new Int32Array(3 * cap);
    const guess = (strs.length + byteses.length) >>> 6;
    this.rep = new Column(guess);
    this.groupCount = new Column(guess);
    this.first = new Column(guess);
    this.next = new Column(guess);
    this.copyNode = new Column(guess);
    this.copyGroup = new Column(guess);
    this.bytes = g.strings.bytes();
    this.offsets = g.strings.offsets;
    this.labels = g.label;
    this.sizes = g.size;
    this.types = g.type;
  }

  /** Groups the pairs [lo, hi): a first hash is only noted; a repeated one grouped (`repeat`). */
  group(lo: number, hi: number, stamp: number): void {
    const { table, packed, mask, last } = this;
    for (let j = lo; j < hi; j++) {
      const h = packed[2 * j]! | 0;
      let at = 3 * (h & mask);
      while (table[at + 1] === stamp && table[at] !== h) at = at === last ? 0 : at + 3;
      if (table[at + 1] === stamp) this.repeat(at, packed[2 * j + 1]!);
      else {
        table[at] = h;
        table[at + 1] = stamp;
        table[at + 2] = -(packed[2 * j + 1]! + 1);
      }
    }
  }

  /** Candidate i, whose hash is slot `at`'s: into its value's group (the slot's first candidate made one first). */
  private repeat(at: number, i: number): void {
    const head = this.table[at + 2]!;
    if (head < 0) {
      this.table[at + 2] = 0;
      const first = -head - 1;
      this.add(this.newGroup(at, this.node(first), first), this.node(first));
    }
    const v = this.node(i);
    let q = this.table[at + 2]! - 1;
    while (q !== -1 && !this.same(this.rep.a[q]!, v)) q = this.next.a[q]! - 1;
    if (q === -1) q = this.newGroup(at, v, i);
    this.add(q, v);
  }

  private node(i: number): number {
    const split = this.strs.length;
    return i < split ? this.strs[i]! : this.byteses[i - split]!;
  }

  private add(q: number, v: number): void {
    this.groupCount.a[q]!++;
    this.copyNode.set(this.copies, v);
    this.copyGroup.set(this.copies++, q);
  }

  /** Equal kind, size and bytes. */
  private same(r: number, v: number): boolean {
    const { sizes, kinds, types, labels } = this;
    return (
      sizes[r] === sizes[v] &&
      kinds[types[r]!] === kinds[types[v]!] &&
      sameString(this.bytes, this.offsets, labels[r]!, labels[v]!)
    );
  }

  /** A group for node v (candidate i), put at the head of slot `at`'s chain. */
  private newGroup(at: number, v: number, i: number): number {
    const q = this.groups++;
    this.rep.set(q, v);
    this.groupCount.set(q, 0);
    this.first.set(q, i);
    this.next.set(q, this.table[at + 2]!);
    this.table[at + 2] = q + 1;
    return q;
  }
}

/** (hash, candidate index) pairs of the hashed candidates, partition by partition (start: each partition's first pair). */
function scatter(hash: Uint32Array, packed: Uint32Array, start: Uint32Array, bits: number): Uint32Array {
  const cursor = start.slice(0, 1 << bits);
  const shift = 32 - bits;
  const one = bits === 0 ? 0 : 0xffffffff;
  for (let i = 0; i < hash.length; i++) {
    const h = hash[i]!;
    if (h === 0) continue;
    const at = 2 * cursor[(h >>> shift) & one]!++;
    packed[at] = h;
    packed[at + 1] = i;
  }
  return packed;
}

/**
 * Values with two or more copies, largest waste first (ties: the value met first in node order
 * first), as findings. Their copies are gathered here, by rank, so that the grouping's arrays
 * are not kept alive with the findings.
 */
function rankGroups(g: HeapGraph, kinds: Uint8Array, r: Repeats): Ranked {
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
function copiesByRank(r: Repeats, dup: number[]) {
  const { copyNode, copyGroup, copies, groupCount, groups } = r;
  const rankOf = new Int32Array(groups).fill(-1);
  const start = new Uint32Array(dup.length + 1);
  for (let k = 0; k < dup.length; k++) {
    rankOf[dup[k]!] = k;
    start[k + 1] = start[k]! + groupCount[dup[k]!]!;
  }
  const cursor = start.slice(0, dup.length);
  const list = new Uint32Array(start[dup.length]!);
  for (let j = 0; j < copies; j++) {
    const k = rankOf[copyGroup[j]!]!;
    if (k !== -1) list[cursor[k]!++] = copyNode[j]!;
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
