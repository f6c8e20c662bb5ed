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
 * Lays out the index; `fill` then fills its rows (parallel/kernels.ts `fillRetainers`) from the
 * references of the sources above a split (on the helper, while the dominator stage's DFS runs
 * here), and of those below it (here, after the DFS). Each thread reads only its own sources'
 * edges: when the two split the rows by target instead, each read all 20M edges of a 10M-object
 * heap to find its targets' references, and the reading alone cost ~180 ms a thread.
 */
export function layoutRetainers(
  firstEdge: Uint32Array,
  edges: ResolvedEdges,
  nodeBase: number,
  ctx: StageContext,
): { retainers: Retainers; fill: FillRetainers } {
  const n = firstEdge.length - 1;
  ctx.begin('retainers', n);
  const weak = weakReferences(firstEdge, edges);
  const firstRetainer = sharedUint32(n + 1);
  const strongIn = edges.nodeIdx2StrongIn;
  // Where the next strong retainer of each node goes, counting down from the end of the strong part:
  // one random access per edge (strongIn itself is needed again by the dominator stage).
  const strongAt = sharedUint32(n);
  let w = 0; // next of the weak references, by target
  for (let v = 0; v < n; v++) {
    const start = firstRetainer[v]!;
    let end = start + strongIn[v]!;
    strongAt[v] = end;
    while (w < weak.order.length && weak.target[weak.order[w]!] === v) {
      end++;
      w++;
    }
    firstRetainer[v + 1] = end;
  }
  // Written at random positions: pages mapped in first, in order.
  const retainerSrc = prefaulted(sharedUint32(edges.edgeCount));
  const retainerEdge = prefaulted(sharedUint32(edges.edgeCount));
  placeWeak(weak, firstRetainer, strongIn, retainerSrc, retainerEdge);
  const rows = [firstEdge, edges.edgeTarget, edges.edgeKind, EDGE_KIND.WEAK] as const;
  const out = [retainerSrc, retainerEdge] as const;
  return {
    retainers: { firstRetainer, retainerSrc, retainerEdge },
    fill: {
      above: (split, helper) => helper.run('fillRetainers', ...rows, strongAt, ...out, split, n, -1),
      below: (split) => {
        if (split <= nodeBase) return;
        // Its own cursors, from each row's start up: the other thread moves strongAt down meanwhile.
        const at = firstRetainer.slice(0, n);
        fillRetainers(...rows, at, ...out, nodeBase, split, 1);
      },
    },
  };
}

/** The weak references in edge order, and `order`: their positions by target, then edge (so source). */
interface WeakReferences {
  order: Uint32Array;
  target: Uint32Array;
  source: Uint32Array;
  edge: Uint32Array;
}

/**
 * Finds the weak edges (one pass over the edge kinds, only when the edges stage counted some) and
 * orders them by target, stably, so by source within a target (edges are grouped by ascending
 * source). Weak references are rare in Python heaps, so they are kept out of the per-edge fill,
 * where they cost a per-node count array (4 bytes an object) and a random access each.
 */
function weakReferences(firstEdge: Uint32Array, edges: ResolvedEdges): WeakReferences {
  const m = edges.weakEdges;
  const { edgeKind, edgeTarget } = edges;
  const edge = new Uint32Array(m);
  // indexOf is a native scan: ~20x faster than a loop over 20M kinds for a few thousand hits.
  const kinds = edgeKind.subarray(0, edges.edgeCount);
  for (
    let k = 0, e = kinds.indexOf(EDGE_KIND.WEAK);
    k < m && e >= 0;
    e = kinds.indexOf(EDGE_KIND.WEAK, e + 1)
  )
    edge[k++] = e;
  const target = new Uint32Array(m);
  const source = new Uint32Array(m);
  // Sources by one forward walk over the row starts (the edges are in ascending order): a binary
  // search each cost ~24 dependent cache misses.
  for (let i = 0, v = 0; i < m; i++) {
    const e = edge[i]!;
    while (firstEdge[v + 1]! <= e) v++;
    source[i] = v;
    target[i] = edgeTarget[e]!;
  }
  // By target, ties in edge order: one native sort of exact keys target * m + i (below 2^53 for
  // any heap this indexer holds: n < 2^32 objects, m < 2^21 weak edges), else a comparison sort.
  let order: Uint32Array;
  if (edges.nodeIdx2StrongIn.length * m < 2 ** 53) {
    const keys = new Float64Array(m);
    for (let i = 0; i < m; i++) keys[i] = target[i]! * m + i;
    keys.sort();
    order = Uint32Array.from(keys, (key) => key % m);
  } else {
    order = Uint32Array.from({ length: m }, (_, i) => i).sort((a, b) => target[a]! - target[b]! || a - b);
  }
  return { order, target, source, edge };
}

/** Each weak reference into its row, after the strong part: in order, so sorted by source. */
function placeWeak(
  weak: WeakReferences,
  firstRetainer: Uint32Array,
  strongIn: Uint32Array,
  retainerSrc: Uint32Array,
  retainerEdge: Uint32Array,
): void {
  let at = 0;
  let last = -1;
  for (const j of weak.order) {
    const t = weak.target[j]!;
    if (t !== last) at = firstRetainer[t]! + strongIn[t]!;
    last = t;
    retainerSrc[at] = weak.source[j]!;
    retainerEdge[at] = weak.edge[j]!;
    at++;
  }
}

/**
 * Fills the rows in two parts, split by source: every row's references from sources at or above
 * `split` (`above`, on the helper thread when it has one, else at once here), and those from below
 * it (`below`, here). `above(nodeBase)` alone fills everything.
 */
export interface FillRetainers {
  above(split: number, helper: Helper): Promise<unknown>;
  below(split: number): void;
}

/** The first node whose row starts at or past `fraction` of all of a CSR's entries (binary search). */
export function rowsHolding(firstRow: Uint32Array, fraction: number): number {
  const n = firstRow.length - 1;
  const goal = firstRow[n]! * fraction;
  let lo = 0;
  let hi = n;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (firstRow[mid]! < goal) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
