// Not a stage: the statistics that tell a Python heap's shape from other graphs (share of objects
// referenced once, of leaves, of references to shared objects, locality in file order, depth).
// The benchmark prints them for every file it indexes, and the synthetic shapes' test pins them,
// so the "python" synthetic heap stays comparable with real dumps (docs/PERFORMANCE.md).
import { EDGE_KIND } from '../format/spec';
import type { HeapGraph } from './heap-graph';
import { FIRST_OBJECT } from './layout';

export interface ShapeStats {
  /** Objects with exactly one strong reference to them. */
  referencedOnce: number;
  /** Objects with no strong reference out. */
  leaves: number;
  /** Strong references whose target has more than one. */
  toShared: number;
  refsPerObject: number;
  /** Strong references to one of the 64 objects written before or after the referrer. */
  near64: number;
  maxDistance: number;
}

/** One pass over the edges and one over the nodes; strong references only. */
export function shapeStats(g: HeapGraph): ShapeStats {
  const n = g.nodeCount;
  const strongIn = new Uint32Array(n);
  let strong = 0;
  let leaves = 0;
  let near = 0;
  for (let v = FIRST_OBJECT; v < n; v++) {
    let out = 0;
    for (let e = g.firstEdge[v]!; e < g.firstEdge[v + 1]!; e++) {
      if (g.edgeKind[e] === EDGE_KIND.WEAK) continue;
      const t = g.edgeTarget[e]!;
      strongIn[t]++;
      if (Math.abs(t - v) <= 64) near++;
      out++;
    }
    strong += out;
    if (out === 0) leaves++;
  }
  let once = 0;
  let toShared = 0;
  let maxDistance = 0;
  for (let v = FIRST_OBJECT; v < n; v++) {
    if (strongIn[v] === 1) once++;
    else if (strongIn[v]! > 1) toShared += strongIn[v]!;
    if (g.distance[v]! > maxDistance) maxDistance = g.distance[v]!;
  }
  const m = Math.max(1, n - FIRST_OBJECT);
  return {
    referencedOnce: once / m,
    leaves: leaves / m,
    toShared: toShared / Math.max(1, strong),
    refsPerObject: strong / m,
    near64: near / Math.max(1, strong),
    maxDistance,
  };
}
