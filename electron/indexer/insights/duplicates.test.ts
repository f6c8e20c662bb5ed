// Duplicates on hand-made graphs: equal values of equal size group; strings that share their ends
// but differ inside, truncated labels and sizes that differ never do.
import { describe, expect, it } from 'vitest';
import { SnapshotBuilder } from '../format/builder';
import { OBJ_FLAG } from '../format/spec';
import { loadSnapshot } from '../index';

async function insights(build: (g: SnapshotBuilder, holder: number) => void) {
  const g = new SnapshotBuilder();
  const holder = g.node('list', 1000);
  g.root(holder, 'module', 'app');
  build(g, holder);
  const snap = await loadSnapshot({ bytes: g.toBytes(), name: 'dups.pyheap' });
  return snap.insights({ limit: 50 }).findings.filter((f) => f.kind === 'duplicate-values');
}

function str(g: SnapshotBuilder, holder: number, value: string, size: number, index: number, flags = 0) {
  const s = g.node('str', size, { label: value, length: value.length, flags });
  g.edge(holder, s, 'index', index);
}

describe('duplicate values', () => {
  it('groups exact copies only, by content and size', async () => {
    const middle = (c: string) => `prefix-long-${c.repeat(20)}-suffix-long`;
    const found = await insights((g, h) => {
      let i = 0;
      for (let k = 0; k < 3; k++) str(g, h, middle('a'), 110, i++);
      for (let k = 0; k < 2; k++) str(g, h, middle('b'), 110, i++); // same ends, other middle
      str(g, h, middle('a'), 120, i++); // same value, other size (another kind of str)
      for (let k = 0; k < 4; k++) str(g, h, 'cut', 200, i++, OBJ_FLAG.LABEL_TRUNCATED);
    });
    const rows = found.map((f) => [f.title.slice(13, 14), f.count, f.wastedBytes]);
    expect(rows).toEqual([
      ['a', 3, 220],
      ['b', 2, 110],
    ]);
    expect(found[0]!.owners).toMatchObject([{ path: 'list → [*]', count: 3, wastedBytes: 220 }]);
  });

  it('counts the bytes of truncated values apart from the hashed and redacted ones', async () => {
    // truncatedBytes is the str/bytes total less the sizes hashing read: redacted and complete
    // values must both be subtracted, bytes objects included.
    const g = new SnapshotBuilder();
    const holder = g.node('list', 1000);
    g.root(holder, 'module', 'app');
    str(g, holder, 'kept', 53, 0);
    str(g, holder, 'kept', 53, 1);
    str(g, holder, 'cut', 300, 2, OBJ_FLAG.LABEL_TRUNCATED);
    str(g, holder, '<redacted>', 77, 3, OBJ_FLAG.REDACTED);
    const b = g.node('bytes', 4033, { length: 4000 }); // no label: its value is not in the snapshot
    g.edge(holder, b, 'index', 4);
    const snap = await loadSnapshot({ bytes: g.toBytes(), name: 'dups.pyheap' });
    const notCounted = snap.insights({ limit: 0 }).notCounted;
    expect(notCounted).toContain(
      "2 str/bytes objects (4,333 B) longer than the dump's labels: their full value is not in the snapshot, so their duplicates are not counted.",
    );
    expect(notCounted).toContain('1 strings were redacted by the dumper: not checked for duplicates.');
  });

  it('groups exactly across many hash partitions, with skipped strings among the candidates', async () => {
    // 3,000 values with 1–5 copies of 40 B each, between 30,000 truncated strings: the strings span
    // several partitions (counted while hashing, before the truncated ones are skipped).
    const g = new SnapshotBuilder();
    const holder = g.node('list', 1000);
    g.root(holder, 'module', 'app');
    let i = 0;
    let findings = 0;
    let wasted = 0;
    for (let v = 0; v < 3000; v++) {
      const copies = (v % 5) + 1;
      for (let c = 0; c < copies; c++) {
        str(g, holder, `value-${v}`, 40, i++);
        for (let t = 0; t < 3; t++) str(g, holder, `cut-${i}-${t}`, 90, i++, OBJ_FLAG.LABEL_TRUNCATED);
      }
      if (copies > 1) findings++;
      wasted += (copies - 1) * 40;
    }
    const snap = await loadSnapshot({ bytes: g.toBytes(), name: 'dups.pyheap' });
    const totals = snap.insights({ limit: 0 }).totals.find((t) => t.kind === 'duplicate-values');
    expect(totals).toEqual({ kind: 'duplicate-values', findings, count: 8400, wastedBytes: wasted });
  });
});
