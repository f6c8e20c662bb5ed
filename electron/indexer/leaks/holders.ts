// Growth by holder, for one interval (base → target). Every new object is charged to its holder: the
// first object that already existed in the base on the shortest retainer path of the topmost new
// object dominating it (the dict `_SESSION_CACHE` for a new Session, the list for a new listener).
// Usually that is its nearest pre-existing dominator; when the new object has several owners (a
// Session in `_SESSION_CACHE` and in a listener's defaults) the dominator is some namespace above
// them all, and the path names the accumulation point instead (MemLab clusters by retainer trace).
// Such objects are recorded as shared with their other owners (./shared.ts) and charged once.
// Every freed object is charged the same way in the base's tree, and a survivor's own size change is
// charged to itself. So a holder's net growth = new bytes − freed bytes + own growth, and each byte
// is charged once: bounded churn (an LRU cache at capacity) nets to ~0 while an unbounded cache nets
// to what it gained.
//
// Two refinements keep holders stable when their shape is not. A new object whose path reaches no
// pre-existing object hangs from a new root (a module created at run time, a new thread's frames, an
// object only C code holds): it is charged to that root, and such roots are grouped by what they are
// (./new-roots.ts), freed roots of the same kind netting against them. And a new object hung directly
// in a namespace slot (a module global, an attribute, a frame local) is charged to the slot, not to
// the namespace: a registry replaced by a bigger copy each time (`_HANDLERS = _HANDLERS + (h,)`) is
// then one holder, `_HANDLERS`, whose old copies are freed and whose entries accumulate.
import type { SnapshotDiff } from '../diff/diff';
import type { GraphView } from '../diff/view';
import { rootSignature, rootUnit, threadRunsIn } from './new-roots';
import { type SharedObjects, sharedObjects } from './shared';

const UNKNOWN = -2;

/** What a holder slot stands for: a pre-existing object, one of its namespace slots, or a new root. */
export const HOLDER_OBJECT = 0;
export const HOLDER_SLOT = 1;
export const HOLDER_NEW_ROOT = 2;

export interface HolderGrowth {
  diff: SnapshotDiff;
  /** target node → the holder charged for it (itself when it survived), or -1 (unreachable). */
  nodeIdx2Holder: Int32Array;
  /** target node → its holder slot (index into the columns below), -1 when charged to none. */
  nodeIdx2Slot: Int32Array;
  /**
   * Holders with any activity, and their columns (one entry per holder, not per object): typed
   * arrays, filled by growing copies while the interval is charged, then cut to the holders' count.
   */
  holders: Int32Array;
  /** HOLDER_OBJECT, HOLDER_SLOT (the holder's `edgeText` slot) or HOLDER_NEW_ROOT (a new root node). */
  holderKind: Uint8Array;
  /** The slot's edge as text (`['_HANDLERS']`, `.tail`), '' for other holders. */
  edgeText: string[];
  /** The node a suspect shows: the holder, or a slot's current occupant. */
  display: Int32Array;
  newBytes: Float64Array;
  newCount: Int32Array;
  freedBytes: Float64Array;
  freedCount: Int32Array;
  ownBytes: Float64Array;
  /** Freed roots (threads that exited, modules removed) by root signature: they net against new ones. */
  freedRoots: Map<string, { bytes: number; count: number; roots: number; units: Set<string> }>;
  /** New bytes charged to no object: unreachable, or held by a root group itself. */
  unattributedBytes: number;
  /** New objects charged to one holder and also held from another (listed under both, counted once). */
  shared: SharedObjects;
}

export function holderGrowth(diff: SnapshotDiff): HolderGrowth {
  const { base, target, match } = diff;
  const tMatched = (v: number) => match.targetIdx2BaseIdx[v] >= 0;
  const bIdx = match.baseIdx2TargetIdx;
  const t = resolveHolders(target, match.targetIdx2BaseIdx);
  const b = resolveHolders(base, match.baseIdx2TargetIdx);
  const nodeIdx2Holder = t.holder;

  const g: HolderGrowth = {
    diff,
    nodeIdx2Holder,
    nodeIdx2Slot: new Int32Array(target.nodeCount).fill(-1),
    holders: new Int32Array(0),
    holderKind: new Uint8Array(0),
    edgeText: [],
    display: new Int32Array(0),
    newBytes: new Float64Array(0),
    newCount: new Int32Array(0),
    freedBytes: new Float64Array(0),
    freedCount: new Int32Array(0),
    ownBytes: new Float64Array(0),
    freedRoots: new Map(),
    unattributedBytes: 0,
    shared: { node: [], other: [] },
  };
  const slots = new Slots(g, target.nodeCount);
  const tSlots = new SlotEdges(target);
  const bSlots = new SlotEdges(base);
  const tEdgeSlot = new Map<number, number>();
  const bEdgeSlot = new Map<number, number>();
  const tShallow = target.nodeIdx2Shallow;
  const bShallow = base.nodeIdx2Shallow;
  let lastHolder = -1;
  let lastEdge = -2;
  let lastSlot = -1;
  for (let v = target.firstObject; v < target.nodeCount; v++) {
    const bv = match.targetIdx2BaseIdx[v];
    if (bv >= 0) {
      const delta = tShallow[v] - bShallow[bv];
      if (delta !== 0 && target.isReachable(v) && !isFrameLocals(target, v)) {
        const s = slots.object(v);
        g.ownBytes[s] += delta;
        g.nodeIdx2Slot[v] = s;
      }
      continue;
    }
    const h = nodeIdx2Holder[v];
    if (h < target.firstObject) {
      if (target.isReachable(v)) g.unattributedBytes += tShallow[v];
      continue;
    }
    // The holder edge is shared by every object under one top object, and those follow each other
    // in the file: the slot of the previous (holder, edge) is reused without a lookup.
    const e = t.edge[v];
    let s = lastSlot;
    if (h !== lastHolder || e !== lastEdge) {
      if (match.targetIdx2BaseIdx[h] < 0) s = slots.newRoot(h);
      else {
        const text = tSlots.text(h, e);
        if (text === null) s = slots.object(h);
        else {
          const known = tEdgeSlot.get(e);
          s = known ?? slots.slot(h, text, target.edgeTargetOf(e));
          if (known === undefined) tEdgeSlot.set(e, s);
        }
      }
      lastHolder = h;
      lastEdge = e;
      lastSlot = s;
    }
    g.newBytes[s] += tShallow[v];
    g.newCount[s] += 1;
    g.nodeIdx2Slot[v] = s;
  }
  // Base nodes and edges from here on: forget the target's last (holder, edge).
  lastHolder = -1;
  lastEdge = -2;
  const freedRootSignature = new Map<number, string>();
  for (let f = base.firstObject; f < base.nodeCount; f++) {
    if (bIdx[f] >= 0) continue;
    const hb = b.holder[f];
    if (hb < base.firstObject) continue;
    if (bIdx[hb] < 0) {
      let sig = freedRootSignature.get(hb);
      const first = sig === undefined;
      if (sig === undefined) {
        sig = rootSignature(base, hb);
        freedRootSignature.set(hb, sig);
      }
      const r = g.freedRoots.get(sig) ?? { bytes: 0, count: 0, roots: 0, units: new Set<string>() };
      r.bytes += bShallow[f];
      r.count += 1;
      const unit = first ? rootUnit(base, hb) : null;
      if (unit !== null && !threadRunsIn(target, unit)) {
        r.units.add(unit);
        r.roots = r.units.size;
      }
      g.freedRoots.set(sig, r);
      continue;
    }
    const e = b.edge[f];
    let s = lastSlot;
    if (hb !== lastHolder || e !== lastEdge) {
      const h = bIdx[hb];
      const text = bSlots.text(hb, e);
      if (text === null) s = slots.object(h);
      else {
        const known = bEdgeSlot.get(e);
        s = known ?? slots.slot(h, text, -1);
        if (known === undefined) bEdgeSlot.set(e, s);
      }
      lastHolder = hb;
      lastEdge = e;
      lastSlot = s;
    }
    g.freedBytes[s] += bShallow[f];
    g.freedCount[s] += 1;
  }
  slots.finish();
  g.shared = sharedObjects(target, nodeIdx2Holder, tMatched);
  return g;
}

/**
 * A frame's `f_locals` dict (before 3.13): the dumper makes it, and every `frame.f_locals` read
 * refreshes it, deleting and re-inserting each argument a closure captures (it lives in a cell), so
 * it grows once on the dump after the one that made it. Its size is the dump's, not the program's:
 * 600 suspended csv generators read as "300 `dict` objects at `_STREAMS['up-#-#'].gi_frame.f_locals`
 * grew by +37.5 KiB in its own size" in every interval on 3.8. What the locals hold is still charged.
 */
function isFrameLocals(view: GraphView, v: number): boolean {
  if (view.parentLink(v) < 0) return false;
  const { kind, text } = view.edgeLabelOf(view.linkEdge);
  return kind === 'internal' && text === '.f_locals';
}

export function netBytes(g: HolderGrowth, s: number): number {
  return g.newBytes[s] - g.freedBytes[s] + g.ownBytes[s];
}

/** Holder slots of one interval: one per object, per (namespace, slot edge), per new root. */
class Slots {
  private readonly byNode: Int32Array;
  private readonly bySlot = new Map<string, number>();
  private count = 0;

  constructor(
    private readonly g: HolderGrowth,
    nodeCount: number,
  ) {
    this.byNode = new Int32Array(nodeCount).fill(-1);
  }

  object(h: number): number {
    let s = this.byNode[h];
    if (s < 0) s = this.byNode[h] = this.add(h, HOLDER_OBJECT, '', h);
    return s;
  }

  newRoot(h: number): number {
    let s = this.byNode[h];
    if (s < 0) s = this.byNode[h] = this.add(h, HOLDER_NEW_ROOT, '', h);
    return s;
  }

  /** `occupant`: the slot's object in the target (-1 when only freed objects were seen so far). */
  slot(h: number, text: string, occupant: number): number {
    const key = `${h}\n${text}`;
    let s = this.bySlot.get(key);
    if (s === undefined) {
      s = this.add(h, HOLDER_SLOT, text, occupant >= 0 ? occupant : h);
      this.bySlot.set(key, s);
    } else if (occupant >= 0 && this.g.display[s] === h) this.g.display[s] = occupant;
    return s;
  }

  private add(h: number, kind: number, text: string, display: number): number {
    const g = this.g;
    const s = this.count++;
    if (s === g.holders.length) this.grow(Math.max(1024, 2 * s));
    g.holders[s] = h;
    g.holderKind[s] = kind;
    g.edgeText.push(text);
    g.display[s] = display;
    return s;
  }

  private grow(capacity: number): void {
    const g = this.g;
    g.holders = resized(g.holders, new Int32Array(capacity));
    g.holderKind = resized(g.holderKind, new Uint8Array(capacity));
    g.display = resized(g.display, new Int32Array(capacity));
    g.newBytes = resized(g.newBytes, new Float64Array(capacity));
    g.newCount = resized(g.newCount, new Int32Array(capacity));
    g.freedBytes = resized(g.freedBytes, new Float64Array(capacity));
    g.freedCount = resized(g.freedCount, new Int32Array(capacity));
    g.ownBytes = resized(g.ownBytes, new Float64Array(capacity));
  }

  /** Cut the columns to the holders' count (views, no copy): `holders.length` is that count. */
  finish(): void {
    const g = this.g;
    const n = this.count;
    g.holders = g.holders.subarray(0, n);
    g.holderKind = g.holderKind.subarray(0, n);
    g.display = g.display.subarray(0, n);
    g.newBytes = g.newBytes.subarray(0, n);
    g.newCount = g.newCount.subarray(0, n);
    g.freedBytes = g.freedBytes.subarray(0, n);
    g.freedCount = g.freedCount.subarray(0, n);
    g.ownBytes = g.ownBytes.subarray(0, n);
  }
}

function resized<T extends Int32Array | Uint8Array | Float64Array>(from: T, to: T): T {
  to.set(from.subarray(0, Math.min(from.length, to.length)));
  return to;
}

/**
 * Which holder edges are namespace slots: an attribute, a frame local, or a key of an attribute dict
 * (module globals, a class's or an instance's `__dict__`). A plain dict's or list's entries are not
 * slots: a cache keyed by request is one holder, however many keys it has. Memoised per edge.
 */
class SlotEdges {
  /** Per edge key (kind and name): the slot's text. */
  private readonly byKey = new Map<number, string>();
  /** Per node: 0 not yet known, 1 an attribute dict, 2 not. */
  private readonly namespace: Uint8Array;

  constructor(private readonly view: GraphView) {
    this.namespace = new Uint8Array(view.nodeCount);
  }

  text(holder: number, edge: number): string | null {
    if (edge < 0) return null;
    // The kind is a typed-array read; names are decoded only for slots, once per distinct name.
    const kind = this.view.edgeKindOf(edge);
    if (kind !== 'attr' && kind !== 'local' && (kind !== 'dict-value' || !this.isNamespace(holder)))
      return null;
    const key = this.view.edgeKey(edge);
    let text = this.byKey.get(key);
    if (text === undefined) {
      text = this.view.edgeLabelOf(edge).text;
      this.byKey.set(key, text);
    }
    return text;
  }

  private isNamespace(h: number): boolean {
    if (this.namespace[h] === 0) this.namespace[h] = this.view.isAttributeDict(h) ? 1 : 2;
    return this.namespace[h] === 1;
  }
}

/**
 * Holder of every node: itself when matched (`matched`: its index in the other snapshot, ≥ 0 when it
 * existed there), else the holder of the topmost new object dominating
 * it, which is the first matched object on that object's shortest retainer path — its nearest matched
 * dominator when it has one owner, the accumulation point on its shortest path when it has several
 * (then its dominator is a namespace above all of them) — or, when that path reaches no matched
 * object, the new root it starts at. `edge`: the edge from the holder on that path (-1 for
 * survivors and roots). Walks up the dominator tree with an explicit stack and memoises every node on
 * the way (each node is resolved once: O(n)); no recursion, since dominator chains of real heaps are
 * thousands deep. Unreachable nodes get -1.
 */
function resolveHolders(view: GraphView, matched: Int32Array): { holder: Int32Array; edge: Int32Array } {
  const n = view.nodeCount;
  const holder = new Int32Array(n).fill(UNKNOWN);
  const edge = new Int32Array(n).fill(-1);
  const viaPath = new PathHolders(view, matched);
  const dom = view.nodeIdx2Dominator;
  for (let v = 0; v < view.firstObject; v++) holder[v] = v;
  const stack: number[] = [];
  for (let v = view.firstObject; v < n; v++) {
    if (holder[v] !== UNKNOWN) continue;
    if (!view.isReachable(v)) {
      holder[v] = -1;
      continue;
    }
    let u = v;
    let resolved = -1;
    let via = -1;
    for (;;) {
      if (holder[u] !== UNKNOWN) {
        resolved = holder[u];
        via = edge[u];
        break;
      }
      if (matched[u] >= 0) {
        holder[u] = u;
        resolved = u;
        break;
      }
      stack.push(u);
      const d = dom[u];
      if (d < 0 || d >= n || d === u) break;
      if (d < view.firstObject || matched[d] >= 0) {
        // Every path to u passes d, so the walk meets a matched object at d or below it; under a
        // synthetic node (u reachable from two roots) the path decides alone.
        resolved = viaPath.of(u);
        via = resolved >= 0 ? viaPath.edgeOf(u) : -1;
        if (resolved < 0) resolved = d;
        break;
      }
      u = d;
    }
    while (stack.length > 0) {
      const w = stack.pop()!;
      holder[w] = resolved;
      edge[w] = via;
    }
  }
  return { holder, edge };
}

/**
 * First matched object on the shortest retainer path above a node — or the root the path starts at
 * when it meets none — memoised per node so that many new objects sharing a path cost one walk (O(n)
 * in all), with the edge leaving that object on the path. -1 when the path ends without a root.
 */
class PathHolders {
  private readonly memo: Int32Array;
  private readonly memoEdge: Int32Array;
  private readonly chain: number[] = [];

  constructor(
    private readonly view: GraphView,
    private readonly matched: Int32Array,
  ) {
    this.memo = new Int32Array(view.nodeCount).fill(UNKNOWN);
    this.memoEdge = new Int32Array(view.nodeCount).fill(-1);
  }

  of(v: number): number {
    const { memo, memoEdge, chain, view } = this;
    let u = v;
    let found = -1;
    let via = -1;
    for (;;) {
      if (memo[u] !== UNKNOWN) {
        found = memo[u];
        via = memoEdge[u];
        break;
      }
      chain.push(u);
      const p = view.parentLink(u);
      if (p < view.firstObject) {
        // A new root: what it is decides its group (./new-roots.ts).
        if (view.rootKinds(u).length > 0) found = u;
        break;
      }
      if (this.matched[p] >= 0) {
        found = p;
        via = view.linkEdge;
        break;
      }
      u = p;
    }
    while (chain.length > 0) {
      const w = chain.pop()!;
      memo[w] = found;
      memoEdge[w] = via;
    }
    return found;
  }

  /** The edge leaving the holder of the last `of(v)` on v's path. */
  edgeOf(v: number): number {
    return this.memoEdge[v];
  }
}
