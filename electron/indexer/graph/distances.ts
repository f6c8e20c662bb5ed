// Stage "distances": breadth-first depth from the super-root over strong edges (weak references do
// not make an object reachable). Objects left at -1 are unreachable: cyclic garbage. The last-resort
// groups (held from C, the interpreter's) are expanded only after everything the other roots reach:
// a distance, and so a BFS parent and a shortest path, goes through Python owners where one exists.
// `tier` says which pass reached a node (graph/layout.ts `RootTier`): a BFS parent is a retainer one
// step nearer in the same tier, and a path root is a node at ROOT_DISTANCE.
import { EDGE_KIND } from '../format/spec';
import type { Helper } from '../parallel/helper';
import { sharedUint8, sharedUint32 } from '../parallel/shared';
import type { StageContext } from '../progress';
import { FIRST_OBJECT, LAST_RESORT_GROUPS } from './layout';
import type { SyntheticEdges } from './roots';

/**
 * Starts the BFS on the helper thread (parallel/kernels.ts `breadthFirst`), queued after the
 * retainer fill; `done` settles when `distance` is complete. Without a worker thread it runs here.
 */
export function startDistances(
  firstEdge: Uint32Array,
  edgeTarget: Uint32Array,
  edgeKind: Uint8Array,
  synthetic: SyntheticEdges,
  ctx: StageContext,
  helper: Helper,
  noOut: Int32Array,
): { distance: Int32Array; tier: Uint8Array; done: Promise<unknown> } {
  const n = firstEdge.length - 1;
  ctx.begin('distances', n);
  const distance = new Int32Array(sharedUint32(n).buffer).fill(-1);
  const tier = sharedUint8(n);
  const synFirst = sharedUint32(synthetic.first.length);
  synFirst.set(synthetic.first);
  const synTarget = sharedUint32(synthetic.target.length);
  synTarget.set(synthetic.target);
  const lastResort = sharedUint32(LAST_RESORT_GROUPS.length);
  lastResort.set(LAST_RESORT_GROUPS);
  const done = helper.run(
    'breadthFirst',
    firstEdge,
    edgeTarget,
    edgeKind,
    EDGE_KIND.WEAK,
    synFirst,
    synTarget,
    FIRST_OBJECT,
    lastResort,
    distance,
    tier,
    noOut,
  );
  return { distance, tier, done };
}
