// The Compare table's drill-down (issue 17): a type row's new, freed and grown objects, paged, each
// in the snapshot it lives in. Hand-made snapshots (builder addresses are positional: a slot that
// keeps its type is the same object), then the same through HeapService as every transport calls it.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SnapshotDiff } from '../../electron/indexer/diff/diff';
import { SnapshotBuilder } from '../../electron/indexer/format/builder';
import { loadSnapshot } from '../../electron/indexer/index';
import { InThreadBackend } from '../../electron/service/backend';
import { HeapService } from '../../electron/service/heap-service';
import type { Loader } from '../../electron/service/host';
import { RecentFiles } from '../../electron/service/recent-files';
import { moduleGlobals, viewOfBytes } from './leaks-helpers';

/**
 * `sessions` Sessions in `_CACHE` (slot i has 100·(i+1) bytes and a payload), a bytearray of `buffer`
 * bytes, and `old` Old objects in slots that hold fillers otherwise.
 */
function build(sessions: number, buffer: number, old: number, time: number): Uint8Array {
  const g = new SnapshotBuilder();
  const ns = moduleGlobals(g);
  const cache = g.node('dict', 4000);
  g.edge(ns, cache, 'dict-value', "'_CACHE'");
  const buf = g.node('bytearray', buffer);
  g.edge(ns, buf, 'dict-value', "'_BUF'");
  for (let i = 0; i < 8; i++) {
    if (i < sessions) {
      const s = g.node('app.Session', 100 * (i + 1));
      g.edge(cache, s, 'dict-value', `'s${i}'`).edge(s, g.node('list', 56), 'attr', 'payload');
    } else {
      g.node('filler', 1);
      g.node('filler', 1);
    }
  }
  for (let i = 0; i < 3; i++) {
    if (i < old) g.edge(ns, g.node('app.Old', 64), 'dict-value', `'old${i}'`);
    else g.node('filler', 1);
  }
  return g.toBytes({ meta: { pid: 7, argv: ['app.py'], dumpTime: time } });
}

const BASE = () => build(5, 100, 3, 100);
const TARGET = () => build(8, 900, 0, 200);

describe('diff drill-down (SnapshotDiff.objects)', () => {
  it("lists a row's new objects in the target, largest retained first, paged", async () => {
    const d = new SnapshotDiff(await viewOfBytes(BASE(), 'a'), await viewOfBytes(TARGET(), 'b'));
    const all = d.objects.page('app.Session', 'new', { start: 0, end: 100 });
    expect(all.total).toBe(3);
    // Slots 7, 6, 5: 800, 700, 600 bytes each plus a 56-byte payload list.
    expect(all.rows.map((r) => r.object.retained)).toEqual([856, 756, 656]);
    expect(all.rows.map((r) => r.sizeDelta)).toEqual([800, 700, 600]);
    expect(all.rows.every((r) => r.object.type === 'app.Session')).toBe(true);
    expect(d.objects.viewOf('new').info.id).toBe('b');
    const middle = d.objects.page('app.Session', 'new', { start: 1, end: 2 });
    expect(middle).toMatchObject({ start: 1, end: 2, total: 3 });
    expect(middle.rows[0].object.node).toBe(all.rows[1].object.node);
    expect(d.objects.page('app.Session', 'new', { start: 5, end: 9 })).toMatchObject({
      start: 3,
      end: 3,
      rows: [],
    });
  });

  it('lists freed objects in the base and grown ones by their growth', async () => {
    const base = await viewOfBytes(BASE(), 'a');
    const d = new SnapshotDiff(base, await viewOfBytes(TARGET(), 'b'));
    const freed = d.objects.page('app.Old', 'freed', { start: 0, end: 10 });
    expect(freed.total).toBe(3);
    expect(d.objects.viewOf('freed')).toBe(base);
    // Node indices of the base: the rows are what the base's inspector shows for them.
    for (const r of freed.rows) expect(r.object).toEqual(base.row(r.object.node));
    expect(freed.rows.map((r) => r.sizeDelta)).toEqual([-64, -64, -64]);
    const grown = d.objects.page('bytearray', 'grown', { start: 0, end: 10 });
    expect(grown.total).toBe(1);
    expect(grown.rows[0].sizeDelta).toBe(800);
    expect(d.objects.page('no.Such', 'new', { start: 0, end: 10 }).total).toBe(0);
  });

  it('expands every row to exactly the objects its New, Freed and Grew columns count', async () => {
    const d = new SnapshotDiff(await viewOfBytes(BASE(), 'a'), await viewOfBytes(TARGET(), 'b'));
    expect(d.rows.length).toBeGreaterThan(4);
    for (const row of d.rows) {
      const total = (change: 'new' | 'freed' | 'grown') =>
        d.objects.page(row.type, change, { start: 0, end: 1000 }).rows;
      const sum = (rows: { sizeDelta: number }[]) => rows.reduce((s, r) => s + r.sizeDelta, 0);
      expect([total('new').length, total('freed').length, total('grown').length]).toEqual([
        row.newCount,
        row.freedCount,
        row.grownCount,
      ]);
      expect([sum(total('new')), 0 - sum(total('freed')) || 0, sum(total('grown'))]).toEqual([
        row.newBytes,
        row.freedBytes,
        row.grownBytes,
      ]);
    }
  });
  it('keeps a bounded number of lists, and answers the same after one was dropped', async () => {
    const d = new SnapshotDiff(await viewOfBytes(BASE(), 'a'), await viewOfBytes(TARGET(), 'b'));
    const first = d.objects.page('app.Session', 'new', { start: 0, end: 10 });
    const changes = ['new', 'freed', 'grown'] as const;
    for (const row of d.rows) for (const c of changes) d.objects.page(row.type, c, { start: 0, end: 1 });
    expect(d.rows.length * 3).toBeGreaterThan(8);
    expect(d.objects.cachedLists).toBe(8);
    expect(d.objects.page('app.Session', 'new', { start: 0, end: 10 })).toEqual(first);
  });
});

describe('diffObjects through HeapService', () => {
  let dir: string;
  let service: HeapService;
  let ids: string[];
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'heapscope-diff-objects-'));
    service = new HeapService({
      backend: new InThreadBackend(loadSnapshot as unknown as Loader),
      recentFiles: new RecentFiles(dir),
      transport: 'http',
      appVersion: 'test',
      nativeDialogs: false,
    });
    ids = [];
    for (const [i, bytes] of [BASE(), TARGET()].entries()) {
      ids.push((await service.call('openBytes', { requestId: `r${i}`, name: `${i}.pyheap`, bytes })).id);
    }
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('names the snapshot each change lives in, and refuses an unknown change in one line', async () => {
    const [a, b] = ids;
    const range = { start: 0, end: 10 };
    const freed = await service.call('diffObjects', {
      base: a,
      target: b,
      type: 'app.Old',
      change: 'freed',
      range,
    });
    expect(freed.snapshot).toBe(a);
    expect(freed.page.total).toBe(3);
    // The node opens in the base: its details there are the same object.
    const details = await service.call('objectDetails', {
      snapshot: a,
      node: freed.page.rows[0].object.node,
    });
    expect(details.row.type).toBe('app.Old');
    const grown = await service.call('diffObjects', {
      base: a,
      target: b,
      type: 'bytearray',
      change: 'grown',
      range,
    });
    expect(grown.snapshot).toBe(b);
    await expect(
      service.handle('diffObjects', { base: a, target: b, type: 'dict', change: 'gone', range }),
    ).rejects.toMatchObject({ code: 'bad-argument' });
  });
});
