// Dicts used as records, on a hand-made graph: the `__dict__`s of a class's instances (every
// instance has one up to 3.10) share their key set with the plain dicts a program builds from the
// same fields (csv rows, then objects made from them); only the plain dicts are records, counted
// and summed on their own, and a key set that is a record only in a few dicts is no finding.
import { describe, expect, it } from 'vitest';
import { SnapshotBuilder } from '../format/builder';
import { loadSnapshot } from '../index';
import { scanDicts } from './dict-scan';
import { layoutFor } from './layouts';
import { dictRecords } from './records';

async function records(rows: number, instances: number, keys: string[]) {
  const g = new SnapshotBuilder();
  const holder = g.node('list', 100_000);
  g.root(holder, 'module', 'app');
  let i = 0;
  const dict = () => {
    const d = g.node('dict', 232, { length: keys.length });
    for (const k of keys) g.edge(d, g.node('str', 50), 'dict-value', `'${k}'`);
    return d;
  };
  for (let k = 0; k < rows; k++) g.edge(holder, dict(), 'index', i++);
  for (let k = 0; k < instances; k++) {
    const obj = g.node('app.Customer', 48);
    g.edge(holder, obj, 'index', i++);
    g.edge(obj, dict(), 'internal', '__dict__');
  }
  const snap = await loadSnapshot({ bytes: g.toBytes(), name: 'records.pyheap' });
  const layout = layoutFor({ python: { version: '3.8.18' } }).layout!;
  return { layout, ranked: dictRecords(snap.graph, layout, scanDicts(snap.graph, layout)) };
}

describe('dictRecords', () => {
  it('counts the plain dicts of a key set, not the instances __dict__s that share it', async () => {
    const { layout, ranked } = await records(300, 500, ['id', 'name', 'country']);
    expect(ranked.findings).toBe(1);
    expect(ranked.count).toBe(300);
    expect(ranked.waste).toBe(300 * (232 - layout.slotted(3)));
    const finding = ranked.at(0);
    expect(finding.count).toBe(300);
    expect(finding.members().nodes.length).toBe(300);
  });

  it('finds no records when the key set is mostly __dict__s and too few plain dicts', async () => {
    const { ranked } = await records(60, 500, ['id', 'name']);
    expect(ranked.findings).toBe(0);
    expect(ranked.count).toBe(0);
  });

  it("does not count suspended frames' f_locals dicts as records", async () => {
    // Up to 3.12 the dumper's reading a coroutine's locals creates its f_locals: one per pending
    // asyncio.sleep, all with the keys ('delay', 'result', 'loop', 'future', 'h').
    const g = new SnapshotBuilder();
    const holder = g.node('list', 100_000);
    g.root(holder, 'module', 'app');
    for (let k = 0; k < 300; k++) {
      const frame = g.node('frame', 400);
      g.edge(holder, frame, 'index', k);
      const locals = g.node('dict', 232, { length: 2 });
      g.edge(locals, g.node('float', 24), 'dict-value', "'delay'");
      g.edge(locals, g.node('float', 24), 'dict-value', "'result'");
      g.edge(frame, locals, 'internal', 'f_locals');
    }
    const snap = await loadSnapshot({ bytes: g.toBytes(), name: 'frames.pyheap' });
    const layout = layoutFor({ python: { version: '3.10.13' } }).layout!;
    const scan = scanDicts(snap.graph, layout);
    expect(dictRecords(snap.graph, layout, scan).findings).toBe(0);
  });
});
