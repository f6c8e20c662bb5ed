// Stage "retained": retained size of every node = its shallow size plus its dominator-tree children's
// retained sizes, summed bottom-up in reverse preorder (a child always has a larger number).
import type { Helper } from '../parallel/helper';
import { sharedFloat64 } from '../parallel/shared';
import type { StageContext } from '../progress';
import type { Dominators } from './dominators';
import { FIRST_OBJECT } from './layout';

const CHUNK = 1 << 18;

/**
 * The starting values, every object's own size, copied on the helper thread while it is otherwise
 * idle (during the semidominator loop): the copy is mostly the first touch of 8 bytes an object of
 * new memory, ~0.1 s at 10M objects on the critical path otherwise. Shared: the helper sorts by it
 * in the aggregates stage.
 */
export function startRetained(size: Float64Array, helper: Helper): Promise<Float64Array> {
  const retained = sharedFloat64(size.length);
  const started = helper.run('copyFrom', size, retained, FIRST_OBJECT).then(() => retained);
  started.catch(() => {}); // a failure is thrown where it is awaited, not reported as unhandled first
  return started;
}

export async function computeRetained(
  size: Float64Array,
  dom: Dominators,
  ctx: StageContext,
  started: Promise<Float64Array>,
): Promise<Float64Array> {
  const n = size.length;
  ctx.begin('retained', n);
  const retained = await started;
  addSkippedLeaves(retained, size, dom);
  const { vertex, parent, count } = dom.order;
  const idom = dom.idom;
  for (let hi = count; hi >= 2; hi -= CHUNK) {
    const lo = Math.max(2, hi - CHUNK + 1);
    for (let i = hi; i >= lo; i--) {
      if (parent[i] === 0) continue; // the unreachable group is not part of the super-root's tree
      retained[vertex[idom[i]!]!] += retained[vertex[i]!]!;
    }
    await ctx.checkpoint(count - lo, n);
  }
  return retained;
}

/** Leaves the dominator stage did not number: each adds its size to its dominator (never a leaf). */
function addSkippedLeaves(retained: Float64Array, size: Float64Array, dom: Dominators): void {
  const skip = dom.referencedOnceLeaves;
  const idom = dom.nodeIdx2Dominator;
  for (let w = 0; w < skip.length; w++) {
    let bits = skip[w]!;
    while (bits !== 0) {
      const low = bits & -bits;
      const v = (w << 5) + (31 - Math.clz32(low));
      retained[idom[v]!] += size[v]!;
      bits ^= low;
    }
  }
}
