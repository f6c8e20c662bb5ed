import type { Page, Range } from '@shared/contract';
import { describe, expect, it } from 'vitest';
import { TreeModel } from './tree-model';

/** Node "a.b.c" has `fanout` children "a.b.c.0" … ; the top level is "0" … "fanout-1". */
function numberTree(fanout: number) {
  const list =
    (prefix: string) =>
    async (range: Range): Promise<Page<string>> => {
      const rows: string[] = [];
      for (let i = range.start; i < Math.min(range.end, fanout); i++) rows.push(prefix + i);
      return { start: range.start, end: range.start + rows.length, total: fanout, rows };
    };
  return new TreeModel<string>({
    top: list(''),
    children: (row) => (row.split('.').length < 3 ? list(`${row}.`) : null),
    pageSize: 50,
  });
}

const settle = () => new Promise((r) => setTimeout(r, 0));

describe('TreeModel', () => {
  it('shows a loading row, then the top level', async () => {
    const tree = numberTree(1000);
    expect(tree.rowCount()).toBe(1);
    expect(tree.rowAt(0).placeholder).toBe('loading');
    await tree.load();
    expect(tree.rowCount()).toBe(1000);
    tree.rowAt(999);
    await settle();
    expect(tree.rowAt(999).row).toBe('999');
  });

  it('flattens expanded levels in place and maps paths back to rows', async () => {
    const tree = numberTree(1000);
    await tree.load();
    tree.expand([2]);
    await settle();
    tree.expand([2, 5]);
    tree.expand([7]);
    await settle();
    // 0,1,2, 2.0…2.5, 2.5.0…2.5.999, 2.6…2.999, 3…7, 7.0…
    expect(tree.rowCount()).toBe(4000);
    expect(tree.rowAt(3).row).toBe('2.0');
    expect(tree.rowAt(9).row).toBe('2.5.0');
    expect(tree.rowAt(9).depth).toBe(2);
    expect(tree.rowAt(1009).row).toBe('2.6');
    const row7 = tree.rowAt(tree.indexOfPath([7]));
    expect(row7.row).toBe('7');
    expect(row7.expanded).toBe(true);
    expect(tree.indexOfPath([2, 5, 0])).toBe(9);
    tree.collapse([2]);
    expect(tree.rowCount()).toBe(2000);
    expect(tree.rowAt(3).row).toBe('3');
  });

  it('does not expand leaves', async () => {
    const tree = numberTree(3);
    await tree.load();
    tree.expand([0]);
    await settle();
    tree.expand([0, 0]);
    await settle();
    expect(tree.rowAt(2).row).toBe('0.0.0');
    expect(tree.rowAt(2).expandable).toBe(false);
    expect(tree.expand([0, 0, 0])).toBe(false);
  });

  it('reveals a node by matching one row per level', async () => {
    const tree = numberTree(300);
    await tree.load();
    const path = await tree.reveal([(r) => r === '250', (r) => r === '250.120']);
    expect(path).toEqual([250, 120]);
    expect(tree.rowAt(tree.indexOfPath(path!)).row).toBe('250.120');
    expect(await tree.reveal([(r) => r === 'nope'])).toBeNull();
  });

  it("reveals a known row index past the matchers' scan limit, and refuses one out of range", async () => {
    const tree = numberTree(300);
    await tree.load();
    const path = await tree.reveal([(r) => r === '50', 290], 100);
    expect(path).toEqual([50, 290]);
    await settle();
    expect(tree.rowAt(tree.indexOfPath(path!)).row).toBe('50.290');
    expect(await tree.reveal([(r) => r === '50', (r) => r === '50.290'], 100)).toBeNull();
    expect(await tree.reveal([(r) => r === '250', 300])).toBeNull();
    expect(await tree.reveal([(r) => r === '250', -1])).toBeNull();
  });
});
