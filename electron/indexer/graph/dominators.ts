// Stage "dominators": immediate dominators over strong edges by semi-NCA (Georgiadis): semidominators
// as in Lengauer–Tarjan (eval with path compression), then each idom as the nearest common ancestor
// of the DFS parent and the semidominator. Near-linear in practice; the Cooper–Harvey–Kennedy
// iterative algorithm is quadratic on some heap shapes, so it is not used. No recursion: see dfs.ts.
//
// Two trees are numbered in one preorder: the super-root's (everything a root reaches), then the
// unreachable group's (cyclic garbage). References from garbage into reachable objects are ignored
// for the reachable tree, so garbage never changes who dominates a live object.
import { EDGE_KIND } from '../format/spec';
import type { Helper } from '../parallel/helper';
import { gatherPreorder } from '../parallel/kernels';
import { prefaulted, sharedUint32 } from '../parallel/shared';
import type { StageContext } from '../progress';
import { DepthFirst, type Preorder } from './dfs';
import { FIRST_OBJECT, GROUP_UNREACHABLE, groupBit, NO_NODE, SUPER_ROOT } from './layout';
import type { Retainers } from './retainers';
import { type SyntheticEdges, withGarbageRoots } from './roots';

export interface DominatorInput {
  /** The leaves the DFS skips, computed on the helper (`startLeaves`); `done` when complete. */
  leaves: Leaves;
  firstEdge: Uint32Array;
  edgeTarget: Uint32Array;
  edgeKind: Uint8Array;
  retainers: Retainers;
  nodeIdx2RootGroups: Uint8Array;
  nodeIdx2StrongIn: Uint32Array;
  distance: Int32Array;
  synthetic: SyntheticEdges;
}

export interface Dominators {
  /**
   * Preorder of every object except the `referencedOnceLeaves` (they are never numbered: see
   * `leavesReferencedOnce`).
   */
  order: Preorder;
  /** Bit v set: v is a leaf referenced once; its dominator is that one referrer. */
  referencedOnceLeaves: Int32Array;
  /** preorder2IdomPreorder; 0 for the two tree roots. */
  idom: Uint32Array;
  /** nodeIdx2DominatorNodeIdx; NO_NODE for the super-root, SUPER_ROOT for the unreachable group. */
  nodeIdx2Dominator: Uint32Array;
  /** Synthetic edges including the unreachable group's members (garbage roots). */
  synthetic: SyntheticEdges;
  garbageRoots: number;
}

const BUDGET = 1 << 18;

/**
 * Work that overlaps the DFS from the super-root (which needs neither retainers nor distances):
 * `afterDfs` runs on this thread once that DFS is done, and `ready` settles when the helper thread
 * has finished its part of both.
 */
export interface Overlap {
  afterDfs: () => unknown;
  ready: Promise<unknown>;
  /** Gathers part of the retainers' preorder numbers once the numbering is done. */
  helper: Helper;
  /**
   * Called once the helper has nothing left to do for this stage (the semidominator loop runs on
   * this thread alone): the caller may queue other work for it.
   */
  helperIdle?: () => void;
}

export async function computeDominators(
  input: DominatorInput,
  ctx: StageContext,
  overlap: Overlap,
): Promise<Dominators> {
  const { ready } = overlap;
  ready.catch(() => {}); // a failure is thrown where it is awaited, not reported as unhandled first
  const n = input.firstEdge.length - 1;
  ctx.begin('dominators', n * 3);
  await input.leaves.done;
  const skip = input.leaves.skip;
  const dfs = new DepthFirst(n, input.firstEdge, input.edgeTarget, input.edgeKind, input.synthetic, skip);
  dfs.start(SUPER_ROOT, 0);
  await drain(dfs, ctx, n);
  overlap.afterDfs();
  await ready;
  const garbage = await numberGarbage(dfs, input, ctx, n, skip);
  const synthetic = withGarbageRoots(input.synthetic, garbage);
  dfs.release();
  const order = dfs.order;
  const reachableCount = order.pre[GROUP_UNREACHABLE]! - 1;
  const semi = await semidominators(order, input, reachableCount, ctx, n, overlap);
  const idom = nearestCommonAncestors(order, semi);
  const nodeIdx2Dominator = sharedUint32(n).fill(NO_NODE); // the helper thread reads it (aggregates)
  for (let i = 2; i <= order.count; i++) nodeIdx2Dominator[order.vertex[i]!] = order.vertex[idom[i]!]!;
  nodeIdx2Dominator[GROUP_UNREACHABLE] = SUPER_ROOT;
  dominateLeavesByReferrer(nodeIdx2Dominator, skip, input.retainers);
  return {
    order,
    referencedOnceLeaves: skip,
    idom,
    nodeIdx2Dominator,
    synthetic,
    garbageRoots: garbage.length,
  };
}

/**
 * Objects that need no place in the DFS or the semidominator loop: no strong reference out, exactly
 * one strong reference in, in no root group. Every path to such a leaf ends with its one referrer,
 * so that referrer is its immediate dominator (reachable or not, the leaf shares its fate); and
 * having no strong references out, it is on no path to anything else, so leaving it out changes no
 * other object's dominator. In Python heaps about half of all objects are such leaves (strings,
 * numbers and bytes held by one container), and they cost the DFS and the semidominator loop each
 * a cache miss or two. Bitsets (n/8 bytes) because the DFS tests one per edge.
 */
export interface Leaves {
  /** Bit v: v is such a leaf. */
  skip: Int32Array;
  /** Bit v: v has no strong reference out (the BFS does not queue it: graph/distances.ts). */
  noOut: Int32Array;
  done: Promise<unknown>;
}

/**
 * Starts the one pass that finds them (parallel/kernels.ts `strongLeaves`) on the helper, which
 * is idle while this thread lays out the retainer index; one thread: runs it now.
 */
export function startLeaves(
  firstEdge: Uint32Array,
  edgeKind: Uint8Array,
  strongIn: Uint32Array,
  groups: Uint8Array,
  helper: Helper,
): Leaves {
  const words = ((firstEdge.length - 1) >>> 5) + 1;
  const skip = new Int32Array(new SharedArrayBuffer(4 * words));
  const noOut = new Int32Array(new SharedArrayBuffer(4 * words));
  const done = helper.run(
    'strongLeaves',
    firstEdge,
    edgeKind,
    EDGE_KIND.WEAK,
    strongIn,
    groups,
    FIRST_OBJECT,
    noOut,
    skip,
  );
  return { skip, noOut, done };
}

/** Each skipped leaf's dominator: its one strong referrer, first in its retainer row. */
function dominateLeavesByReferrer(
  nodeIdx2Dominator: Uint32Array,
  skip: Int32Array,
  retainers: Retainers,
): void {
  const { firstRetainer, retainerSrc } = retainers;
  for (let w = 0; w < skip.length; w++) {
    let bits = skip[w]!;
    while (bits !== 0) {
      const low = bits & -bits;
      const v = (w << 5) + (31 - Math.clz32(low));
      nodeIdx2Dominator[v] = retainerSrc[firstRetainer[v]!]!;
      bits ^= low;
    }
  }
}

async function drain(dfs: DepthFirst, ctx: StageContext, n: number): Promise<void> {
  while (!dfs.done) {
    dfs.run(BUDGET);
    await ctx.checkpoint(dfs.order.count, n * 3);
  }
}

/**
 * Numbers the garbage under the unreachable group. Its members are the unreachable objects no other
 * object strongly references, then, for cycles with no such entry, the lowest-numbered object left.
 */
async function numberGarbage(
  dfs: DepthFirst,
  input: DominatorInput,
  ctx: StageContext,
  n: number,
  skip: Int32Array,
) {
  const { distance, nodeIdx2StrongIn: strongIn, nodeIdx2RootGroups: groups } = input;
  const roots: number[] = [];
  for (let v = FIRST_OBJECT; v < n; v++) if (distance[v] === -1 && strongIn[v] === 0) roots.push(v);
  dfs.synthetic = withGarbageRoots(input.synthetic, Uint32Array.from(roots));
  dfs.start(GROUP_UNREACHABLE, 0);
  await drain(dfs, ctx, n);
  const groupPre = dfs.order.pre[GROUP_UNREACHABLE]!;
  const pre = dfs.order.pre;
  for (let v = FIRST_OBJECT; v < n; v++) {
    if (pre[v] !== 0 || (skip[v >>> 5]! & (1 << (v & 31))) !== 0) continue;
    roots.push(v);
    dfs.start(v, groupPre);
    await drain(dfs, ctx, n);
  }
  const bit = groupBit(GROUP_UNREACHABLE);
  for (const v of roots) groups[v] = groups[v]! | bit;
  return Uint32Array.from(roots);
}

/**
 * Semidominators (preorder numbers), by Lengauer–Tarjan's eval with iterative path compression.
 * The link forest lives in one interleaved array, `forest[2i]` = ancestor and `forest[2i+1]` = the
 * least semidominator on the compressed path (LT's semi[label[i]]), so each step of a compression
 * touches one cache line instead of three arrays.
 */
async function semidominators(
  order: Preorder,
  input: DominatorInput,
  reachableCount: number,
  ctx: StageContext,
  n: number,
  overlap: Overlap,
): Promise<Uint32Array> {
  const { helper } = overlap;
  const N = order.count;
  const { retainerSrc } = input.retainers;
  // The preorder number of every retainer's source, gathered in a loop of its own (independent
  // loads, whose misses the CPU overlaps; inside the semidominator loop each one stalled behind the
  // evaluation that decides what to read next). The helper takes the larger share: this thread
  // also moves the retainer rows into preorder positions meanwhile.
  const srcPre = sharedUint32(retainerSrc.length);
  const split = helper.threads > 1 ? Math.floor(retainerSrc.length * 0.4) : retainerSrc.length;
  const other =
    split < retainerSrc.length
      ? helper.run('gatherPreorder', order.pre, retainerSrc, srcPre, split, retainerSrc.length)
      : null;
  const rows = retainerRowsByPreorder(order, input);
  gatherPreorder(order.pre, retainerSrc, srcPre, 0, split);
  await other;
  overlap.helperIdle?.();
  const work: SemiWork = {
    order,
    input,
    rows,
    srcPre,
    semi: new Uint32Array(N + 1),
    forest: new Uint32Array(2 * (N + 1)),
    reachableCount,
  };
  for (let hi = N; hi >= 2; hi -= BUDGET) {
    semiRange(work, Math.max(2, hi - BUDGET + 1), hi);
    await ctx.checkpoint(n + (N - hi), n * 3);
  }
  return work.semi;
}

interface SemiWork {
  order: Preorder;
  input: DominatorInput;
  /** Per preorder number i: [3i] first retainer, [3i+1] end of strong retainers, [3i+2] flags. */
  rows: Uint32Array;
  /** retainerIdx2SourcePreorder: `pre[retainerSrc[r]]`, gathered in one pass. */
  srcPre: Uint32Array;
  semi: Uint32Array;
  forest: Uint32Array;
  reachableCount: number;
}

const SYNTHETIC_FLAG = 0x100;

/**
 * Each numbered node's retainer row bounds and root-group bits, moved into preorder positions.
 * The semidominator loop walks preorder numbers downwards; reading these sequentially there
 * (instead of three random lookups by node) is worth one pass of scattered stores here.
 */
function retainerRowsByPreorder(order: Preorder, input: DominatorInput): Uint32Array {
  const { pre } = order;
  const { firstRetainer } = input.retainers;
  const { nodeIdx2StrongIn: strongIn, nodeIdx2RootGroups: groups } = input;
  const rows = prefaulted(new Uint32Array(3 * (order.count + 1))); // written at random
  for (let v = 0; v < pre.length; v++) {
    const i = pre[v]!;
    if (i === 0) continue;
    if (v < FIRST_OBJECT) {
      rows[3 * i + 2] = SYNTHETIC_FLAG;
      continue;
    }
    const first = firstRetainer[v]!;
    rows[3 * i] = first;
    rows[3 * i + 1] = first + strongIn[v]!; // strong retainers come first in each row
    rows[3 * i + 2] = groups[v]!;
  }
  return rows;
}

/** Processes preorder numbers hi down to lo. */
function semiRange(w: SemiWork, lo: number, hi: number): void {
  const { semi, forest, reachableCount, rows } = w;
  const { pre, parent } = w.order;
  const srcPre = w.srcPre;
  const lowest = pre[SUPER_ROOT]!;
  for (let i = hi; i >= lo; i--) {
    if (parent[i] === 0) continue; // a tree root (the unreachable group)
    const live = i <= reachableCount;
    let s = i;
    const bits = rows[3 * i + 2]!;
    const first = rows[3 * i]!;
    const strongEnd = rows[3 * i + 1]!;
    if (bits === 0 && strongEnd - first === 1) {
      // One strong reference and no root: it is the DFS tree edge, so semi = parent. Most objects in
      // a heap are referenced once; this skips their two random reads (retainer row, its preorder).
      s = parent[i]!;
    } else if (bits !== SYNTHETIC_FLAG) {
      for (let r = first; r < strongEnd; r++) {
        const j = srcPre[r]!;
        if (j === 0 || (live && j > reachableCount)) continue;
        const c = j < i ? j : evaluate(w, j);
        if (c < s) {
          s = c;
          // Nothing is numbered below the super-root: the rest of the row cannot lower s. Objects
          // with many referrers (types, interned strings, shared constants) usually get there
          // early: at 10M objects this skipped 9.9M of 10.5M evaluations (synthetic) and 7M of
          // 11M (the real dump), the semidominator loop's random walks.
          if (s === lowest) break;
        }
      }
      // Root groups are predecessors too; a group can be numbered after its member.
      for (let g = 1; bits >> (g - 1); g++) {
        if (!(bits & (1 << (g - 1)))) continue;
        const j = pre[g]!;
        const c = j < i ? j : evaluate(w, j);
        if (c < s) s = c;
      }
    } else if (pre[SUPER_ROOT]! < s) {
      s = pre[SUPER_ROOT]!; // a real group's only predecessor is the super-root
    }
    semi[i] = s;
    forest[2 * i] = parent[i]!; // link(parent, i)
    forest[2 * i + 1] = s;
  }
}

/**
 * LT's eval: the least semidominator on the path from j up to its link-forest root (excluded).
 * Compresses by path halving (each visited node skips its parent, folding the parent's minimum into
 * its own): one pass, no path stack, and about half the cache misses of full compression per call.
 */
function evaluate(w: SemiWork, j: number): number {
  const forest = w.forest;
  if (forest[2 * j] === 0) return j; // not linked yet: its semidominator is still itself
  let x = j;
  let best = forest[2 * x + 1]!;
  for (;;) {
    const a = forest[2 * x]!;
    const aa = forest[2 * a]!;
    if (aa === 0) break; // a is the forest root: excluded
    const la = forest[2 * a + 1]!;
    let lx = forest[2 * x + 1]!;
    if (la < lx) {
      lx = la;
      forest[2 * x + 1] = la;
    }
    if (lx < best) best = lx;
    forest[2 * x] = aa;
    x = aa;
    if (forest[2 * x]! === 0) break; // aa is the forest root: excluded
    const lx2 = forest[2 * x + 1]!;
    if (lx2 < best) best = lx2;
  }
  return best;
}

/** idom(w) = NCA(parent(w), semi(w)) in the dominator tree built so far, in increasing preorder. */
function nearestCommonAncestors(order: Preorder, semi: Uint32Array): Uint32Array {
  const N = order.count;
  const idom = order.parent.slice(0, N + 1);
  for (let i = 2; i <= N; i++) {
    if (order.parent[i] === 0) continue;
    let x = idom[i]!;
    while (x > semi[i]!) x = idom[x]!;
    idom[i] = x;
  }
  return idom;
}
