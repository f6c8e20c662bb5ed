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
  const rows = new Uint32Array(3 * CHUNK);
  while (head < tail) {
    const stop = Math.min(tail, head + CHUNK);
    const r = visit(
      queue,
      head,
      stop,
      tail,
      rows,
      distance,
      seen,
      firstEdge,
      edgeTarget,
      edgeKind,
      synthetic,
    );
    head = stop;
    tail = r;
    await ctx.checkpoint(head, n);
  }
  return distance;
}

const CHUNK = 1 << 18;

/**
 * Expands queue[head..stop); returns the new tail. Each queued node's row bounds and depth are
 * gathered first, in a loop of independent loads whose cache misses the CPU overlaps; the expansion
 * loop then reads them sequentially.
 */
function visit(
  queue: Uint32Array,
  head: number,
  stop: number,
  tail: number,
  rows: Uint32Array,
  distance: Int32Array,
  seen: Int32Array,
  firstEdge: Uint32Array,
  edgeTarget: Uint32Array,
  edgeKind: Uint8Array,
  synthetic: SyntheticEdges,
): number {
  for (let q = head, k = 0; q < stop; q++, k += 3) {
    const v = queue[q]!;
    if (v < FIRST_OBJECT) continue;
    rows[k] = firstEdge[v]!;
    rows[k + 1] = firstEdge[v + 1]!;
    rows[k + 2] = distance[v]! + 1;
  }
  for (let q = head, k = 0; q < stop; q++, k += 3) {
    const v = queue[q]!;
    if (v < FIRST_OBJECT) {
      const d = distance[v]! + 1;
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
    const d = rows[k + 2]!;
    const end = rows[k + 1]!;
    for (let e = rows[k]!; e < end; e++) {
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
