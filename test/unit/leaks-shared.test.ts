// Leak attribution when new objects have two owners, on real dumps: each Session of
// test/fixtures/leaks/shared_owner.py is held by `_SESSION_CACHE` and by a listener in `BUS.listeners`,
// so its dominator is the module's globals dict. The suspect must be the cache (the accumulation
// point on the Sessions' shortest path), the listeners must be reported too, both must say that
// the Sessions are shared, and the globals must not be reported as gaining Session entries.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SnapshotDiff } from '../../electron/indexer/diff/diff';
import type { GraphView } from '../../electron/indexer/diff/view';
import { SnapshotBuilder } from '../../electron/indexer/format/builder';
import { findLeaks } from '../../electron/indexer/leaks/index';
import { fixtureDumps, moduleGlobals, viewOfBytes } from './leaks-helpers';

let out: string;
let views: GraphView[];
beforeAll(async () => {
  out = mkdtempSync(join(tmpdir(), 'heapscope-shared-'));
  views = await fixtureDumps('shared_owner', out);
}, 120_000);
afterAll(() => rmSync(out, { recursive: true, force: true }));

describe('shared_owner', () => {
  it('names _SESSION_CACHE as the top suspect, with two and with three snapshots', () => {
    const [a, b, c] = views;
    const two = findLeaks([new SnapshotDiff(a, b)]);
    const three = findLeaks([new SnapshotDiff(a, b), new SnapshotDiff(b, c)]);
    for (const report of [two, three]) {
      const [top] = report.suspects;
      expect(top.path).toBe("module __main__ → ['_SESSION_CACHE'] → dict");
      expect(top.types[0]).toMatchObject({ type: '__main__.Session' });
      expect(top.types[0].count).toBeGreaterThanOrEqual(900 * (report.snapshots.length - 1));
      // The Sessions' bytes (a 2 KB payload each) are charged here, once.
      expect(top.retainedGrowthBytes).toBeGreaterThan(2048 * 900 * (report.snapshots.length - 1));
      expect(top.explanation).toMatch(
        /^dict `_SESSION_CACHE` in module `__main__` gained [\d,]+ `Session` entries/,
      );
      expect(top.explanation).toMatch(/`Session` objects are also referenced from `BUS\.listeners`/);

      const listeners = report.suspects.find((s) => s.path.includes('.listeners'));
      expect(listeners, report.suspects.map((s) => s.path).join(' | ')).toBeDefined();
      expect(listeners!.explanation).toMatch(/counted under `_SESSION_CACHE`/);
      // Counted once: the listeners' growth is the functions, not the Sessions they reference.
      expect(listeners!.retainedGrowthBytes).toBeLessThan(top.retainedGrowthBytes / 4);
    }
  });

  it('does not report the module globals as holding Session entries', () => {
    const [a, b, c] = views;
    const report = findLeaks([new SnapshotDiff(a, b), new SnapshotDiff(b, c)]);
    for (const s of report.suspects) {
      expect(s.explanation).not.toMatch(/globals of/);
      expect(s.path).not.toMatch(/\.__dict__ → dict$/);
      if (!s.path.includes('_SESSION_CACHE'))
        expect(s.types.map((t) => t.type)).not.toContain('__main__.Session');
    }
  });
});

/**
 * A hand-made heap of the same shape: `sessions` Sessions (500 B, with a 300 B payload) in `_CACHE`,
 * each also held by a function (100 B) in the list `_BUS`. Builder addresses are positional; a new
 * `generation` renames the types, so its objects are new and the old ones freed.
 */
function build(sessions: number, generation: number, time: number): Uint8Array {
  const g = new SnapshotBuilder();
  const ns = moduleGlobals(g);
  const cache = g.node('dict', 1000);
  const bus = g.node('list', 1000);
  g.edge(ns, cache, 'dict-value', "'_CACHE'").edge(ns, bus, 'dict-value', "'_BUS'");
  for (let i = 0; i < 200; i++) {
    if (i >= sessions) {
      for (let k = 0; k < 3; k++) g.node('filler', 1);
      continue;
    }
    const s = g.node(`app.Session${generation}`, 500);
    const payload = g.node(`app.Payload${generation}`, 300);
    const fn = g.node(`function${generation}`, 100);
    g.edge(cache, s, 'dict-value', `'req-${i}'`).edge(s, payload, 'attr', 'payload');
    g.edge(bus, fn, 'index', i).edge(fn, s, 'attr', '__defaults__');
  }
  return g.toBytes({ meta: { pid: 7, argv: ['app.py'], dumpTime: time } });
}

describe('shared owners on a hand-made heap', () => {
  const FLOOR = { bytes: 10_000, count: 10 };

  it('charges the shared Sessions once, to the cache on their shortest path, and names the bus', async () => {
    const a = await viewOfBytes(build(10, 0, 1000), 'a');
    const b = await viewOfBytes(build(110, 0, 1010), 'b');
    const report = findLeaks([new SnapshotDiff(a, b)], { floor: FLOOR });
    const [cache, bus] = report.suspects;
    expect(report.suspects).toHaveLength(2);
    expect(cache.path).toBe("module app → ['_CACHE'] → dict");
    expect(cache.retainedGrowthBytes).toBe(100 * 800);
    expect(cache.types[0]).toMatchObject({ type: 'app.Session0', count: 100 });
    expect(cache.explanation).toMatch(/; 100 of the new `Session0` objects are also referenced from `_BUS`$/);
    expect(bus.path).toBe("module app → ['_BUS'] → list");
    expect(bus.retainedGrowthBytes).toBe(100 * 100);
    expect(bus.explanation).toMatch(/; also referencing 100 new `Session0` objects counted under `_CACHE`$/);
  });

  it('nets shared churn to nothing: freed shared objects are charged the same way', async () => {
    const a = await viewOfBytes(build(100, 0, 1000), 'a');
    const b = await viewOfBytes(build(100, 1, 1010), 'b');
    expect(findLeaks([new SnapshotDiff(a, b)], { floor: FLOOR }).suspects).toEqual([]);
  });
});

describe('sharing worth a sentence', () => {
  /** `_LOG` gains `records` Records; the first `shared` of them are also values of `_RECENT`. */
  function logHeap(records: number, shared: number, time: number): Uint8Array {
    const g = new SnapshotBuilder();
    const ns = moduleGlobals(g);
    const log = g.node('list', 1000);
    const recent = g.node('dict', 1000);
    g.edge(ns, log, 'dict-value', "'_LOG'").edge(ns, recent, 'dict-value', "'_RECENT'");
    for (let i = 0; i < 200; i++) {
      if (i >= records) {
        for (let k = 0; k < 2; k++) g.node('filler', 1);
        continue;
      }
      const r = g.node('app.Record', 500);
      g.edge(log, r, 'index', i).edge(r, g.node('bytes', 300), 'attr', 'payload');
      if (i >= 10 && i < 10 + shared) g.edge(recent, r, 'dict-value', `'r-${i}'`);
    }
    return g.toBytes({ meta: { pid: 7, argv: ['app.py'], dumpTime: time } });
  }

  it('leaves out a clause for a few shared objects, and keeps one for many', async () => {
    const FLOOR = { bytes: 10_000, count: 10 };
    const a = await viewOfBytes(logHeap(10, 0, 1000), 'a');
    const few = await viewOfBytes(logHeap(110, 3, 1010), 'few');
    const many = await viewOfBytes(logHeap(110, 60, 1010), 'many');
    const [quiet] = findLeaks([new SnapshotDiff(a, few)], { floor: FLOOR }).suspects;
    expect(quiet.path).toBe("module app → ['_LOG'] → list");
    expect(quiet.explanation).not.toMatch(/also referenced from/);
    const [loud] = findLeaks([new SnapshotDiff(a, many)], { floor: FLOOR }).suspects;
    expect(loud.path).toBe("module app → ['_LOG'] → list");
    expect(loud.explanation).toMatch(/; 60 of the new `Record` objects are also referenced from `_RECENT`$/);
  });
});
