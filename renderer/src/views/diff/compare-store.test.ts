import type { SnapshotInfo } from '@shared/contract';
import { describe, expect, it } from 'vitest';
import { CompareStore, defaultChoice } from './compare-store';

function info(id: string, pid: number, dumpTime: number | null): SnapshotInfo {
  return { id, process: { pid, dumpTime } } as unknown as SnapshotInfo;
}

describe('compare store', () => {
  it('picks the newest snapshots of the newest process, oldest first', () => {
    const tabs = [info('c', 1, 30), info('a', 1, 10), info('x', 2, 5), info('b', 1, 20), info('d', 1, 40)];
    expect(defaultChoice(tabs)).toEqual({ base: 'b', target: 'c', final: 'd' });
    expect(defaultChoice([info('b', 1, 20), info('a', 1, 10)])).toEqual({
      base: 'a',
      target: 'b',
      final: null,
    });
  });

  it('does not open with fewer than two snapshots, and closes when one of them is closed', () => {
    const store = new CompareStore();
    expect(store.open([info('a', 1, 1)])).toBe(false);
    expect(store.state.open).toBe(false);
    expect(store.open([info('a', 1, 1), info('b', 1, 2)])).toBe(true);
    expect(store.state).toEqual({ open: true, base: 'a', target: 'b', final: null });
    store.forget('b');
    expect(store.state.open).toBe(false);
  });
});
