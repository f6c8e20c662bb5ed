// Empty and over-allocated collections.
// - Empty list/dict/set objects: each costs its whole size (a shared constant, None or lazy
//   creation saves it); the part beyond a fresh empty one is storage left from when it held items.
// - Over-allocated dicts: CPython never shrinks a dict's table on deletion, so a dict that once held
//   many items keeps their table. A table larger than insertions could have grown for its current
//   item count can only come from deletions; `dict(d)` rebuilds it, saving size − size(copy).
// Lists are not checked: CPython shrinks a list's storage once it falls below half (list_resize),
// and growth over-allocates at most 12.5 % + 6 slots, so no list is below half full.
import { EDGE_KIND, NONE32, OBJ_FLAG } from '../format/spec';
import type { HeapGraph } from '../graph/heap-graph';
import type { DictScan, EmptyTally } from './dict-scan';
import { type Candidate, fmt, lazyMembers, MemberList, nodesOf } from './kinds';
import { dictCopySlots, dictGrownSlots, dictSize, type Layout } from './layouts';

const EMPTY_KINDS = [
  { type: 'list', fresh: (l: Layout) => l.listEmpty },
  { type: 'dict', fresh: (l: Layout) => l.dictEmpty },
  { type: 'set', fresh: (l: Layout) => l.setEmpty },
];

/** Below this a rebuilt dict saves too little to be worth a line. */
export const MIN_DICT_SAVING = 256;

/** Empty lists, dicts and sets; the dicts' tally comes from the shared dict scan (dict-scan.ts). */
export function emptyCollections(g: HeapGraph, layout: Layout | null, dictEmpty: EmptyTally): Candidate[] {
  const out: Candidate[] = [];
  for (const spec of EMPTY_KINDS) {
    const all = nodesOf(g, spec.type);
    const { length, flags, size } = g;
    const isDict = spec.type === 'dict';
    // An empty `__dict__` belongs to its object: not a collection anyone chose to keep.
    const empty = (v: number) =>
      length[v] === 0 && !(flags[v]! & OBJ_FLAG.IMMORTAL) && !(isDict && isAttributeDict(g, v));
    const { count, bytes, held } = isDict
      ? dictEmpty
      : emptyTally(all, length, flags, size, layout ? spec.fresh(layout) : 0, layout !== null);
    if (count === 0) continue;
    out.push({
      kind: 'empty-collections',
      type: spec.type,
      title: `empty ${spec.type}s: ${fmt(count)}`,
      count,
      wastedBytes: bytes,
      estimate:
        `${fmt(count)} empty ${spec.type}s, ${fmt(bytes)} B in all` +
        (layout
          ? `, of which ${fmt(held)} B is storage beyond a fresh empty ${spec.type} (${spec.fresh(layout)} B)`
          : ''),
      remedy: `Create the ${spec.type} when the first item arrives (None until then), or share one immutable empty value (() / frozenset() / a module-level constant) where nothing adds to it.`,
      members: lazyMembers(() => {
        const list = new MemberList();
        for (let i = 0; i < all.length; i++) {
          const v = all[i]!;
          if (length[v] === 0 && empty(v)) list.push(v, size[v]!);
        }
        return list.done();
      }),
    });
  }
  return out;
}

/** Empty, not immortal lists or sets among `all` (dicts: the dict scan's tally). */
function emptyTally(
  all: Uint32Array,
  length: Uint32Array,
  flags: Uint16Array,
  size: Float64Array,
  fresh: number,
  withHeld: boolean,
): EmptyTally {
  const t: EmptyTally = { count: 0, bytes: 0, held: 0 };
  let count = 0;
  let bytes = 0;
  let held = 0;
  for (let i = 0; i < all.length; i++) {
    const v = all[i]!;
    if (length[v] !== 0 || flags[v]! & OBJ_FLAG.IMMORTAL) continue;
    count++;
    bytes += size[v]!;
    if (withHeld) held += Math.max(0, size[v]! - fresh);
  }
  t.count = count;
  t.bytes = bytes;
  t.held = held;
  return t;
}

/** The over-allocated dicts' line, from the shared dict scan's tally (dict-scan.ts). */
export function overallocatedDicts(g: HeapGraph, layout: Layout, scan: DictScan): Candidate | null {
  const { dicts, over } = scan;
  if (!over || over.count === 0) return null;
  const { count, total, before } = over;
  const saving = overallocSaving(layout, g.length, g.size);
  return {
    kind: 'overallocated-collections',
    type: 'dict',
    title: `dicts with tables for far more items than they hold: ${fmt(count)}`,
    count,
    wastedBytes: total,
    estimate: `Σ (size − size of dict(d)) = ${fmt(before)} B − ${fmt(before - total)} B`,
    remedy:
      'CPython never shrinks a dict when items are deleted: rebuild it once it has shrunk (d = dict(d)), or keep the short-lived items in a separate dict that is replaced rather than emptied.',
    members: lazyMembers(() => {
      const list = new MemberList();
      for (let i = 0; i < dicts.length; i++) {
        const saved = saving(dicts[i]!);
        if (saved !== 0) list.push(dicts[i]!, saved);
      }
      return list.done();
    }),
  };
}

/** Bytes `dict(d)` would save on dict v (0: none worth a line): most dicts are as large as insertions make them, so dictSaving runs only on larger ones. */
export function overallocSaving(
  layout: Layout,
  length: Uint32Array,
  size: Float64Array,
): (v: number) => number {
  const grownSize = grownSizes(layout);
  return (v: number) => {
    const n = length[v]!;
    if (n === 0 || n === 0xffffffff) return 0;
    const grown =
      n < grownSize.length ? grownSize[n]! : dictSize(layout, dictGrownSlots(n) * 2, layout.dictStrEntry);
    if (size[v]! < grown) return 0;
    const saved = dictSaving(layout, size[v]!, n);
    return saved < MIN_DICT_SAVING ? 0 : saved;
  };
}

/** Per item count n < 256, the size of a dict with twice the table insertions grow for n: the scan's cut. */
export function grownSizes(layout: Layout): Float64Array {
  const out = new Float64Array(256);
  for (let n = 1; n < out.length; n++) out[n] = dictSize(layout, dictGrownSlots(n) * 2, layout.dictStrEntry);
  return out;
}

/**
 * Bytes `dict(d)` would save for a dict of `size` bytes holding n items, or 0 when its size is no
 * own-table layout (a split instance dict) or its table is one insertions could have grown.
 */
export function dictSaving(layout: Layout, size: number, n: number): number {
  const grown = dictGrownSlots(n);
  for (const entry of [layout.dictStrEntry, 24]) {
    for (let slots = grown * 2; slots <= 2 ** 32; slots *= 2) {
      const s = dictSize(layout, slots, entry);
      if (s > size) break;
      if (s === size) return size - dictSize(layout, dictCopySlots(layout, n), entry);
    }
  }
  return 0;
}

/**
 * A namespace, not a collection anyone built: an object's, class's or module's `__dict__`, or a
 * frame's `f_locals` (up to 3.12 the dumper reads a suspended coroutine's locals through it, which
 * creates it: one per pending asyncio task, empty or with the same few variable names).
 */
export function isAttributeDict(g: HeapGraph, v: number): boolean {
  const held = namespaces(g);
  return (held[v >>> 3]! & (1 << (v & 7))) !== 0;
}

/** isAttributeDict as a bitset (bit v of byte v >>> 3), for loops that test millions of dicts. */
export function namespaceBits(g: HeapGraph): Uint8Array {
  return namespaces(g);
}

/** Per snapshot: the bitset of nodes held as a namespace (see `namespaces`). */
const namespaceSets = new WeakMap<HeapGraph, Uint8Array>();

/**
 * Nodes some object holds by an INTERNAL `__dict__` or `f_locals` edge, as a bitset: one
 * sequential pass over the edges, made once per snapshot. Asked per dict instead (its retainers,
 * their kinds and names), the answer cost ~5 scattered reads a dict: ~0.15 s for the 1.2M record
 * dicts of a 10M-object heap.
 */
function namespaces(g: HeapGraph): Uint8Array {
  let held = namespaceSets.get(g);
  if (held) return held;
  held = new Uint8Array((g.nodeCount >>> 3) + 1);
  const marker = new NamespaceMarker(g, held);
  const { edgeKind } = g;
  const end = g.firstEdge[g.nodeCount]!;
  // INTERNAL edges are a few percent of all: the kinds are read four at a time (a word with no
  // INTERNAL byte skipped by one test), a fifth of the time of a byte a step on 20M edges.
  let e = 0;
  for (; e < end && ((edgeKind.byteOffset + e) & 3) !== 0; e++) marker.edge(e);
  const words = new Int32Array(edgeKind.buffer, edgeKind.byteOffset + e, (end - e) >>> 2);
  for (let w = 0; w < words.length; w++) {
    const x = words[w]! ^ INTERNAL_WORD;
    // A zero byte in x (an INTERNAL kind), the classic test: (x − 0x01…) & ~x & 0x80…
    if (((x - 0x01010101) & ~x & 0x80808080) !== 0) for (let k = 0; k < 4; k++) marker.edge(e + 4 * w + k);
  }
  for (e += 4 * words.length; e < end; e++) marker.edge(e);
  namespaceSets.set(g, held);
  return held;
}

const INTERNAL_WORD = EDGE_KIND.INTERNAL * 0x01010101;

/** Sets the target's bit of each INTERNAL edge named `__dict__` or `f_locals`. */
class NamespaceMarker {
  private readonly verdict = new Map<number, boolean>(); // per edge name: a few distinct INTERNAL names
  private readonly edgeKind: Uint8Array;
  private readonly edgeName: Uint32Array;
  private readonly edgeTarget: Uint32Array;
  constructor(
    private readonly g: HeapGraph,
    private readonly held: Uint8Array,
  ) {
    this.edgeKind = g.edgeKind;
    this.edgeName = g.edgeName;
    this.edgeTarget = g.edgeTarget;
  }

  edge(e: number): void {
    if (this.edgeKind[e] !== EDGE_KIND.INTERNAL) return;
    const id = this.edgeName[e]!;
    let yes = this.verdict.get(id);
    if (yes === undefined) {
      yes = isNamespaceEdgeName(this.g, id);
      this.verdict.set(id, yes);
    }
    if (yes) {
      const t = this.edgeTarget[e]!;
      this.held[t >>> 3]! |= 1 << (t & 7);
    }
  }
}

const DICT_NAME = new TextEncoder().encode('__dict__');
const LOCALS_NAME = new TextEncoder().encode('f_locals');

/**
 * String `id` is `__dict__` or `f_locals`, compared in the string table's bytes: called for every
 * dict that reaches records' exact key-set table (millions on a large heap), where decoding each
 * name would cost more than the scan.
 */
function isNamespaceEdgeName(g: HeapGraph, id: number): boolean {
  if (id === NONE32) return false;
  const offsets = g.strings.offsets;
  const start = offsets[id]!;
  if (offsets[id + 1]! - start !== 8) return false;
  const bytes = g.strings.bytes();
  let dict = true;
  let locals = true;
  for (let i = 0; i < 8; i++) {
    const b = bytes[start + i]!;
    dict &&= b === DICT_NAME[i];
    locals &&= b === LOCALS_NAME[i];
  }
  return dict || locals;
}
