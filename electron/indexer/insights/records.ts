// Dicts used as records: many dicts with one identical set of str keys (rows parsed from JSON or
// CSV, `{'id': …, 'name': …}` per item). A slotted class (`@dataclass(slots=True)` or `__slots__`)
// stores n attributes in 32 + 8n bytes where the dict holds its own hash table. Saving per record:
// the dict's size − (32 + 8n); a namedtuple costs 8 B more (40 + 8n). The key set is hashed from the
// key names' bytes (two independent 32-bit hashes, order-insensitive); `__dict__`s are left to the
// `__slots__` analysis.
import { EDGE_KIND, NONE32 } from '../format/spec';
import type { HeapGraph } from '../graph/heap-graph';
import { edgeLabel } from '../query/rows';
import { OWNER_SAMPLE } from './duplicates';
import { type Candidate, fmt, hashString, nodesOf } from './kinds';
import type { Layout } from './layouts';

/** Fewer dicts with one key set are not a pattern worth a class. */
export const MIN_RECORDS = 100;
const MAX_FIELDS = 64;
/** A str key's repr starts with a quote; other keys (ints, tuples) make no record. */
const SINGLE_QUOTE = 0x27;
const DOUBLE_QUOTE = 0x22;

interface Shape {
  rep: number;
  fields: number;
  count: number;
  bytes: number;
  nodes: number[];
}

/** Every key set used by at least MIN_RECORDS dicts, largest saving first. */
export function dictRecords(g: HeapGraph, layout: Layout): Candidate[] {
  const dicts = nodesOf(g, 'dict');
  // Pass 1: each dict's shape slot in an open-addressing table of typed arrays (-1: not a record).
  const table = new ShapeTable(dicts.length);
  const shapeOf = new Int32Array(dicts.length).fill(-1);
  for (let i = 0; i < dicts.length; i++) {
    const key = shapeKey(g, dicts[i]!);
    if (key !== -1) shapeOf[i] = table.add(key, shapeHash2, g.length[dicts[i]!]!);
  }
  // Pass 2: the dicts of frequent shapes.
  const shapes = new Map<number, Shape>();
  const size = g.size;
  for (let i = 0; i < dicts.length; i++) {
    const slot = shapeOf[i]!;
    if (slot === -1 || table.count[slot]! < MIN_RECORDS) continue;
    const v = dicts[i]!;
    let s = shapes.get(slot);
    if (!s) {
      s = { rep: v, fields: g.length[v]!, count: 0, bytes: 0, nodes: [] };
      shapes.set(slot, s);
    }
    s.count++;
    s.bytes += size[v]!;
    if (s.nodes.length < OWNER_SAMPLE) s.nodes.push(v);
  }
  const out: Candidate[] = [];
  for (const s of shapes.values()) {
    if (isNamespace(g, s.rep)) continue;
    const c = toCandidate(g, layout, s);
    if (c) out.push(c);
  }
  out.sort((a, b) => b.wastedBytes - a.wastedBytes);
  return out;
}

/** Key sets by (h1, h2, n), linear probing over typed arrays: no object or boxed number per dict. */
class ShapeTable {
  private readonly mask: number;
  private readonly h1: Uint32Array;
  private readonly h2: Uint32Array;
  private readonly n: Uint8Array;
  readonly count: Uint32Array;

  constructor(expected: number) {
    let cap = 1024;
    while (cap < expected * 2) cap *= 2;
    this.mask = cap - 1;
    this.h1 = new Uint32Array(cap);
    this.h2 = new Uint32Array(cap);
    this.n = new Uint8Array(cap); // 0 = empty: records have 1..MAX_FIELDS-1 keys
    this.count = new Uint32Array(cap);
  }

  add(h1: number, h2: number, n: number): number {
    let slot = (h1 ^ Math.imul(h2, 0x85ebca6b)) & this.mask;
    for (;;) {
      if (this.n[slot] === 0) {
        this.h1[slot] = h1;
        this.h2[slot] = h2;
        this.n[slot] = n;
      } else if (this.h1[slot] !== h1 || this.h2[slot] !== h2 || this.n[slot] !== n) {
        slot = (slot + 1) & this.mask;
        continue;
      }
      this.count[slot]!++;
      return slot;
    }
  }
}

/** shapeKey's second hash (a scratch variable, so the scan allocates nothing per dict). */
let shapeHash2 = 0;

/** The first hash of a dict's str key set (order-insensitive; the second in shapeHash2), or -1. */
function shapeKey(g: HeapGraph, v: number): number {
  const n = g.length[v]!;
  if (n === 0 || n >= MAX_FIELDS) return -1;
  const bytes = g.strings.bytes();
  const offsets = g.strings.offsets;
  const { firstEdge, edgeKind, edgeName } = g;
  let h1 = 0;
  let h2 = 0;
  let keys = 0;
  for (let e = firstEdge[v]!; e < firstEdge[v + 1]!; e++) {
    if (edgeKind[e] !== EDGE_KIND.DICT_VALUE) continue;
    const name = edgeName[e]!;
    const quote = name === NONE32 ? 0 : bytes[offsets[name]!]!;
    if (quote !== SINGLE_QUOTE && quote !== DOUBLE_QUOTE) return -1;
    // Hashing a short key name costs less than a cache lookup would.
    const h = hashString(bytes, offsets, name, 0);
    h1 = (h1 + h) >>> 0;
    h2 = (h2 + Math.imul(h, 0x9e3779b1)) >>> 0;
    keys++;
  }
  shapeHash2 = h2;
  return keys === n ? h1 : -1;
}

function toCandidate(g: HeapGraph, layout: Layout, s: Shape): Candidate | null {
  const slotted = layout.slotted(s.fields);
  const saving = s.bytes - s.count * slotted;
  if (saving <= 0) return null;
  const keys = keyNames(g, s.rep);
  return {
    kind: 'dict-records',
    type: 'dict',
    title: `${fmt(s.count)} dicts with the keys ${keys}`,
    count: s.count,
    wastedBytes: saving,
    estimate: `${fmt(s.bytes)} B of dicts − ${fmt(s.count)} × ${slotted} B (slotted class, ${s.fields} field${s.fields === 1 ? '' : 's'})`,
    remedy: `Use a class with __slots__ (@dataclass(slots=True) on 3.10+) with fields ${keys}; a typing.NamedTuple costs 8 B more a record.`,
    nodes: Uint32Array.from(s.nodes),
    nodeWaste: Float64Array.from(s.nodes, (v) => g.size[v]! - slotted),
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
