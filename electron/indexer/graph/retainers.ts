// Stage "retainers": the reverse edge index. Retainers of node v are positions
// firstRetainer[v]..firstRetainer[v+1] of retainerSrc (the referring node) and retainerEdge (the
// edge, for its kind and name), sorted by source node. Synthetic retainers (root groups) are not
// stored here: they follow from nodeIdx2RootGroups.
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
  const fill = edges.nodeIdx2InCount; // reused: counts down as rows fill
  for (let v = 0; v < n; v++) firstRetainer[v + 1] = firstRetainer[v]! + fill[v]!;
  await ctx.checkpoint(n, n * 2);
  const retainerSrc = new Uint32Array(edges.edgeCount);
  const retainerEdge = new Uint32Array(edges.edgeCount);
  // Sources are visited in descending order and rows fill from their ends, so each row ends up
  // sorted by ascending source.
  for (let hi = n; hi > nodeBase; hi -= CHUNK) {
    fillRange(
      firstEdge,
      edges.edgeTarget,
      firstRetainer,
      fill,
      retainerSrc,
      retainerEdge,
      Math.max(nodeBase, hi - CHUNK),
      hi,
    );
    await ctx.checkpoint(n + (n - hi), n * 2);
  }
  return { firstRetainer, retainerSrc, retainerEdge };
}

function fillRange(
  firstEdge: Uint32Array,
  edgeTarget: Uint32Array,
  firstRetainer: Uint32Array,
  fill: Uint32Array,
  retainerSrc: Uint32Array,
  retainerEdge: Uint32Array,
  lo: number,
  hi: number,
): void {
  for (let v = hi - 1; v >= lo; v--) {
    for (let e = firstEdge[v + 1]! - 1; e >= firstEdge[v]!; e--) {
      const t = edgeTarget[e]!;
      const at = firstRetainer[t]! + --fill[t]!;
      retainerSrc[at] = v;
      retainerEdge[at] = e;
    }
  }
}
