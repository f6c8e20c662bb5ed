// The nested dominator subtree the treemap draws: breadth-first, level by level (no recursion), each
// node's largest children kept and the rest folded into `otherRetained`/`otherCount`.
import type { DominatorTreeNode } from '../../shared/contract';
import type { HeapGraph } from '../graph/heap-graph';
import { GROUP_UNREACHABLE, SUPER_ROOT } from '../graph/layout';
import { objectRow } from './rows';

const MAX_DEPTH = 12;
const MAX_CHILDREN = 500;
/** Nodes in one answer, so a wide tree with a large depth cannot build millions of rows. */
const MAX_NODES = 20_000;

export type TopChildren = (items: Uint32Array, end: number) => Uint32Array;

export function dominatorSubtree(
  g: HeapGraph,
  root: number,
  opts: { depth: number; maxChildren: number; minFraction: number },
  top: TopChildren,
): DominatorTreeNode {
  const depth = Math.max(0, Math.min(Math.floor(opts.depth), MAX_DEPTH));
  const maxChildren = Math.max(0, Math.min(Math.floor(opts.maxChildren), MAX_CHILDREN));
  const floor = Math.max(0, opts.minFraction) * g.retained[root]!;
  const top0: DominatorTreeNode = { row: objectRow(g, root), children: [], otherRetained: 0, otherCount: 0 };
  let level: [number, DominatorTreeNode][] = [[root, top0]];
  let built = 1;
  for (let d = 0; d < depth && level.length > 0; d++) {
    const next: [number, DominatorTreeNode][] = [];
    for (const [v, node] of level) {
      const items = g.tree.domChildren.subarray(g.tree.domFirst[v]!, g.tree.domFirst[v + 1]!);
      const budget = Math.min(maxChildren, MAX_NODES - built);
      const shown = budget > 0 ? top(items, budget) : new Uint32Array(0);
      let shownRetained = 0;
      for (const c of shown) {
        if (g.retained[c]! < floor) break; // ranked by retained: the rest are smaller still
        const child: DominatorTreeNode = {
          row: objectRow(g, c),
          children: [],
          otherRetained: 0,
          otherCount: 0,
        };
        node.children.push(child);
        next.push([c, child]);
        shownRetained += g.retained[c]!;
        built++;
      }
      // Children's retained sizes add up to the parent's minus its own shallow size; the super-root
      // also lists the unreachable group, whose size it does not retain.
      const all = g.retained[v]! - g.size[v]! + (v === SUPER_ROOT ? g.retained[GROUP_UNREACHABLE]! : 0);
      node.otherRetained = Math.max(0, all - shownRetained);
      node.otherCount = items.length - node.children.length;
    }
    level = next;
  }
  return top0;
}
