import type { SnapshotInfo } from '@shared/contract';
import { describe, expect, it } from 'vitest';
import { CompareStore, defaultChoice, intervalPair } from './compare-store';

function info(
  id: string,
  pid: number,
  dumpTime: number | null,
  processStartTime: number | null = null,
  fork = false,
): SnapshotInfo {
  return { id, process: { pid, dumpTime, processStartTime, options: { fork } } } as unknown as SnapshotInfo;
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

  it('tells processes apart by PID and start time: a reused PID is another process', () => {
    // PID 7 ran twice: started at 100 (dumps at 110, 120, 130), and again at 500 (dumps at 510, 520).
    const tabs = [
      info('old1', 7, 110, 100),
      info('old2', 7, 120, 100),
      info('old3', 7, 130, 100),
      info('new1', 7, 510, 500),
      info('new2', 7, 520, 500),
    ];
    expect(defaultChoice(tabs)).toEqual({ base: 'new1', target: 'new2', final: null });
    // Fork-mode dumps record the forked child's start time: only their PID counts.
    const forked = [
      info('f1', 7, 110, 111, true),
      info('f2', 7, 120, 121, true),
      info('f3', 7, 130, 131, true),
    ];
    expect(defaultChoice(forked)).toEqual({ base: 'f1', target: 'f2', final: 'f3' });
    // A dump without a start time (an older dumper) still goes with its PID.
    expect(defaultChoice([info('a', 7, 10, null), info('b', 7, 20, 100), info('c', 7, 30, 100)])).toEqual({
      base: 'a',
      target: 'b',
      final: 'c',
    });
  });

  it('does not open with fewer than two snapshots, and closes when one of them is closed', () => {
    const store = new CompareStore();
    expect(store.open([info('a', 1, 1)])).toBe(false);
    expect(store.state.open).toBe(false);
    expect(store.open([info('a', 1, 1), info('b', 1, 2)])).toBe(true);
    expect(store.state).toMatchObject({ open: true, base: 'a', target: 'b', final: null, interval: '1-2' });
    store.forget('b');
    expect(store.state.open).toBe(false);
  });

  it('keeps the choice, interval and selection across a switch to a snapshot tab and back', () => {
    const store = new CompareStore();
    const tabs = [info('a', 1, 1), info('b', 1, 2), info('c', 1, 3)];
    store.open(tabs);
    expect(store.state.interval).toBe('1-3');
    store.choose({ base: 'b', target: 'a' });
    store.setInterval('2-3');
    store.select({ kind: 'suspect', key: 'sig' });
    store.close();
    store.open(tabs);
    expect(store.state).toMatchObject({
      open: true,
      base: 'b',
      target: 'a',
      final: 'c',
      interval: '2-3',
      selection: { kind: 'suspect', key: 'sig' },
    });
    expect(intervalPair(store.state)).toEqual({ base: 'a', target: 'c' });
  });

  it('takes in a snapshot opened since, unless the user chose something', () => {
    const store = new CompareStore();
    const two = [info('a', 1, 1), info('b', 1, 2)];
    const three = [...two, info('c', 1, 3)];
    store.open(two);
    store.close();
    store.open(three);
    expect(store.state).toMatchObject({ base: 'a', target: 'b', final: 'c', interval: '1-3' });
    store.choose({ final: null });
    store.close();
    store.open(three);
    expect(store.state).toMatchObject({ base: 'a', target: 'b', final: null });
  });

  it('takes in snapshots opened since the choice (a series just recorded), not otherwise', () => {
    const store = new CompareStore();
    const two = [info('a', 1, 1), info('b', 1, 2)];
    store.open(two);
    store.select({ kind: 'suspect', key: 'sig' });
    store.close();
    store.open(two);
    expect(store.state.selection).toEqual({ kind: 'suspect', key: 'sig' });
    store.close();
    store.open([...two, info('c', 1, 3), info('d', 1, 4)]);
    expect(store.state).toMatchObject({ base: 'b', target: 'c', final: 'd', selection: null });
    // A URL's comparison, restored while those snapshots are open, is kept by the next open.
    store.restore(
      { open: false, base: 'a', target: 'b', final: null, interval: null, selection: null, side: 'suspects' },
      ['a', 'b', 'c', 'd'],
    );
    store.open([...two, info('c', 1, 3), info('d', 1, 4)]);
    expect(store.state).toMatchObject({ open: true, base: 'a', target: 'b', final: null });
  });

  it('shows the whole series by default and falls back to 1→2 without a third snapshot', () => {
    const store = new CompareStore();
    store.open([info('a', 1, 1), info('b', 1, 2), info('c', 1, 3)]);
    expect(intervalPair(store.state)).toEqual({ base: 'a', target: 'c' });
    store.setInterval('1-2');
    expect(intervalPair(store.state)).toEqual({ base: 'a', target: 'b' });
    store.select({ kind: 'object', snapshot: 'b', node: 5, change: 'new', type: 'dict' });
    expect(store.state.side).toBe('inspector');
    // Another interval's snapshots may not hold the object: the selection goes.
    store.setInterval('2-3');
    expect(store.state.selection).toBeNull();
    store.choose({ final: null });
    expect(store.state.interval).toBe('1-2');
    store.setInterval('1-3');
    expect(store.state.interval).toBe('1-2');
  });
});
