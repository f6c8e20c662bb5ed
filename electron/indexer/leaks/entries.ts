// The entries that accumulate under a suspect, by type and most specific name (./identity.ts). An
// entry is a new object at the top of what its holder gained (its dominator already existed, or is
// charged elsewhere) — except that a new builtin container put into a namespace slot is only the
// carrier of a copy-on-write registry (`_HANDLERS = _HANDLERS + (h,)`): its new children are the
// entries; so are the new nodes of a C container's internals reached through unnamed edges (a
// context's HAMT nodes, replaced on every set), whose non-internal children are the entries. And a new object that continues a chain of entries of its own type (the next node of a
// linked list) is an entry too, so a list that gets longer counts its nodes, not its first one.
import type { GraphView } from '../diff/view';
import { shortType } from './explain';
import type { HolderGrowth } from './holders';
import { HOLDER_SLOT } from './holders';
import { hasSpecificName, specificName } from './identity';
import { isContainerNode } from './signature';

export type Entries = Map<string, Entry>;

const CARRIER_TYPES = new Set(['tuple', 'list', 'dict', 'set', 'frozenset', 'collections.deque']);

const UNKNOWN = 0;
const ENTRY = 1;
const CARRIER = 2;
const INNER = 3;
/** An entry continuing a chain: counted, its bytes already in the retained size of the chain's head. */
const LINK = 4;

/** `slotToSuspect`: holder slot → index into `out`, -1 for slots of no suspect kept. */
export function entryTally(g: HolderGrowth, slotToSuspect: Int32Array, out: Entries[]): void {
  const view = g.diff.target;
  const matched = g.diff.match.targetIdx2BaseIdx;
  const dom = view.nodeIdx2Dominator;
  const slotOf = g.nodeIdx2Slot;
  const state = new Uint8Array(view.nodeCount);
  const type = (v: number) => view.nodeIdx2Type[v];
  const stack: number[] = [];
  const unnamedLink = (v: number) => {
    const p = view.parentLink(v);
    return p >= 0 && (view.edgeKindOf(view.linkEdge) === 'other' || isContainerNode(view.typeNames[type(v)]));
  };
  // Only a container can be a C container's internal node: a function or an instance reached
  // through an unnamed edge (a C module's own state, as 3.8's `atexit` keeps its callbacks) is
  // what accumulates, not the carrier of its `__closure__` tuple.
  const carries = (v: number) => {
    const name = view.typeNames[type(v)];
    return CARRIER_TYPES.has(name) || isContainerNode(name);
  };
  // `hamt`, `hamt_array_node`, `hamt_bitmap_node`: one container's internal node types.
  const family = (t: number) => view.typeNames[t].split(/[_.]/)[0];
  const classify = (v: number): number => {
    // Explicit stack up the dominator chain: a linked list is thousands of dominators deep.
    let u = v;
    while (state[u] === UNKNOWN) {
      const d = dom[u];
      if (d < view.firstObject || matched[d] >= 0 || slotOf[d] !== slotOf[u]) {
        const carrier =
          (g.holderKind[slotOf[u]] === HOLDER_SLOT && CARRIER_TYPES.has(view.typeNames[type(u)])) ||
          (unnamedLink(u) && carries(u));
        state[u] = carrier ? CARRIER : ENTRY;
        break;
      }
      stack.push(u);
      u = d;
    }
    while (stack.length > 0) {
      const w = stack.pop()!;
      const above = state[dom[w]];
      const d = dom[w];
      // Before 3.11 a node's attributes hang from its `__dict__`: Node → dict → Node.
      const viaDict =
        above === INNER &&
        view.typeNames[type(d)] === 'dict' &&
        dom[d] >= view.firstObject &&
        (state[dom[d]] === ENTRY || state[dom[d]] === LINK) &&
        type(dom[d]) === type(w);
      const chain =
        viaDict || ((above === ENTRY || above === LINK) && type(d) === type(w) && view.parentOf(w) === d);
      const internal = above === CARRIER && unnamedLink(w) && family(type(w)) === family(type(dom[w]));
      state[w] = internal ? CARRIER : above === CARRIER ? ENTRY : chain ? LINK : INNER;
    }
    return state[v];
  };
  // Objects of most types have no specific name: their tally is found by (suspect, type) number,
  // without building a key text per object. Per type: 1 may have a name, 2 never, 0 not yet known.
  const types = view.typeNames.length;
  const named = new Uint8Array(types);
  const plain = new Map<number, Entry>();
  for (let v = view.firstObject; v < view.nodeCount; v++) {
    if (matched[v] >= 0) continue;
    const s = slotOf[v];
    if (s < 0 || slotToSuspect[s] < 0) continue;
    const kind = classify(v);
    if (kind !== ENTRY && kind !== LINK) continue;
    const t = type(v);
    if (named[t] === 0)
      named[t] = hasSpecificName(view.typeNames[t]) || view.typeNames[t] === 'tuple' ? 1 : 2;
    let entry = named[t] === 2 ? plain.get(slotToSuspect[s] * types + t) : undefined;
    if (entry === undefined) {
      entry = tallyOf(
        out[slotToSuspect[s]],
        view.typeNames[t],
        named[t] === 1 ? (view.typeNames[t] === 'tuple' ? tupleName(view, v) : specificName(view, v)) : null,
      );
      if (named[t] === 2) plain.set(slotToSuspect[s] * types + t, entry);
    }
    entry.count += 1;
    if (kind === ENTRY) entry.bytes += view.nodeIdx2Retained[v];
  }
}

type Entry = { type: string; name: string | null; count: number; bytes: number };

/**
 * A tuple that mostly holds one object of a program's class: `(PriceBook, …)`. An lru_cache on a
 * method keys its cache by `(self, *args)` tuples, so "gained 600 `tuple` entries" hid the leak's
 * point: every `PriceBook` the cache was called on stays alive. Other tuples keep their type alone.
 */
function tupleName(view: GraphView, v: number): string | null {
  const [top] = view.dominatorChildren(v, 1);
  if (top === undefined || view.nodeIdx2Retained[top] * 2 < view.nodeIdx2Retained[v]) return null;
  const type = view.typeNames[view.nodeIdx2Type[top]];
  if (!type.includes('.')) return null; // a builtin (str, dict): the tuple's type says as much
  return `(${shortType(type)}, …)`;
}

function tallyOf(tally: Entries, typeName: string, name: string | null): Entry {
  const key = name ? `${typeName}\n${name}` : typeName;
  let entry = tally.get(key);
  if (entry === undefined) {
    entry = { type: typeName, name, count: 0, bytes: 0 };
    tally.set(key, entry);
  }
  return entry;
}
