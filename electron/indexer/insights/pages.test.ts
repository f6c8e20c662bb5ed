// Paged insight queries on a hand-made heap: a kind's findings, a finding's owners and objects come
// a window at a time, windows add up to the whole, and a finding that is not there is an error.
import { describe, expect, it } from 'vitest';
import { SnapshotBuilder } from '../format/builder';
import { loadSnapshot } from '../index';

/** Value k (k = 0..values-1) has 2 + k copies, spread over `holders` module lists round-robin. */
async function heap(values: number, holders: number) {
  const g = new SnapshotBuilder();
  const lists: number[] = [];
  const filled: number[] = [];
  for (let h = 0; h < holders; h++) {
    const mod = g.node('module', 80, { label: `m${h}` });
    g.root(mod, 'module', `m${h}`);
    const list = g.node('list', 1000);
    g.edge(mod, list, 'attr', `HOLDER_${'abcdefgh'[h]}`);
    lists.push(list);
    filled.push(0);
  }
  let next = 0;
  for (let k = 0; k < values; k++) {
    const value = `value-${'x'.repeat(k + 1)}`;
    for (let c = 0; c < 2 + k; c++) {
      const s = g.node('str', 50 + k, { label: value, length: value.length });
      const h = next++ % holders;
      g.edge(lists[h]!, s, 'index', filled[h]!++);
    }
  }
  return loadSnapshot({ bytes: g.toBytes(), name: 'pages.pyheap' });
}

describe('insight pages', () => {
  it('pages one kind’s findings, largest first, without naming owners', async () => {
    const snap = await heap(30, 1);
    const all = snap.insightFindings({ kind: 'duplicate-values', range: { start: 0, end: 100 } });
    expect(all.total).toBe(30);
    const first = snap.insightFindings({ kind: 'duplicate-values', range: { start: 0, end: 10 } });
    const last = snap.insightFindings({ kind: 'duplicate-values', range: { start: 20, end: 40 } });
    expect([first.rows.length, last.start, last.end, last.rows.length]).toEqual([10, 20, 30, 10]);
    expect([...first.rows, ...last.rows].map((f) => f.title)).toEqual(
      [...all.rows.slice(0, 10), ...all.rows.slice(20)].map((f) => f.title),
    );
    const waste = all.rows.map((f) => f.wastedBytes);
    expect(waste).toEqual([...waste].sort((a, b) => b - a));
    expect(all.rows[0]).toMatchObject({ count: 31, owners: [], ownersOf: 0 });
    // The report's findings are the first page's, with owners named.
    const report = snap.insights({ limit: 3 }).findings.filter((f) => f.kind === 'duplicate-values');
    expect(report.map((f) => f.title)).toEqual(all.rows.slice(0, 3).map((f) => f.title));
  });

  it("pages a finding's owners and objects, each owner's objects its own", async () => {
    const snap = await heap(12, 3);
    const owners = (start: number, end: number) =>
      snap.insightOwners({ kind: 'duplicate-values', finding: 0, range: { start, end } });
    const all = owners(0, 10);
    expect(all.total).toBe(3);
    expect([...owners(0, 2).rows, ...owners(2, 3).rows]).toEqual(all.rows);
    expect(all.rows.reduce((s, o) => s + o.count, 0)).toBe(13);
    const objects = (owner: number | undefined, start = 0, end = 100) =>
      snap.insightObjects({ kind: 'duplicate-values', finding: 0, owner, range: { start, end } });
    expect(objects(undefined).total).toBe(13);
    const second = objects(1);
    expect(second.total).toBe(all.rows[1]!.count);
    // Every object of owner 1 is held by that owner's holder, and its addresses are the owner's.
    expect(second.rows.map((r) => r.address).slice(0, 20)).toEqual(all.rows[1]!.addresses);
    expect([...objects(1, 0, 2).rows, ...objects(1, 2, 100).rows]).toEqual(second.rows);
  });

  it('says which finding or owner is missing', async () => {
    const snap = await heap(3, 1);
    expect(() =>
      snap.insightOwners({ kind: 'duplicate-values', finding: 3, range: { start: 0, end: 5 } }),
    ).toThrow('duplicate-values finding 3: the snapshot has 3 findings of that kind');
    expect(() =>
      snap.insightObjects({ kind: 'duplicate-values', finding: 0, owner: 1, range: { start: 0, end: 5 } }),
    ).toThrow('owner 1 of duplicate-values finding 0: there are 1 owners');
  });

  it('groups every finding of a kind by owner: which holder keeps the most duplicate copies', async () => {
    const g = new SnapshotBuilder();
    const list = (name: string) => {
      const mod = g.node('module', 80, { label: name });
      g.root(mod, 'module', name);
      const l = g.node('list', 1000);
      g.edge(mod, l, 'attr', name.toUpperCase());
      return l;
    };
    const cache = list('cache');
    const rows = list('rows');
    const fill = (holder: number, value: string, copies: number, from: number) => {
      for (let i = 0; i < copies; i++) {
        g.edge(holder, g.node('str', 60, { label: value, length: value.length }), 'index', from + i);
      }
    };
    fill(cache, 'alpha', 3, 0); // waste 2 × 60
    fill(cache, 'beta', 3, 3); // waste 2 × 60
    fill(rows, 'gamma', 4, 0); // waste 3 × 60: the largest single finding
    const snap = await loadSnapshot({ bytes: g.toBytes(), name: 'kind-owners.pyheap' });
    const owners = snap.insightOwners({ kind: 'duplicate-values', range: { start: 0, end: 10 } });
    expect(owners.rows.map((o) => [o.path, o.count, o.wastedBytes])).toEqual([
      ['module cache → .CACHE → list → [*]', 6, 240],
      ['module rows → .ROWS → list → [*]', 4, 180],
    ]);
    const objects = snap.insightObjects({ kind: 'duplicate-values', owner: 0, range: { start: 0, end: 10 } });
    expect(objects.rows.map((r) => r.label).sort()).toEqual([
      'alpha',
      'alpha',
      'alpha',
      'beta',
      'beta',
      'beta',
    ]);
    // Per finding, gamma's comes first.
    expect(
      snap.insightFindings({ kind: 'duplicate-values', range: { start: 0, end: 1 } }).rows[0]!.title,
    ).toMatch(/^"gamma"/);
  });
});
