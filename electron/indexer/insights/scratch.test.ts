// The analyses share scratch columns per snapshot, one call after another: a call must answer
// the same whatever the last one left in them (the dict scan's key sets sit where the next call's
// partition pairs go, so a pair left unwritten reads as a key set's).
import { describe, expect, it } from 'vitest';
import { graphView } from '../diff/snapshot-view';
import { SnapshotBuilder } from '../format/builder';
import { OBJ_FLAG } from '../format/spec';
import { loadSnapshot } from '../index';
import { findInsights } from './index';

describe('scratch columns', () => {
  it('give the same report on every call of a snapshot', async () => {
    const g = new SnapshotBuilder();
    const holder = g.node('list', 100_000);
    g.root(holder, 'module', 'app');
    let i = 0;
    for (let k = 0; k < 400; k++) {
      // Truncated values (not hashed) between duplicates, and str-keyed dicts as records.
      const cut = g.node('str', 300, { label: `cut-${k}`, length: 250, flags: OBJ_FLAG.LABEL_TRUNCATED });
      g.edge(holder, cut, 'index', i++);
      const copy = g.node('str', 55, { label: `value-${k % 50}`, length: 8 });
      g.edge(holder, copy, 'index', i++);
      const d = g.node('dict', 232, { length: 2 });
      g.edge(d, g.node('int', 28), 'dict-value', `'id${k % 2}'`);
      g.edge(d, g.node('int', 28), 'dict-value', "'name'");
      g.edge(holder, d, 'index', i++);
    }
    const snap = await loadSnapshot({ bytes: g.toBytes(), name: 'scratch.pyheap' });
    const report = (call: number) => {
      const view = graphView(snap.graph, snap.info(`call-${call}`, 'scratch.pyheap', null));
      const { seconds: _, ...rest } = findInsights(snap.graph, view, 20);
      return rest;
    };
    const first = report(0);
    expect(first.totals.find((t) => t.kind === 'duplicate-values')).toMatchObject({
      findings: 50,
      count: 400,
    });
    expect(first.totals.find((t) => t.kind === 'dict-records')).toMatchObject({ findings: 2, count: 400 });
    expect(report(1)).toEqual(first);
    expect(report(2)).toEqual(first);
  });
});
