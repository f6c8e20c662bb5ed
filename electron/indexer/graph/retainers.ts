// Stage "retainers": the reverse edge index. Retainers of node v are positions
// firstRetainer[v]..firstRetainer[v+1] of retainerSrc (the referring node) and retainerEdge (the
// edge, for its kind and name): strong references first (nodeIdx2StrongIn[v] of them), then weak
// ones, each part sorted by source node, so the dominator stage reads strong retainers without
// looking up edge kinds. Synthetic retainers (root groups) are not stored here: they follow from
// nodeIdx2RootGroups.
import { EDGE_KIND } from '../format/spec';
import type { StageContext } from '../progress';
import type { ResolvedEdges } from './edges';

export interface Retainers {
  firstRetainer: Uint32Array;
  retainerSrc: Uint32Array;
  retainerEdge: Uint32Array;
}

const CHUNK = 1 << 18;

export async function buildRetainers(
  firstEdge: Uint32Array,
  edges: ResolvedEdges,
  nodeBase: number,
  ctx: StageContext,
): Promise<Retainers> {
  const n = firstEdge.length - 1;
  ctx.begin('retainers', n * 2);
  const firstRetainer = new Uint32Array(n + 1);
  const weakLeft = edges.nodeIdx2WeakIn; // consumed: counts down as weak references are placed
  const strongIn = edges.nodeIdx2StrongIn;
  for (let v = 0; v < n; v++) firstRetainer[v + 1] = firstRetainer[v]! + weakLeft[v]! + strongIn[v]!;
  // Where the next strong retainer of each node goes, counting down from the end of the strong part:
  // one random access per edge (strongIn itself is needed again by the dominator stage).
  const strongAt = new Uint32Array(n);
  for (let v = 0; v < n; v++) strongAt[v] = firstRetainer[v]! + strongIn[v]!;
  await ctx.checkpoint(n, n * 2);
  const retainerSrc = new Uint32Array(edges.edgeCount);
  const retainerEdge = new Uint32Array(edges.edgeCount);
  // Sources are visited in descending order and each part of a row fills from its end, so both
  // parts end up sorted by ascending source. One pass: strong and weak parts have their own counters.
  const cols = {
    firstEdge,
    edgeTarget: edges.edgeTarget,
    edgeKind: edges.edgeKind,
    firstRetainer,
    strongIn,
    strongAt,
    weakLeft,
    retainerSrc,
    retainerEdge,
  };
  for (let hi = n; hi > nodeBase; hi -= CHUNK) {
    fillRange(cols, Math.max(nodeBase, hi - CHUNK), hi);
    await ctx.checkpoint(n + (n - hi), n * 2);
  }
  return { firstRetainer, retainerSrc, retainerEdge };
}

interface FillColumns {
  firstEdge: Uint32Array;
  edgeTarget: Uint32Array;
  edgeKind: Uint8Array;
  firstRetainer: Uint32Array;
  strongIn: Uint32Array;
  strongAt: Uint32Array;
  weakLeft: Uint32Array;
  retainerSrc: Uint32Array;
  retainerEdge: Uint32Array;
}

function fillRange(c: FillColumns, lo: number, hi: number): void {
  const {
    firstEdge,
    edgeTarget,
    edgeKind,
    firstRetainer,
    strongIn,
    strongAt,
    weakLeft,
    retainerSrc,
    retainerEdge,
  } = c;
  for (let v = hi - 1; v >= lo; v--) {
    for (let e = firstEdge[v + 1]! - 1; e >= firstEdge[v]!; e--) {
      const t = edgeTarget[e]!;
      const at =
        edgeKind[e] === EDGE_KIND.WEAK ? firstRetainer[t]! + strongIn[t]! + --weakLeft[t]! : --strongAt[t]!;
      retainerSrc[at] = v;
      retainerEdge[at] = e;
    }
  }
}
