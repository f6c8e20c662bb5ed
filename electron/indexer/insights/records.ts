// Dicts used as records: many dicts with one identical set of str keys (rows parsed from JSON or
// CSV, `{'id': …, 'name': …}` per item). A slotted class (`@dataclass(slots=True)` or `__slots__`)
// stores n attributes in 32 + 8n bytes where the dict holds its own hash table. Saving per record:
// the dict's size − (32 + 8n); a namedtuple costs 8 B more (40 + 8n). The key set is hashed from the
// key names' bytes (two independent 32-bit hashes, order-insensitive); `__dict__`s are left to the
// `__slots__` analysis.
import { EDGE_KIND, NONE32 } from '../format/spec';
import type { HeapGraph } from '../graph/heap-graph';
import { edgeLabel } from '../query/rows';
import type { DictScan } from './dict-scan';
import { type Candidate, concatMembers, fmt, hashString, lazyMembers, type Ranked } from './kinds';
import type { Layout } from './layouts';

/** Fewer dicts with one key set are not a pattern worth a class. */
export const MIN_RECORDS = 100;
const MAX_FIELDS = 64;
/** Buckets of the key-set prefilter (the high 16 bits of `mixed`): 128 KB of counters, cache-resident. */
export const BUCKETS = 1 << 16;
/** A str key's repr starts with a quote; other keys (ints, tuples) make no record. */
const SINGLE_QUOTE = 0x27;
const DOUBLE_QUOTE = 0x22;

/** Every key set used by at least MIN_RECORDS dicts, largest saving first. */
export function dictRecords(g: HeapGraph, layout: Layout, scan: DictScan): Ranked {
  // Pass 1 (in the shared dict scan, dict-scan.ts): each dict's key set hashed (kept in columns),
  // counted per bucket of a small table. A key set used by MIN_RECORDS dicts fills its bucket that
  // far, so dicts in emptier buckets are no record; the exact table then holds only the few
  // frequent key sets and stays in cache (a table of every key set — 600,000 at 10M objects —
  // costs a cache miss a dict).
  const { dicts, h1s, h2s, ns, buckets } = scan;
  // Pass 1b: the exact key set of dicts in full buckets (-1: not a record).
  const table = new ShapeTable();
  const shapeOf = new Int32Array(dicts.length);
  for (let i = 0; i < dicts.length; i++) {
    const n = ns[i]!;
    shapeOf[i] =
      n === 0 || buckets[mixed(h1s[i]!, h2s[i]!) >>> 16]! < MIN_RECORDS ? -1 : table.add(h1s[i]!, h2s[i]!, n);
  }
  // Pass 2: frequent shapes numbered in order of their first dict; their bytes and first dict.
  const shapeIdx = new Int32Array(table.shapes).fill(-1);
  const reps: number[] = [];
  const bytes: number[] = [];
  const counts: number[] = [];
  const size = g.size;
  for (let i = 0; i < dicts.length; i++) {
    const id = shapeOf[i]!;
    if (id === -1 || table.count[id]! < MIN_RECORDS) {
      shapeOf[i] = -1;
      continue;
    }
    let s = shapeIdx[id]!;
    if (s === -1) {
      s = shapeIdx[id] = reps.length;
      reps.push(dicts[i]!);
      bytes.push(0);
      counts.push(table.count[id]!);
    }
    shapeOf[i] = s;
    bytes[s]! += size[dicts[i]!]!;
  }
  const saving = (s: number) => bytes[s]! - counts[s]! * layout.slotted(g.length[reps[s]!]!);
  const kept: number[] = [];
  for (let s = 0; s < reps.length; s++) if (saving(s) > 0 && !isNamespace(g, reps[s]!)) kept.push(s);
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
        byShape ??= dictsByShape(dicts, shapeOf, reps.length);
        return byShape.list.subarray(byShape.first[s]!, byShape.first[s + 1]!);
      });
    },
    allMembers() {
      return concatMembers(kept.map((_, rank) => this.at(rank).members()));
    },
  };
}

/** Each frequent shape's dicts in node order: list[first[s]..first[s+1]) (a counting sort). */
function dictsByShape(dicts: Uint32Array, shapeOf: Int32Array, shapes: number) {
  const first = new Uint32Array(shapes + 1);
  for (let i = 0; i < dicts.length; i++) if (shapeOf[i]! !== -1) first[shapeOf[i]! + 1]!++;
  for (let s = 0; s < shapes; s++) first[s + 1]! += first[s]!;
  const cursor = first.slice(0, shapes);
  const list = new Uint32Array(first[shapes]!);
  for (let i = 0; i < dicts.length; i++) if (shapeOf[i]! !== -1) list[cursor[shapeOf[i]!]!++] = dicts[i]!;
  return { first, list };
}

/**
 * Key sets by (h1, h2, n) → a shape id numbered in order of first use, by linear probing over
 * one packed Uint32Array (h1, h2, n, id + 1 per slot: one cache line a probe). Grows by
 * doubling: a heap has far fewer key sets than dicts, and a table sized for every dict costs more
 * in fresh pages than the scan.
 */
class ShapeTable {
  private mask = 1023;
  private slots = new Uint32Array(4 * 1024);
  /** Dicts per shape id. */
  count = new Uint32Array(1024);
  shapes = 0;

  add(h1: number, h2: number, n: number): number {
    const t = this.slots;
    for (let slot = slotOf(h1, h2, this.mask); ; slot = (slot + 1) & this.mask) {
      const at = slot * 4;
      const id = t[at + 3]!;
      if (id === 0) break;
      if (t[at] === h1 && t[at + 1] === h2 && t[at + 2] === n) {
        this.count[id - 1]!++;
        return id - 1;
      }
    }
    if (this.shapes * 2 >= this.mask) this.grow();
    const id = this.shapes++;
    this.put(h1, h2, n, id);
    if (id === this.count.length) {
      const count = new Uint32Array(id * 2);
      count.set(this.count);
      this.count = count;
    }
    this.count[id] = 1;
    return id;
  }

  private put(h1: number, h2: number, n: number, id: number): void {
    const t = this.slots;
    let slot = slotOf(h1, h2, this.mask);
    while (t[slot * 4 + 3] !== 0) slot = (slot + 1) & this.mask;
    t[slot * 4] = h1;
    t[slot * 4 + 1] = h2;
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
 * A slot from both hashes, mixed (murmur3's finalizer): the hashes are sums of key-name hashes,
 * whose low bits alone would crowd key sets drawn from one vocabulary into a few runs of slots.
 */
function slotOf(h1: number, h2: number, mask: number): number {
  return mixed(h1, h2) & mask;
}

/** Both hashes in one well-mixed 32-bit value: low bits pick table slots, high bits prefilter buckets. */
export function mixed(h1: number, h2: number): number {
  let x = (h1 ^ Math.imul(h2, 0x85ebca6b)) >>> 0;
  x ^= x >>> 16;
  x = Math.imul(x, 0x7feb352d);
  x ^= x >>> 15;
  x = Math.imul(x, 0x846ca68b);
  x ^= x >>> 16;
  return x >>> 0;
}

/** A dict's str key set as two order-insensitive hashes and a key count, from the flat arrays. */
export class ShapeHasher {
  h2 = 0;
  n = 0;
  private readonly names: KeyNames;
  private readonly length: Uint32Array;
  private readonly firstEdge: Uint32Array;
  private readonly edgeKind: Uint8Array;
  private readonly edgeName: Uint32Array;

  constructor(g: HeapGraph) {
    // The arrays in fields: reading them off HeapGraph (a large object) per dict is slow.
    this.names = new KeyNames(g.strings.bytes(), g.strings.offsets);
    this.length = g.length;
    this.firstEdge = g.firstEdge;
    this.edgeKind = g.edgeKind;
    this.edgeName = g.edgeName;
  }

  /** The first hash (the second in h2, the key count in n), or -1 when the dict is no record. */
  key(v: number): number {
    const n = this.length[v]!;
    if (n === 0 || n >= MAX_FIELDS) return -1;
    const { names, edgeKind, edgeName } = this;
    let h1 = 0;
    let h2 = 0;
    let keys = 0;
    for (let e = this.firstEdge[v]!, end = this.firstEdge[v + 1]!; e < end; e++) {
      if (edgeKind[e] !== EDGE_KIND.DICT_VALUE) continue;
      const name = edgeName[e]!;
      const h = name === NONE32 ? -1 : names.get(name);
      if (h === -1) return -1;
      h1 = (h1 + h) >>> 0;
      h2 = (h2 + Math.imul(h, 0x9e3779b1)) >>> 0;
      keys++;
    }
    this.h2 = h2;
    this.n = n;
    return keys === n ? h1 : -1;
  }
}

/**
 * Per key-name string id: its hashString when it is a str key's repr (starts with a quote), else
 * -1; cached direct-mapped. Key names repeat millions of times under a few thousand ids, so the
 * scan reads a name's bytes about once (not its first byte at every key of every dict).
 */
class KeyNames {
  private readonly ids = new Int32Array(4096).fill(-1);
  private readonly hashes = new Float64Array(4096);
  constructor(
    private readonly bytes: Uint8Array,
    private readonly offsets: Uint32Array,
  ) {}

  get(id: number): number {
    const slot = (id ^ (id >>> 12)) & 4095;
    if (this.ids[slot] === id) return this.hashes[slot]!;
    const quote = this.bytes[this.offsets[id]!];
    const h =
      quote === SINGLE_QUOTE || quote === DOUBLE_QUOTE ? hashString(this.bytes, this.offsets, id, 0) : -1;
    this.ids[slot] = id;
    this.hashes[slot] = h;
    return h;
  }
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

/** An instance's, class's or module's `__dict__` is a namespace, not a record someone built. */
function isNamespace(g: HeapGraph, v: number): boolean {
  for (let r = g.firstRetainer[v]!; r < g.firstRetainer[v + 1]!; r++) {
    const e = g.retainerEdge[r]!;
    if (g.edgeKind[e] === EDGE_KIND.INTERNAL && edgeLabel(g, e).name === '__dict__') return true;
  }
  return false;
}
