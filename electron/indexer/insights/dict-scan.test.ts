// The shared dict scan on a hand-made graph: each dict read once must give what the three
// analyses counted on their own — empty dicts (not `__dict__`s, not immortal), the one dict whose
// table only deletions explain, and the key-set columns of str-keyed dicts only.
import { describe, expect, it } from 'vitest';
import { SnapshotBuilder } from '../format/builder';
import { OBJ_FLAG } from '../format/spec';
import { loadSnapshot } from '../index';
import { dictSaving } from './collections';
import { scanDicts } from './dict-scan';
import { nodesOf } from './kinds';
import { dictSize, layoutFor } from './layouts';

describe('scanDicts', () => {
  it('tallies empty and over-allocated dicts and hashes str key sets, in one pass', async () => {
    const layout = layoutFor({ python: { version: '3.12.1' } }).layout!;
    const g = new SnapshotBuilder();
    const holder = g.node('list', 10_000);
    g.root(holder, 'module', 'app');
    let i = 0;
    const held = (v: number) => g.edge(holder, v, 'index', i++);
    held(g.node('dict', 64, { length: 0 }));
    held(g.node('dict', 200, { length: 0 })); // emptied: 200 − 64 B of old storage
    held(g.node('dict', 64, { length: 0, flags: OBJ_FLAG.IMMORTAL }));
    const obj = g.node('app.Thing', 48);
    held(obj);
    g.edge(obj, g.node('dict', 64, { length: 0 }), 'internal', '__dict__');
    const frame = g.node('frame', 400); // a suspended coroutine's locals, made by reading them
    held(frame);
    g.edge(frame, g.node('dict', 64, { length: 0 }), 'internal', 'f_locals');
    const bigTable = dictSize(layout, 1024, layout.dictStrEntry);
    const shrunk = g.node('dict', bigTable, { length: 1 });
    held(shrunk);
    g.edge(shrunk, g.node('int', 28), 'dict-value', "'gone'");
    const intKeyed = g.node('dict', 184, { length: 1 });
    held(intKeyed);
    g.edge(intKeyed, g.node('int', 28), 'dict-value', '1');
    for (let k = 0; k < 120; k++) {
      const d = g.node('dict', 184, { length: 2 });
      held(d);
      g.edge(d, g.node('int', 28), 'dict-value', "'x'");
      g.edge(d, g.node('int', 28), 'dict-value', "'y'");
    }
    const snap = await loadSnapshot({ bytes: g.toBytes(), name: 'dicts.pyheap' });
    const scan = scanDicts(snap.graph, layout);

    expect(scan.empty).toEqual({ count: 2, bytes: 264, held: 200 - layout.dictEmpty });
    expect(scan.over).toEqual({ count: 1, total: dictSaving(layout, bigTable, 1), before: bigTable });
    const dicts = nodesOf(snap.graph, 'dict');
    const keyCounts = [...scan.ns].filter((_, k) => snap.graph.length[dicts[k]!] === 2);
    expect(keyCounts).toEqual(new Array(120).fill(2));
    expect([...scan.ns].filter((n) => n === 2)).toHaveLength(120); // no int-keyed or empty dict
    expect(scan.buckets.reduce((a, b) => Math.max(a, b), 0)).toBe(100); // the 120 records fill one bucket, saturating
    // Without a layout only the empty dicts are told (held: no fresh size to compare with).
    expect(scanDicts(snap.graph, null)).toMatchObject({
      empty: { count: 2, bytes: 264, held: 0 },
      over: null,
    });
  });

  it('leaves out every namespace, wherever its edge falls among the edges', async () => {
    // The namespace bitset reads edge kinds four at a time: `__dict__` and `f_locals` edges at
    // every position in a word, after 0–6 other edges, must all be found.
    const layout = layoutFor({ python: { version: '3.12.1' } }).layout!;
    const g = new SnapshotBuilder();
    const holder = g.node('list', 10_000);
    g.root(holder, 'module', 'app');
    let i = 0;
    for (let k = 0; k < 70; k++) {
      const obj = g.node(k % 2 ? 'app.Thing' : 'frame', 48);
      g.edge(holder, obj, 'index', i++);
      for (let a = 0; a < k % 7; a++) g.edge(obj, g.node('int', 28), 'attr', `a${a}`);
      g.edge(obj, g.node('dict', 64, { length: 0 }), 'internal', k % 2 ? '__dict__' : 'f_locals');
    }
    for (let k = 0; k < 3; k++) g.edge(holder, g.node('dict', 64, { length: 0 }), 'index', i++);
    const snap = await loadSnapshot({ bytes: g.toBytes(), name: 'namespaces.pyheap' });
    expect(scanDicts(snap.graph, layout).empty.count).toBe(3);
  });
});
