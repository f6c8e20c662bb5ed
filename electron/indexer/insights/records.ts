// Dicts used as records: many dicts with one identical set of str keys (rows parsed from JSON or
// CSV, `{'id': …, 'name': …}` per item). A slotted class (`@dataclass(slots=True)` or `__slots__`)
// stores n attributes in 32 + 8n bytes where the dict holds its own hash table. Saving per record:
// the dict's size − (32 + 8n); a namedtuple costs 8 B more (40 + 8n). The key set is hashed from the
// key names' bytes in the dict scan (dict-scan.ts: two 32-bit hashes, order-insensitive); `__dict__`s are left to the
// `__slots__` analysis.
import { EDGE_KIND } from '../format/spec';
import type { HeapGraph } from '../graph/heap-graph';
import { edgeLabel } from '../query/rows';
import type { DictScan } from './dict-scan';
import { type Candidate, concatMembers, fmt, lazyMembers, type Ranked } from './kinds';
import type { Layout } from './layouts';

/** Fewer dicts with one key set are not a pattern worth a class. */
export const MIN_RECORDS = 100;
export const MAX_FIELDS = 64;
/**
 * Buckets of the key-set prefilter (the high bits of `mixed`): 64 KB of byte counters, incremented
 * at random once a dict, so they must stay in the nearest cache (2^18 buckets let 5,842 key sets
 * reach the exact table at 10M objects instead of 19,239, but the dict scan and the records pass
 * together took ~25 % longer).
 */
export const BUCKET_BITS = 16;

/** Every key set used by at least MIN_RECORDS dicts, largest saving first. */
export function dictRecords(g: HeapGraph, layout: Layout, scan: DictScan): Ranked {
  // Pass 1 (in the shared dict scan, dict-scan.ts): each dict's key set hashed (kept in columns),
  // counted per bucket of a small table. A key set used by MIN_RECORDS dicts fills its bucket that
  // far, so dicts in emptier buckets are no record; the exact table then holds only the few
  // frequent key sets and stays in cache (a table of every key set — 600,000 at 10M objects —
  // costs a cache miss a dict).
  const { dicts } = scan;
  // Pass 1b: the exact key set of dicts in full buckets (-1: not a record), with each key set's
  // dicts, bytes and first dict. Table ids are numbered in order of their first dict, so the
  // frequent key sets need no second pass to be numbered that way.
  const table = new ShapeTable();
  // Its own memory, not the scan's scratch columns: findings gather their dicts from it later.
  const shapeOf = new Int32Array(dicts.length);
  const full = fullBuckets(scan.buckets);
  for (let i = 0; i < dicts.length; i += CHUNK) {
    addShapes(g, table, scan, full, shapeOf, i, Math.min(dicts.length, i + CHUNK));
  }
  const { shapeIdx, reps, bytes, counts } = frequentShapes(table);
  const saving = (s: number) => bytes[s]! - counts[s]! * layout.slotted(g.length[reps[s]!]!);
  const kept: number[] = [];
  for (let s = 0; s < reps.length; s++) if (saving(s) > 0) kept.push(s);
  kept.sort((a, b) => saving(b) - saving(a));
  let byShape: { first: Uint32Array; list: Uint32Array } | null = null;
  return {
    size: kept.length,
    findings: kept.length,
    count: kept.reduce((n, s) => n + counts[s]!, 0),
    waste: kept.reduce((n, s) => n + saving(s), 0),
    at: (rank) => {
      const s = kept[rank]!;
      return toCandidate(g, layout, reps[s]!, counts[s]!, bytes[s]!, () => {
        byShape ??= dictsByShape(dicts, shapeOf, shapeIdx, reps.length);
        return byShape.list.subarray(byShape.first[s]!, byShape.first[s + 1]!);
      });
    },
    allMembers() {
      return concatMembers(kept.map((_, rank) => this.at(rank).members()));
    },
  };
}

/**
 * The shapes of at least MIN_RECORDS dicts, numbered in order of their first dict (shapeIdx: table
 * id → shape, or -1). A function of its own: its loop over ~20,000 table ids is long enough to be
 * compiled mid-loop, and compiled inside dictRecords that compile took the whole function (~15 ms).
 */
function frequentShapes(table: ShapeTable) {
  const shapeIdx = new Int32Array(table.shapes).fill(-1);
  const reps: number[] = [];
  const bytes: number[] = [];
  const counts: number[] = [];
  for (let id = 0; id < table.shapes; id++) {
    if (table.count[id]! < MIN_RECORDS) continue;
    shapeIdx[id] = reps.length;
    reps.push(table.rep[id]!);
    bytes.push(table.bytes[id]!);
    counts.push(table.count[id]!);
  }
  return { shapeIdx, reps, bytes, counts };
}

/** Pass 1b runs a chunk of dicts a call (a hot loop called per chunk is optimized once, whole). */
const CHUNK = 1 << 12;

/** A bit a bucket, set when full: 8 KB, read at random per dict where the counters are 64 KB. */
function fullBuckets(buckets: Uint8Array): Int32Array {
  const full = new Int32Array(buckets.length >>> 5);
  for (let b = 0; b < buckets.length; b++) if (buckets[b]! >= MIN_RECORDS) full[b >>> 5]! |= 1 << (b & 31);
  return full;
}

/**
 * The key sets of plain dicts [from, to) in full buckets into the table (shapeOf: table id, or -1).
 * Each dict is told apart on its own: instances' `__dict__`s (3.8–3.10) share their class's key
 * set with the records a program builds from the same fields (csv rows → objects), so a key set
 * counts, sums and is represented by its plain dicts only (the scan leaves namespaces out: ns 0).
 */
function addShapes(
  g: HeapGraph,
  table: ShapeTable,
  scan: DictScan,
  full: Int32Array,
  shapeOf: Int32Array,
  from: number,
  to: number,
): void {
  const { dicts, h1s, ms, ns } = scan;
  const size = g.size;
  for (let i = from; i < to; i++) {
    const n = ns[i]!;
    const m = ms[i]!;
    const b = m >>> (32 - BUCKET_BITS);
    if (n === 0 || (full[b >>> 5]! & (1 << (b & 31))) === 0) {
      shapeOf[i] = -1;
      continue;
    }
    const id = table.add(h1s[i]!, m, n, dicts[i]!);
    shapeOf[i] = id;
    table.bytes[id]! += size[dicts[i]!]!;
  }
}

/** Each frequent shape's dicts in node order: list[first[s]..first[s+1]) (a counting sort). */
function dictsByShape(dicts: Uint32Array, shapeOf: Int32Array, shapeIdx: Int32Array, shapes: number) {
  const shape = (i: number) => (shapeOf[i]! === -1 ? -1 : shapeIdx[shapeOf[i]!]!);
  const first = new Uint32Array(shapes + 1);
  for (let i = 0; i < dicts.length; i++) if (shape(i) !== -1) first[shape(i) + 1]!++;
  for (let s = 0; s < shapes; s++) first[s + 1]! += first[s]!;
  const cursor = first.slice(0, shapes);
  const list = new Uint32Array(first[shapes]!);
  for (let i = 0; i < dicts.length; i++) if (shape(i) !== -1) list[cursor[shape(i)]!++] = dicts[i]!;
  return { first, list };
}

/**
 * Key sets by (h1, m, n) → a shape id numbered in order of first use, by linear probing over
 * one packed Uint32Array (h1, m, n, id + 1 per slot: one cache line a probe). Grows by
 * doubling: a heap has far fewer key sets than dicts, and a table sized for every dict costs more
 * in fresh pages than the scan.
 */
class ShapeTable {
  private mask = 1023;
  private slots = new Uint32Array(4 * 1024);
  /** Per shape id: its dicts, their bytes (summed by the caller) and its first dict. */
  count = new Uint32Array(1024);
  bytes = new Float64Array(1024);
  rep = new Uint32Array(1024);
  shapes = 0;

  add(h1: number, m: number, n: number, dict: number): number {
    const t = this.slots;
    for (let slot = m & this.mask; ; slot = (slot + 1) & this.mask) {
      const at = slot * 4;
      const id = t[at + 3]!;
      if (id === 0) break;
      if (t[at] === h1 && t[at + 1] === m && t[at + 2] === n) {
        this.count[id - 1]!++;
        return id - 1;
      }
    }
    if (this.shapes * 2 >= this.mask) this.grow();
    const id = this.shapes++;
    this.put(h1, m, n, id);
    if (id === this.count.length) {
      const count = new Uint32Array(id * 2);
      count.set(this.count);
      this.count = count;
      const bytes = new Float64Array(id * 2);
      bytes.set(this.bytes);
      this.bytes = bytes;
      const rep = new Uint32Array(id * 2);
      rep.set(this.rep);
      this.rep = rep;
    }
    this.count[id] = 1;
    this.rep[id] = dict;
    return id;
  }

  private put(h1: number, m: number, n: number, id: number): void {
    const t = this.slots;
    let slot = m & this.mask;
    while (t[slot * 4 + 3] !== 0) slot = (slot + 1) & this.mask;
    t[slot * 4] = h1;
    t[slot * 4 + 1] = m;
    t[slot * 4 + 2] = n;
    t[slot * 4 + 3] = id + 1;
  }

  private grow(): void {
    const old = this.slots;
    this.mask = this.mask * 2 + 1;
    this.slots = new Uint32Array(4 * (this.mask + 1));
    for (let at = 0; at < old.length; at += 4) {
      if (old[at + 3] !== 0) this.put(old[at]!, old[at + 1]!, old[at + 2]!, old[at + 3]! - 1);
    }
  }
}

/**
 * Both hashes in one well-mixed 32-bit value (murmur3's finalizer): low bits pick table slots,
 * high bits prefilter buckets. The hashes are sums of key-name hashes, whose low bits alone would
 * crowd key sets drawn from one vocabulary into a few runs of slots. x is a bijection of h2 for a
 * given h1, and the finalizer one of x: (h1, mixed) tells key sets apart as (h1, h2) does.
 */
export function mixed(h1: number, h2: number): number {
  let x = (h1 ^ Math.imul(h2, 0x85ebca6b)) >>> 0;
  x ^= x >>> 16;
  x = Math.imul(x, 0x7feb352d);
  x ^= x >>> 15;
  x = Math.imul(x, 0x846ca68b);
  x ^= x >>> 16;
  return x >>> 0;
}

function toCandidate(
  g: HeapGraph,
  layout: Layout,
  rep: number,
  count: number,
  bytes: number,
  nodesOfShape: () => Uint32Array,
): Candidate {
  const fields = g.length[rep]!;
  const slotted = layout.slotted(fields);
  const keys = keyNames(g, rep);
  return {
    kind: 'dict-records',
    type: 'dict',
    title: `${fmt(count)} dicts with the keys ${keys}`,
    count,
    wastedBytes: bytes - count * slotted,
    estimate: `${fmt(bytes)} B of dicts − ${fmt(count)} × ${slotted} B (slotted class, ${fields} field${fields === 1 ? '' : 's'})`,
    remedy: `Use a class with __slots__ (@dataclass(slots=True) on 3.10+) with fields ${keys}; a typing.NamedTuple costs 8 B more a record.`,
    members: lazyMembers(() => {
      const nodes = nodesOfShape();
      const nodeWaste = new Float64Array(nodes.length);
      for (let i = 0; i < nodes.length; i++) nodeWaste[i] = g.size[nodes[i]!]! - slotted;
      return { nodes, nodeWaste };
    }),
  };
}

function keyNames(g: HeapGraph, v: number): string {
  const names: string[] = [];
  for (let e = g.firstEdge[v]!; e < g.firstEdge[v + 1]!; e++) {
    if (g.edgeKind[e] === EDGE_KIND.DICT_VALUE) names.push(edgeLabel(g, e).name);
  }
  const shown = names.slice(0, 6).join(', ');
  return `(${shown}${names.length > 6 ? `, … ${names.length - 6} more` : ''})`;
}
