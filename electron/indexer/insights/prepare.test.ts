// The load's `insights` stage makes what every call reads (value hashes, the namespace bitset)
// and sizes the scratch buffers, so that the first call of a process does only what later calls
// do: it makes none of them, replaces no buffer, and answers as a call on an unprepared graph.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { graphView } from '../diff/snapshot-view';
import { SnapshotBuilder } from '../format/builder';
import { loadSnapshot } from '../index';
import { findInsights } from './index';
import { scratchOf } from './scratch';

async function load(prepareInsights = true) {
  const g = new SnapshotBuilder();
  const holder = g.node('list', 100_000);
  g.root(holder, 'module', 'app');
  let i = 0;
  for (let k = 0; k < 300; k++) {
    g.edge(holder, g.node('str', 55, { label: `value-${k % 40}`, length: 8 }), 'index', i++);
    g.edge(holder, g.node('bytes', 41, { label: `b'${k % 7}'`, length: 8 }), 'index', i++);
    const d = g.node('dict', 232, { length: 2 });
    g.edge(d, g.node('int', 28), 'dict-value', `'id${k % 2}'`);
    g.edge(d, g.node('int', 28), 'dict-value', "'name'");
    const obj = g.node('app.Point', 48);
    g.edge(obj, g.node('dict', 232, { length: 0 }), 'internal', '__dict__');
    g.edge(holder, d, 'index', i++);
    g.edge(holder, obj, 'index', i++);
  }
  return loadSnapshot({ bytes: g.toBytes(), name: 'prepared.pyheap' }, { prepareInsights });
}

const buffers = (s: ReturnType<typeof scratchOf>) => [0, 1, 2, 3].map((r) => s.u8(r, 1).buffer);

describe('prepareInsights (the load’s insights stage)', () => {
  afterEach(() => {
    vi.restoreAllMocks();
  });

  it('leaves the first call nothing to make per snapshot', async () => {
    const snap = await load();
    const before = buffers(scratchOf(snap.graph));
    expect(before.every((b) => b.byteLength > 1)).toBe(true);
    const view = graphView(snap.graph, snap.info('first', 'prepared.pyheap', null));
    const set = vi.spyOn(WeakMap.prototype, 'set');
    const report = findInsights(snap.graph, view, 20);
    expect(set.mock.calls.filter(([key]) => key === snap.graph)).toEqual([]);
    expect(buffers(scratchOf(snap.graph)).every((b, r) => b === before[r])).toBe(true);
    expect(report.totals.find((t) => t.kind === 'duplicate-values')).toMatchObject({
      findings: 47,
      count: 600,
    });
    expect(report.totals.find((t) => t.kind === 'dict-records')).toMatchObject({ findings: 2, count: 300 });
  });

  it('is left out when the loader asks (the CLI), and the first call then makes the same report', async () => {
    const plain = await load(false);
    expect(plain.graph.stageSeconds.insights).toBeUndefined();
    const prepared = await load();
    expect(prepared.graph.stageSeconds.insights).toBeGreaterThanOrEqual(0);
    const report = (snap: typeof plain) =>
      findInsights(snap.graph, graphView(snap.graph, snap.info('first', 'prepared.pyheap', null)), 20);
    expect(JSON.stringify({ ...report(plain), seconds: 0 })).toBe(
      JSON.stringify({ ...report(prepared), seconds: 0 }),
    );
  });
});
