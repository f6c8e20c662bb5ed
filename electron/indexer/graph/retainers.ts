// Stage "retainers": the reverse edge index. Retainers of node v are positions
// firstRetainer[v]..firstRetainer[v+1] of retainerSrc (the referring node) and retainerEdge (the
// edge, for its kind and name): strong references first (nodeIdx2StrongIn[v] of them), then weak
// ones, each part sorted by source node, so the dominator stage reads strong retainers without
// looking up edge kinds. Synthetic retainers (root groups) are not stored here: they follow from
// nodeIdx2RootGroups.
import { EDGE_KIND } from '../format/spec';
import type { Helper } from '../parallel/helper';
import { prefaulted, sharedUint32 } from '../parallel/shared';
import type { StageContext } from '../progress';
import type { ResolvedEdges } from './edges';

export interface Retainers {
  firstRetainer: Uint32Array;
  retainerSrc: Uint32Array;
  retainerEdge: Uint32Array;
}

/**
 * Lays out the index and starts filling it on the helper thread (parallel/kernels.ts
 * `fillRetainers`); `filled` settles when it is complete. The dominator stage's DFS needs only the
 * forward edges, so it runs on this thread meanwhile. Without a worker thread the fill runs here,
 * before this returns.
 */
export function startRetainers(
  firstEdge: Uint32Array,
  edges: ResolvedEdges,
  nodeBase: number,
  ctx: StageContext,
  helper: Helper,
): { retainers: Retainers; filled: Promise<unknown> } {
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
  // Written at random positions (on the helper thread): pages mapped in first, in order.
  const retainerSrc = prefaulted(sharedUint32(edges.edgeCount));
  const retainerEdge = prefaulted(sharedUint32(edges.edgeCount));
  const filled = helper.run(
    'fillRetainers',
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
  );
  return { retainers: { firstRetainer, retainerSrc, retainerEdge }, filled };
}
