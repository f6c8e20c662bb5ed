// Stage "distances": breadth-first depth from the super-root over strong edges (weak references do
// not make an object reachable). Objects left at -1 are unreachable: cyclic garbage.
import { EDGE_KIND } from '../format/spec';
import type { StageContext } from '../progress';
import { FIRST_OBJECT, SUPER_ROOT } from './layout';
import type { SyntheticEdges } from './roots';

export async function computeDistances(
  firstEdge: Uint32Array,
  edgeTarget: Uint32Array,
  edgeKind: Uint8Array,
  synthetic: SyntheticEdges,
  ctx: StageContext,
): Promise<Int32Array> {
  const n = firstEdge.length - 1;
  ctx.begin('distances', n);
  const distance = new Int32Array(n).fill(-1);
  const queue = new Uint32Array(n);
  // A bit per node for the per-edge "seen?" test: n/8 bytes stay in cache, `distance` does not.
  const seen = new Int32Array((n >>> 5) + 1);
  seen[0] = 1; // the super-root
  let head = 0;
  let tail = 0;
  distance[SUPER_ROOT] = 0;
  queue[tail++] = SUPER_ROOT;
  while (head < tail) {
    const stop = Math.min(tail, head + (1 << 18));
    const r = visit(queue, head, stop, tail, distance, seen, firstEdge, edgeTarget, edgeKind, synthetic);
    head = stop;
    tail = r;
    await ctx.checkpoint(head, n);
  }
  return distance;
}

/** Expands queue[head..stop); returns the new tail. */
function visit(
  queue: Uint32Array,
  head: number,
  stop: number,
  tail: number,
  distance: Int32Array,
  seen: Int32Array,
  firstEdge: Uint32Array,
  edgeTarget: Uint32Array,
  edgeKind: Uint8Array,
  synthetic: SyntheticEdges,
): number {
  for (let q = head; q < stop; q++) {
    const v = queue[q]!;
    const d = distance[v]! + 1;
    if (v < FIRST_OBJECT) {
      for (let s = synthetic.first[v]!; s < synthetic.first[v + 1]!; s++) {
        const t = synthetic.target[s]!;
        if ((seen[t >>> 5]! & (1 << (t & 31))) === 0) {
          seen[t >>> 5] |= 1 << (t & 31);
          distance[t] = d;
          queue[tail++] = t;
        }
      }
      continue;
    }
    for (let e = firstEdge[v]!; e < firstEdge[v + 1]!; e++) {
      if (edgeKind[e] === EDGE_KIND.WEAK) continue;
      const t = edgeTarget[e]!;
      if ((seen[t >>> 5]! & (1 << (t & 31))) === 0) {
        seen[t >>> 5] |= 1 << (t & 31);
        distance[t] = d;
        queue[tail++] = t;
      }
    }
  }
  return tail;
}
