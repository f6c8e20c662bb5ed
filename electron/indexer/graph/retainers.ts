// Stage "retainers": the reverse edge index. Retainers of node v are positions
// firstRetainer[v]..firstRetainer[v+1] of retainerSrc (the referring node) and retainerEdge (the
// edge, for its kind and name): strong references first (nodeIdx2StrongIn[v] of them), then weak
// ones, each part sorted by source node, so the dominator stage reads strong retainers without
// looking up edge kinds. Synthetic retainers (root groups) are not stored here: they follow from
// nodeIdx2RootGroups.
import { EDGE_KIND } from '../format/spec';
import type { Helper } from '../parallel/helper';
import { fillRetainers } from '../parallel/kernels';
import { prefaulted, sharedUint32 } from '../parallel/shared';
import type { StageContext } from '../progress';
import type { ResolvedEdges } from './edges';

export interface Retainers {
  firstRetainer: Uint32Array;
  retainerSrc: Uint32Array;
  retainerEdge: Uint32Array;
}

/**
 * Lays out the index; `fill(lo, hi)` fills the rows of targets [lo, hi) (parallel/kernels.ts
 * `fillRetainers`), on this thread or, with `helper.run`, on the other. The pipeline has the helper
 * fill the upper half while the dominator stage's DFS runs here, then fills the lower half here.
 */
export function layoutRetainers(
  firstEdge: Uint32Array,
  edges: ResolvedEdges,
  nodeBase: number,
  ctx: StageContext,
): { retainers: Retainers; fill: FillRetainers } {
  const n = firstEdge.length - 1;
  ctx.begin('retainers', n);
  const firstRetainer = sharedUint32(n + 1);
  const weakLeft = edges.nodeIdx2WeakIn; // consumed: counts down as weak references are placed
  const strongIn = edges.nodeIdx2StrongIn;
  for (let v = 0; v < n; v++) firstRetainer[v + 1] = firstRetainer[v]! + weakLeft[v]! + strongIn[v]!;
  // Where the next strong retainer of each node goes, counting down from the end of the strong part:
  // one random access per edge (strongIn itself is needed again by the dominator stage).
  const strongAt = sharedUint32(n);
  for (let v = 0; v < n; v++) strongAt[v] = firstRetainer[v]! + strongIn[v]!;
  // Written at random positions: pages mapped in first, in order.
  const retainerSrc = prefaulted(sharedUint32(edges.edgeCount));
  const retainerEdge = prefaulted(sharedUint32(edges.edgeCount));
  const args = [
    firstEdge,
    edges.edgeTarget,
    edges.edgeKind,
    EDGE_KIND.WEAK,
    firstRetainer,
    strongIn,
    strongAt,
    weakLeft,
    retainerSrc,
    retainerEdge,
    nodeBase,
    n,
  ] as const;
  return {
    retainers: { firstRetainer, retainerSrc, retainerEdge },
    fill: (lo, hi, helper) =>
      helper ? helper.run('fillRetainers', ...args, lo, hi) : fillRetainers(...args, lo, hi),
  };
}

/** Fills the rows of targets [lo, hi): on the helper thread when given one, else here. */
export type FillRetainers = (lo: number, hi: number, helper?: Helper) => unknown;

/** The first node whose row starts at or past `fraction` of all retainers (binary search). */
export function rowsHolding(firstRetainer: Uint32Array, fraction: number): number {
  const n = firstRetainer.length - 1;
  const goal = firstRetainer[n]! * fraction;
  let lo = 0;
  let hi = n;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (firstRetainer[mid]! < goal) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
