// Dicts used as records: many dicts with one identical set of str keys (rows parsed from JSON or
// CSV, `{'id': …, 'name': …}` per item). A slotted class (`@dataclass(slots=True)` or `__slots__`)
// stores n attributes in 32 + 8n bytes where the dict holds its own hash table. Saving per record:
// the dict's size − (32 + 8n); a namedtuple costs 8 B more (40 + 8n). The key set is hashed from the
// key names' bytes (two independent 32-bit hashes, order-insensitive); `__dict__`s are left to the
// `__slots__` analysis.
import { EDGE_KIND, NONE32 } from '../format/spec';
import type { HeapGraph } from '../graph/heap-graph';
import { FIRST_OBJECT } from '../graph/layout';
import { edgeLabel } from '../query/rows';
import { OWNER_SAMPLE } from './duplicates';
import { type Candidate, fmt, hashString, K } from './kinds';
import type { Layout } from './layouts';

/** Fewer dicts with one key set are not a pattern worth a class. */
export const MIN_RECORDS = 100;
const MAX_FIELDS = 64; // also the key multiplier: n < 64 fits beside a 32-bit hash in a double
const QUOTE = [0x27, 0x22];

interface Shape {
  rep: number;
  h2: number;
  fields: number;
  count: number;
  bytes: number;
  nodes: number[];
}

/** Every key set used by at least MIN_RECORDS dicts, largest saving first. */
export function dictRecords(g: HeapGraph, kinds: Uint8Array, layout: Layout): Candidate[] {
  const bytes = g.strings.bytes();
  const offsets = g.strings.offsets;
  const keyHash = new Map<number, number>();
  // Keyed by a number (h1, n) so the scan allocates per shape, not per dict; h2 tells collisions apart.
  const shapes = new Map<number, Shape>();
  const collided = new Map<string, Shape>();
  for (let v = FIRST_OBJECT; v < g.nodeCount; v++) {
    if (kinds[g.type[v]!] !== K.DICT) continue;
    const n = g.length[v]!;
    if (n === 0 || n >= MAX_FIELDS) continue;
    let h1 = 0;
    let h2 = 0;
    let keys = 0;
    for (let e = g.firstEdge[v]!; e < g.firstEdge[v + 1]!; e++) {
      if (g.edgeKind[e] !== EDGE_KIND.DICT_VALUE) continue;
      const name = g.edgeName[e]!;
      if (name === NONE32 || !QUOTE.includes(bytes[offsets[name]!]!)) {
        keys = -1;
        break;
      }
      let h = keyHash.get(name);
      if (h === undefined) {
        h = hashString(bytes, offsets, name, 0);
        keyHash.set(name, h);
      }
      h1 = (h1 + h) >>> 0;
      h2 = (h2 + Math.imul(h, 0x9e3779b1)) >>> 0;
      keys++;
    }
    if (keys !== n) continue;
    let s = shapes.get(h1 * MAX_FIELDS + n);
    if (!s) {
      s = { rep: v, h2, fields: n, count: 0, bytes: 0, nodes: [] };
      shapes.set(h1 * MAX_FIELDS + n, s);
    } else if (s.h2 !== h2) {
      const key = `${n}:${h1}:${h2}`;
      s = collided.get(key) ?? { rep: v, h2, fields: n, count: 0, bytes: 0, nodes: [] };
      collided.set(key, s);
    }
    s.count++;
    s.bytes += g.size[v]!;
    if (s.nodes.length < OWNER_SAMPLE) s.nodes.push(v);
  }
  const out: Candidate[] = [];
  for (const s of [...shapes.values(), ...collided.values()]) {
    if (s.count < MIN_RECORDS || isNamespace(g, s.rep)) continue;
    const slotted = layout.slotted(s.fields);
    const saving = s.bytes - s.count * slotted;
    if (saving <= 0) continue;
    const keys = keyNames(g, s.rep);
    out.push({
      kind: 'dict-records',
      type: 'dict',
      title: `${fmt(s.count)} dicts with the keys ${keys}`,
      count: s.count,
      wastedBytes: saving,
      estimate: `${fmt(s.bytes)} B of dicts − ${fmt(s.count)} × ${slotted} B (slotted class, ${s.fields} field${s.fields === 1 ? '' : 's'})`,
      remedy: `Use a class with __slots__ (@dataclass(slots=True) on 3.10+) with fields ${keys}; a typing.NamedTuple costs 8 B more a record.`,
      nodes: Uint32Array.from(s.nodes),
      nodeWaste: Float64Array.from(s.nodes, (v) => g.size[v]! - slotted),
    });
  }
  out.sort((a, b) => b.wastedBytes - a.wastedBytes);
  return out;
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
