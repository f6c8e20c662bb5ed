import type { DominatorTreeNode, ObjectRow } from '@shared/contract';
import { describe, expect, it } from 'vitest';
import { bigClosedLeaves } from './chart-data';

function node(id: number, retained: number, dominatedCount: number, children: DominatorTreeNode[] = []) {
  const row = { node: id, retained, dominatedCount } as ObjectRow;
  return { row, children, otherRetained: 0, otherCount: 0 };
}

describe('bigClosedLeaves', () => {
  it('finds unopened leaves above the size floor, largest first', () => {
    const cache = node(3, 800, 6000);
    const small = node(4, 5, 2);
    const leafWithoutChildren = node(5, 900, 0);
    const root = node(0, 1000, 3, [node(1, 850, 1, [node(2, 840, 1, [cache])]), small, leafWithoutChildren]);
    const folded = node(6, 700, 10);
    folded.otherCount = 10;
    root.children.push(folded);
    expect(bigClosedLeaves(root, 20).map((n) => n.row.node)).toEqual([3]);
    expect(bigClosedLeaves(root, 1).map((n) => n.row.node)).toEqual([3, 4]);
  });
});
