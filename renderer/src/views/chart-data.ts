// The treemap's data: one dominatorSubtree call, then a few more to extend big leaves. Real heaps
// spend depth on chains (module → __dict__ → cache dict) before the level that matters (the cache's
// entries), so a fixed depth either stops too early or explodes in width; extending only the leaves
// that are both big and not yet opened keeps the chart at a few hundred cells.
import type { DominatorTreeNode, HeapscopeClient, ObjectRow } from '@shared/contract';
import { withHeldAs } from './previews';

const SHAPE = { depth: 3, maxChildren: 12, minFraction: 0.0001 };
/** A leaf is extended when it retains at least this share of the chart's root. */
const EXTEND_FRACTION = 0.02;
const EXTEND_PER_ROUND = 6;
const ROUNDS = 2;
/** When most of the root is folded (a cache of many equal entries), show this many of them instead. */
const WIDE = { depth: 1, maxChildren: 150, minFraction: 0 };

export async function loadChart(
  client: HeapscopeClient,
  snapshot: string,
  node: number,
): Promise<DominatorTreeNode> {
  let root = await client.call('dominatorSubtree', { snapshot, node, ...SHAPE });
  if (root.otherRetained > root.row.retained / 2) {
    root = await client.call('dominatorSubtree', { snapshot, node, ...WIDE });
  }
  for (let round = 0; round < ROUNDS; round++) {
    const leaves = bigClosedLeaves(root, root.row.retained * EXTEND_FRACTION).slice(0, EXTEND_PER_ROUND);
    if (leaves.length === 0) break;
    const subtrees = await Promise.all(
      leaves.map((leaf) => client.call('dominatorSubtree', { snapshot, node: leaf.row.node, ...SHAPE })),
    );
    leaves.forEach((leaf, i) => {
      leaf.children = subtrees[i].children;
      leaf.otherRetained = subtrees[i].otherRetained;
      leaf.otherCount = subtrees[i].otherCount;
    });
  }
  await withHeldAs(client, snapshot, chartRows(root));
  return root;
}

/** Every row of the chart (a few hundred), root first; an explicit stack, as everywhere on the tree. */
function chartRows(root: DominatorTreeNode): ObjectRow[] {
  const rows: ObjectRow[] = [];
  const stack = [root];
  for (let n = stack.pop(); n !== undefined; n = stack.pop()) {
    rows.push(n.row);
    stack.push(...n.children);
  }
  return rows;
}

/** Leaves that have dominated children the server did not send, largest first (explicit stack). */
export function bigClosedLeaves(root: DominatorTreeNode, minRetained: number): DominatorTreeNode[] {
  const out: DominatorTreeNode[] = [];
  const stack = [root];
  while (stack.length > 0) {
    const n = stack.pop()!;
    if (n.children.length === 0) {
      if (n.row.dominatedCount > 0 && n.otherCount === 0 && n.row.retained >= minRetained) out.push(n);
      continue;
    }
    stack.push(...n.children);
  }
  return out.sort((a, b) => b.row.retained - a.row.retained);
}
