// diff / leaks / exportReport through HeapService and the snapshot host, as every transport calls
// them, on snapshots built with the indexer's SnapshotBuilder. Also checks the reports escape hostile
// heap strings and redact values unless asked.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SnapshotBuilder } from '../../electron/indexer/format/builder';
import { loadSnapshot } from '../../electron/indexer/index';
import { InThreadBackend } from '../../electron/service/backend';
import { HeapService } from '../../electron/service/heap-service';
import type { Loader } from '../../electron/service/host';
import { RecentFiles } from '../../electron/service/recent-files';
import { moduleGlobals } from './leaks-helpers';

const EVIL = `<script>alert(1)</script>|**x**`;

/** A module `app` whose dict `_CACHE` holds `sessions` Session objects, each with a secret string. */
function snapshot(sessions: number, time: number): Uint8Array {
  const g = new SnapshotBuilder();
  const ns = moduleGlobals(g);
  const cache = g.node('dict', 4000);
  g.edge(ns, cache, 'dict-value', "'_CACHE'");
  const evil = g.node('str', 100_000, { label: EVIL });
  g.edge(ns, evil, 'dict-value', "'banner'");
  for (let i = 0; i < sessions; i++) {
    const s = g.node('app.Session', 2000);
    const token = g.node('str', 80, { label: `secret-token-${i}` });
    g.edge(cache, s, 'dict-value', `'tok-${i}x'`).edge(s, token, 'attr', 'token');
  }
  return g.toBytes({ meta: { pid: 7, argv: ['app.py', '--serve'], dumpTime: time } });
}

let dir: string;
let service: HeapService;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'heapscope-leaks-service-'));
  service = new HeapService({
    backend: new InThreadBackend(loadSnapshot as unknown as Loader),
    recentFiles: new RecentFiles(dir),
    transport: 'http',
    appVersion: 'test',
    nativeDialogs: false,
  });
});
afterEach(() => rm(dir, { recursive: true, force: true }));

async function open(...counts: number[]): Promise<string[]> {
  const ids: string[] = [];
  for (const [i, n] of counts.entries()) {
    const info = await service.call('openBytes', {
      requestId: `r${i}`,
      name: `snap${i + 1}.pyheap`,
      bytes: snapshot(n, 100 + i),
    });
    ids.push(info.id);
  }
  return ids;
}

describe('comparison through HeapService', () => {
  it('pages the type diff, sorted and filtered server-side', async () => {
    const [a, b] = await open(10, 200);
    const { info, page } = await service.call('diff', {
      base: a,
      target: b,
      range: { start: 0, end: 1 },
      sort: { key: 'countDelta', dir: 'desc' },
    });
    expect(info).toMatchObject({ base: a, target: b, warnings: [], seconds: 1 });
    expect(page.total).toBeGreaterThan(2);
    expect(page.rows).toHaveLength(1);
    expect(page.rows[0]).toMatchObject({ countDelta: 190 });
    const filtered = await service.call('diff', {
      base: a,
      target: b,
      range: { start: 0, end: 10 },
      filter: 'SESSION',
    });
    expect(filtered.page.rows.map((r) => r.type)).toEqual(['app.Session']);
  });

  it('finds the growing cache and exports it in three formats, values redacted', async () => {
    const [a, b, c] = await open(10, 200, 400);
    const report = await service.call('leaks', { base: a, target: b, final: c });
    expect(report.suspects).toHaveLength(1);
    expect(report.suspects[0]).toMatchObject({ holderSnapshot: c, kind: 'growth', countGrowth: 780 });
    expect(report.suspects[0].path).toBe("module app → ['_CACHE'] → dict");

    const html = (
      await service.call('exportReport', { snapshots: [a, b, c], format: 'html', includeValues: false })
    ).content;
    expect(html).toContain('_CACHE');
    expect(html).not.toContain('<script>alert');
    expect(html).not.toContain('secret-token');
    expect(html).not.toMatch(/<script|https?:\/\//);
    const md = await service.call('exportReport', {
      snapshots: [a, b, c],
      format: 'md',
      includeValues: false,
    });
    expect(md.fileName).toBe('heapscope-report-snap3.md');
    expect(md.content).toContain('## Leak suspects');
    // The type table's interval, numbered as the Compare view numbers it (issue 17).
    expect(md.content).toContain('## Types that grew most, 1 → 3');
    expect(html).toContain('Types that grew most, 1 → 3 (oldest to newest)');
    expect(md.content).toContain("module app → ['_CACHE'] → dict");
    const json = JSON.parse(
      (await service.call('exportReport', { snapshots: [a, b, c], format: 'json', includeValues: false }))
        .content,
    );
    expect(json).toMatchObject({ format: 'heapscope-leak-report', version: 1, valuesIncluded: false });
    expect(json.suspects[0].retainedGrowthBytes).toBe(390 * 2080);
  });

  it('includes heap string values only when asked, and still escapes them', async () => {
    const [a] = await open(30);
    const redacted = (
      await service.call('exportReport', { snapshots: [a], format: 'html', includeValues: false })
    ).content;
    const included = (
      await service.call('exportReport', { snapshots: [a], format: 'html', includeValues: true })
    ).content;
    expect(redacted).not.toContain('alert(1)');
    // One snapshot's type rows carry the report model's fields, no more (format version 1).
    const json = JSON.parse(
      (await service.call('exportReport', { snapshots: [a], format: 'json', includeValues: false })).content,
    );
    expect(Object.keys(json.types[0]).sort()).toEqual(
      ['count', 'countDelta', 'retained', 'retainedDelta', 'shallow', 'type'].sort(),
    );
    expect(included).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(included).not.toContain('<script>');
  });

  it('refuses more than three snapshots and unknown ids with one clear line', async () => {
    const ids = await open(1, 2, 3, 4);
    await expect(
      service.call('exportReport', { snapshots: ids, format: 'md', includeValues: false }),
    ).rejects.toMatchObject({
      code: 'bad-argument',
    });
    await expect(service.call('leaks', { base: ids[0], target: 's99' })).rejects.toMatchObject({
      code: 'not-found',
    });
  });
});
