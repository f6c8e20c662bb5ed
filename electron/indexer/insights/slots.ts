// Instances that would shrink with `__slots__`, per class: count × (today's per-instance cost − a
// slotted layout). Today's cost is the instance plus its attribute storage: the `__dict__` object
// when it exists (always up to 3.10; on 3.11+ once something asked for `__dict__`), else on 3.11+
// the inline values, which `sys.getsizeof` leaves out (layouts.ts `inlineValues`; a format 1.1 dump
// already includes them in the instance's size, and then nothing is added). The slotted
// layout has one slot per attribute the class's instances use (the most any instance has), plus a
// `__weakref__` slot when the snapshot shows weak references to them.
import { EDGE_KIND, NONE32 } from '../format/spec';
import type { HeapGraph } from '../graph/heap-graph';
import { typeNameOf } from '../query/rows';
import { type Candidate, fmt, K, lazyMembers, MemberList, nodesOf } from './kinds';
import type { Layout } from './layouts';
import { SCRATCH, type Scratch, scratchOf } from './scratch';

/** Per string id, which internal slot name it is (decoded once per id, cached direct-mapped). */
class SlotNames {
  private readonly ids = new Int32Array(1024).fill(-1);
  private readonly texts: string[] = new Array<string>(1024).fill('');
  constructor(private readonly g: HeapGraph) {}
  is(id: number, name: string): boolean {
    if (id === NONE32) return false;
    const slot = id & 1023;
    if (this.ids[slot] !== id) {
      const text = this.g.strings.get(id);
      this.ids[slot] = id;
      this.texts[slot] = text.length <= 12 ? text : '';
    }
    return this.texts[slot] === name;
  }
}

const MAX_NAMES_SHOWN = 8;

interface ClassTally {
  count: number;
  /** Bytes recorded for the instances and their `__dict__`s. */
  cost: number;
  /** Instances whose attributes are inline values (3.11+, no dict object): their storage is added. */
  inline: number;
  maxAttrs: number;
  /** The instance with the most attributes (its names make the remedy's `__slots__`), and its dict or -1. */
  widest: number;
  widestDict: number;
  weak: boolean;
  /** The class's instances (a view of the type index) and each one's recorded cost, NaN if not counted. */
  nodes: Uint32Array;
  costs: Float64Array;
}

export interface SlotsResult {
  candidates: Candidate[];
  /** Classes skipped because their layout could not be told (no class object, builtin bases). */
  unknownClasses: number;
}

/**
 * Every class that would shrink, largest saving first. One pass over all user-class instances in node order
 * (a class's instances are scattered through the heap: walking them class by class reads their
 * edges at random); the i-th instance met of a class is nodesOf(its name)[i].
 */
export function missingSlots(
  g: HeapGraph,
  kinds: Uint8Array,
  layout: Layout,
  scratch: Scratch = scratchOf(g),
): SlotsResult {
  const t = g.types;
  const state: ScanState = {
    names: new SlotNames(g),
    classState: new Map<number, boolean | null>(),
    byName: new Array(t.names.length),
    cursor: new Uint32Array(t.names.length),
  };
  const marked = userInstances(g, kinds, scratch);
  let unknown = 0;
  for (let w = 0; w < marked.length; w += CHUNK) {
    unknown += tallyRange(g, layout, state, marked, w, Math.min(marked.length, w + CHUNK));
  }
  const candidates: Candidate[] = [];
  for (let k = 0; k < state.byName.length; k++) {
    const tally = state.byName[k];
    const c = tally && tally.count > 0 ? toCandidate(g, t.names[k]!, layout, tally) : null;
    if (c) candidates.push(c);
  }
  candidates.sort((a, b) => b.wastedBytes - a.wastedBytes);
  return { candidates, unknownClasses: unknown };
}

/** The scan runs a chunk of bitmap words a call (a hot loop called per chunk is optimized once, whole). */
const CHUNK = 1 << 12;

/**
 * A bit per node, set for instances of user classes: marked from the type index's lists (a few
 * percent of the heap), then read in node order, where testing every node's type read the whole
 * type column (40 MB at 10M objects).
 */
function userInstances(g: HeapGraph, kinds: Uint8Array, scratch: Scratch): Int32Array {
  const t = g.types;
  const isUser = new Uint8Array(t.names.length);
  for (let i = 0; i < kinds.length; i++) if (kinds[i] === K.USER_CLASS) isUser[t.typeIdx2Name[i]!] = 1;
  const marked = scratch.i32(SCRATCH.D, (g.nodeCount + 31) >>> 5).fill(0);
  for (let k = 0; k < isUser.length; k++) {
    if (isUser[k] === 0) continue;
    const nodes = t.nameNodesByIndex.subarray(t.nameFirst[k]!, t.nameFirst[k + 1]!);
    for (let i = 0; i < nodes.length; i++) marked[nodes[i]! >>> 5]! |= 1 << (nodes[i]! & 31);
  }
  return marked;
}

interface ScanState {
  names: SlotNames;
  classState: Map<number, boolean | null>;
  /** Per type name: its tally, made at its first instance. */
  byName: (ClassTally | undefined)[];
  /** Per type name: instances met so far (the i-th is nodesOf(its name)[i]). */
  cursor: Uint32Array;
}

/** Tallies the user-class instances marked in words [from, to); returns the classes newly found unknown. */
function tallyRange(
  g: HeapGraph,
  layout: Layout,
  s: ScanState,
  marked: Int32Array,
  from: number,
  to: number,
): number {
  // Locals: reading columns off HeapGraph (a large object) in the loop is slow.
  const { type, firstEdge, edgeKind, edgeName, edgeTarget } = g;
  const { typeIdx2Name } = g.types;
  let unknown = 0;
  for (let w = from, bits = 0; w < to; w++) {
    for (bits = marked[w]!; bits !== 0; bits &= bits - 1) {
      const v = (w << 5) | (31 - Math.clz32(bits & -bits));
      unknown += tallyOne(
        g,
        layout,
        s,
        v,
        typeIdx2Name[type[v]!]!,
        firstEdge,
        edgeKind,
        edgeName,
        edgeTarget,
      );
    }
  }
  return unknown;
}

/** Instance v of type name k (1 when its class is newly found unknown). */
function tallyOne(
  g: HeapGraph,
  layout: Layout,
  s: ScanState,
  v: number,
  k: number,
  firstEdge: Uint32Array,
  edgeKind: Uint8Array,
  edgeName: Uint32Array,
  edgeTarget: Uint32Array,
): number {
  const { names, cursor } = s;
  const tally = s.byName[k] ?? newTally(g, s, k);
  const i = cursor[k]!++;
  let dict = -1;
  let cls = -1;
  let attrs = 0;
  for (let e = firstEdge[v]!; e < firstEdge[v + 1]!; e++) {
    const kind = edgeKind[e]!;
    if (kind === EDGE_KIND.INTERNAL) {
      if (names.is(edgeName[e]!, '__dict__')) dict = edgeTarget[e]!;
      else if (names.is(edgeName[e]!, '__class__')) cls = edgeTarget[e]!;
    } else if (kind === EDGE_KIND.ATTR || kind === EDGE_KIND.OTHER) attrs++;
  }
  if (cls === -1) return 0;
  return tallyInstance(g, layout, i, tally, s, dict, cls, attrs) === 'unknown-class' ? 1 : 0;
}

function newTally(g: HeapGraph, s: ScanState, k: number): ClassTally {
  const nodes = nodesOf(g, g.types.names[k]!);
  const costs = new Float64Array(nodes.length).fill(Number.NaN);
  const tally = {
    count: 0,
    cost: 0,
    inline: 0,
    maxAttrs: 0,
    widest: -1,
    widestDict: -1,
    weak: false,
    nodes,
    costs,
  };
  s.byName[k] = tally;
  return tally;
}

/**
 * Adds instance t.nodes[i] (its `__dict__` and `__class__` targets, -1 when none, and its attribute
 * edges) to its class's tally; 'unknown-class' the first time its class cannot be told.
 */
function tallyInstance(
  g: HeapGraph,
  layout: Layout,
  i: number,
  t: ClassTally,
  s: ScanState,
  dict: number,
  cls: number,
  attrs: number,
): 'counted' | 'skipped' | 'unknown-class' {
  const v = t.nodes[i]!;
  let dictBearing = s.classState.get(cls);
  const first = dictBearing === undefined;
  if (dictBearing === undefined) {
    dictBearing = hasInstanceDict(g, cls, s.names);
    s.classState.set(cls, dictBearing);
  }
  if (!dictBearing) return first && dictBearing === null ? 'unknown-class' : 'skipped';
  const ownsDict = dict !== -1 && isDict(g, dict) && g.nodeIdx2Dominator[dict] === v;
  const n = ownsDict ? g.length[dict]! : attrs;
  // Inline values (3.11+) are sized by the class's shared keys: added once maxAttrs is known.
  const cost = g.size[v]! + (ownsDict ? g.size[dict]! : 0);
  const inline = !ownsDict && layout.inlineValues !== null;
  t.count++;
  t.cost += cost;
  if (inline) t.inline++;
  if (n > t.maxAttrs || t.widest === -1) {
    t.maxAttrs = n;
    t.widest = v;
    t.widestDict = ownsDict ? dict : -1;
  }
  t.weak ||= weaklyReferenced(g, v);
  t.costs[i] = inline ? -cost : cost;
  return 'counted';
}

function toCandidate(g: HeapGraph, name: string, layout: Layout, t: ClassTally): Candidate | null {
  const slotted = layout.slotted(t.maxAttrs) + (t.weak ? 8 : 0);
  const inline = layout.inlineValues ? layout.inlineValues(t.maxAttrs) : 0;
  const cost = t.cost + t.inline * inline;
  const saving = cost - t.count * slotted;
  if (saving <= 0) return null;
  const perInstance = cost / t.count;
  return {
    kind: 'missing-slots',
    type: name,
    title: `${name}: ${fmt(t.count)} instance${t.count === 1 ? '' : 's'} without __slots__`,
    count: t.count,
    wastedBytes: saving,
    estimate:
      `${fmt(t.count)} × (${fmt(perInstance)} B today − ${fmt(slotted)} B slotted with ${t.maxAttrs} attribute` +
      `${t.maxAttrs === 1 ? '' : 's'}${t.weak ? ' + __weakref__' : ''})`,
    remedy: `Declare __slots__ = ${slotsTuple(g, t)} on ${name.split('.').pop()} (or @dataclass(slots=True) on 3.10+); every base class needs __slots__ too.`,
    // A negative recorded cost marks an instance with inline values (3.11+): their size is added here.
    members: lazyMembers(() => {
      const list = new MemberList();
      for (let i = 0; i < t.nodes.length; i++) {
        const c = t.costs[i]!;
        if (!Number.isNaN(c)) list.push(t.nodes[i]!, (c < 0 ? -c + inline : c) - slotted);
      }
      return list.done();
    }),
  };
}

/** `('id', 'name')`: the attribute names of the class's widest instance, as the `__slots__` to write. */
function slotsTuple(g: HeapGraph, t: ClassTally): string {
  const names: string[] = [];
  const from = t.widestDict !== -1 ? t.widestDict : t.widest;
  const kind = t.widestDict !== -1 ? EDGE_KIND.DICT_VALUE : EDGE_KIND.ATTR;
  for (let e = g.firstEdge[from]!; e < g.firstEdge[from + 1]!; e++) {
    if (g.edgeKind[e] !== kind || g.edgeName[e] === NONE32) continue;
    const text = g.strings.get(g.edgeName[e]!);
    names.push(kind === EDGE_KIND.ATTR ? `'${text}'` : text); // dict keys are recorded as reprs
  }
  if (t.weak) names.push("'__weakref__'");
  if (names.length === 0) return '()';
  if (names.length === 1) return `(${names[0]},)`;
  const shown = names.slice(0, MAX_NAMES_SHOWN).join(', ');
  return `(${shown}${names.length > MAX_NAMES_SHOWN ? `, … ${names.length - MAX_NAMES_SHOWN} more` : ''})`;
}

/**
 * Whether instances of class node `cls` have a `__dict__` that `__slots__` would remove: true when
 * classes in its MRO have a `__dict__` and a `__weakref__` descriptor in their own dicts (what a
 * `class` statement adds for instances without `__slots__`); false when not (all slotted; a C type
 * without an instance dict, `re.Pattern`; or with one but no `__weakref__` descriptor, as C types
 * declare them — `functools._lru_cache_wrapper`, `functools.partial` — whose dict no `__slots__` in
 * a subclass removes). null when that cannot be told (no MRO or a class dict missing) or a builtin
 * base other than object decides the layout (`IntEnum` members: `int` takes no nonempty
 * `__slots__`): every base is looked at before answering, whatever its place in the MRO.
 */
function hasInstanceDict(g: HeapGraph, cls: number, names: SlotNames): boolean | null {
  const mro = internalTarget(g, cls, '__mro__', names);
  if (mro === -1) return null;
  let dict = false;
  let weakref = false;
  for (let e = g.firstEdge[mro]!; e < g.firstEdge[mro + 1]!; e++) {
    const base = g.edgeTarget[e]!;
    const label = g.label[base]!;
    const baseName = label === NONE32 ? '' : g.strings.get(label);
    if (baseName === 'object') continue;
    if (!baseName.includes('.')) return null;
    const ns = internalTarget(g, base, '__dict__', names);
    if (ns === -1) return null;
    dict ||= hasKey(g, ns, "'__dict__'");
    weakref ||= hasKey(g, ns, "'__weakref__'");
  }
  return dict && weakref;
}

function internalTarget(g: HeapGraph, v: number, name: string, names: SlotNames): number {
  for (let e = g.firstEdge[v]!; e < g.firstEdge[v + 1]!; e++) {
    if (g.edgeKind[e] === EDGE_KIND.INTERNAL && names.is(g.edgeName[e]!, name)) return g.edgeTarget[e]!;
  }
  return -1;
}

function hasKey(g: HeapGraph, dict: number, key: string): boolean {
  if (typeNameOf(g, dict) !== 'dict' && typeNameOf(g, dict) !== 'mappingproxy') return false;
  for (let e = g.firstEdge[dict]!; e < g.firstEdge[dict + 1]!; e++) {
    if (
      g.edgeKind[e] === EDGE_KIND.DICT_VALUE &&
      g.edgeName[e] !== NONE32 &&
      g.strings.get(g.edgeName[e]!) === key
    ) {
      return true;
    }
  }
  return false;
}

/** typeNameOf(g, v) === 'dict' without building the name. */
function isDict(g: HeapGraph, v: number): boolean {
  return g.types.names[g.types.typeIdx2Name[g.type[v]!]!] === 'dict';
}

function weaklyReferenced(g: HeapGraph, v: number): boolean {
  for (let r = g.firstRetainer[v]!; r < g.firstRetainer[v + 1]!; r++) {
    if (g.edgeKind[g.retainerEdge[r]!] === EDGE_KIND.WEAK) return true;
  }
  return false;
}
