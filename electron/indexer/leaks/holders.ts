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
import type { SnapshotDiff } from '../diff/diff';
import type { GraphView } from '../diff/view';
import { type SharedObjects, sharedObjects } from './shared';

const UNKNOWN = -2;

export interface HolderGrowth {
  diff: SnapshotDiff;
  /** target node → the holder charged for it (itself when it survived), or -1 (unreachable). */
  nodeIdx2Holder: Int32Array;
  /** Holders with any activity, and their columns (one entry per holder, not per object). */
  holders: number[];
  newBytes: number[];
  newCount: number[];
  freedBytes: number[];
  freedCount: number[];
  ownBytes: number[];
  /** New bytes charged to no object: held directly by a root (new modules, threads) or unreachable. */
  unattributedBytes: number;
  /** New objects charged to one holder and also held from another (listed under both, counted once). */
  shared: SharedObjects;
}

export function holderGrowth(diff: SnapshotDiff): HolderGrowth {
  const { base, target, match } = diff;
  const tMatched = (v: number) => match.targetIdx2BaseIdx[v] >= 0;
  const bMatched = (v: number) => match.baseIdx2TargetIdx[v] >= 0;
  const nodeIdx2Holder = resolveHolders(target, tMatched, true);
  const baseHolder = resolveHolders(base, bMatched, false);

  const slots = new Int32Array(target.nodeCount).fill(-1);
  const g: HolderGrowth = {
    diff,
    nodeIdx2Holder,
    holders: [],
    newBytes: [],
    newCount: [],
    freedBytes: [],
    freedCount: [],
    ownBytes: [],
    unattributedBytes: 0,
    shared: { node: [], other: [] },
  };
  const slot = (h: number) => {
    let s = slots[h];
    if (s < 0) {
      s = slots[h] = g.holders.length;
      g.holders.push(h);
      g.newBytes.push(0);
      g.newCount.push(0);
      g.freedBytes.push(0);
      g.freedCount.push(0);
      g.ownBytes.push(0);
    }
    return s;
  };
  const tShallow = target.nodeIdx2Shallow;
  const bShallow = base.nodeIdx2Shallow;
  for (let v = target.firstObject; v < target.nodeCount; v++) {
    const b = match.targetIdx2BaseIdx[v];
    if (b >= 0) {
      const delta = tShallow[v] - bShallow[b];
      if (delta !== 0 && target.isReachable(v)) g.ownBytes[slot(v)] += delta;
      continue;
    }
    const h = nodeIdx2Holder[v];
    if (h < target.firstObject) {
      if (target.isReachable(v)) g.unattributedBytes += tShallow[v];
      continue;
    }
    const s = slot(h);
    g.newBytes[s] += tShallow[v];
    g.newCount[s] += 1;
  }
  for (let f = base.firstObject; f < base.nodeCount; f++) {
    if (bMatched(f)) continue;
    const hb = baseHolder[f];
    if (hb < base.firstObject) continue;
    const s = slot(match.baseIdx2TargetIdx[hb]);
    g.freedBytes[s] += bShallow[f];
    g.freedCount[s] += 1;
  }
  g.shared = sharedObjects(target, nodeIdx2Holder, tMatched);
  return g;
}

export function netBytes(g: HolderGrowth, s: number): number {
  return g.newBytes[s] - g.freedBytes[s] + g.ownBytes[s];
}

/**
 * Holder of every node: itself when `matched`, else the holder of the topmost new object dominating
 * it, which is the first matched object on that object's shortest retainer path — its nearest matched
 * dominator when it has one owner, the accumulation point on its shortest path when it has several
 * (then its dominator is a namespace above all of them). Walks up the dominator tree with an explicit
 * stack and memoises every node on the way (each node is resolved once: O(n)); no recursion, since
 * dominator chains of real heaps are thousands deep. Unreachable nodes get -1. With `fallback`, a
 * new object dominated by a synthetic root node (reachable from two roots) is charged along its
 * shortest path too, so a leak held from two places is not lost; without it, it is charged to no one.
 */
function resolveHolders(view: GraphView, matched: (v: number) => boolean, fallback: boolean): Int32Array {
  const n = view.nodeCount;
  const holder = new Int32Array(n).fill(UNKNOWN);
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
    for (;;) {
      if (holder[u] !== UNKNOWN) {
        resolved = holder[u];
        break;
      }
      if (matched(u)) {
        holder[u] = u;
        resolved = u;
        break;
      }
      stack.push(u);
      const d = dom[u];
      if (d < 0 || d >= n || d === u) break;
      if (d < view.firstObject) {
        resolved = fallback ? viaPath.of(u, d) : d;
        break;
      }
      if (matched(d)) {
        // Every path to u passes d, so the walk meets a matched object at d or below it.
        resolved = viaPath.of(u, d);
        break;
      }
      u = d;
    }
    while (stack.length > 0) holder[stack.pop()!] = resolved;
  }
  return holder;
}

/**
 * First matched object on the shortest retainer path above a node, memoised per node so that many
 * new objects sharing a path cost one walk (O(n) in all). `otherwise` when a root comes first.
 */
class PathHolders {
  private readonly memo: Int32Array;
  private readonly chain: number[] = [];

  constructor(
    private readonly view: GraphView,
    private readonly matched: (v: number) => boolean,
  ) {
    this.memo = new Int32Array(view.nodeCount).fill(UNKNOWN);
  }

  of(v: number, otherwise: number): number {
    const { memo, chain, view } = this;
    let u = v;
    let found = -1;
    for (;;) {
      if (memo[u] !== UNKNOWN) {
        found = memo[u];
        break;
      }
      chain.push(u);
      const p = view.parentOf(u);
      if (p < view.firstObject) break;
      if (this.matched(p)) {
        found = p;
        break;
      }
      u = p;
    }
    while (chain.length > 0) memo[chain.pop()!] = found;
    return found < 0 ? otherwise : found;
  }
}
