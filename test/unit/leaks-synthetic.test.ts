// Leak detection on tiny hand-made graphs (the indexer's SnapshotBuilder): one leaking cache, one
// bounded churn structure, one buffer growing in place, and a cache that filled once.
import { describe, expect, it } from 'vitest';
import { SnapshotDiff } from '../../electron/indexer/diff/diff';
import { SnapshotBuilder } from '../../electron/indexer/format/builder';
import { findLeaks } from '../../electron/indexer/leaks/index';
import { viewOfBytes } from './leaks-helpers';

const FLOOR = { bytes: 10_000, count: 10 };

interface Shape {
  /** Sessions in the leaking cache `_CACHE`. */
  cached: number;
  /** Churn generation: `_LRU` always holds 50 entries, replaced by a new generation each snapshot. */
  generation: number;
  /** Own size of the BytesIO `_BUF`. */
  buffer: number;
  /** Entries in `_WARM`, a cache that filled once. */
  warm: number;
}

/**
 * Builder addresses are positional, so every snapshot lays out the same slots in the same order:
 * an object "survives" when its slot keeps its type. Churn entries of another generation get another
 * type name, so they are new/freed, as replaced objects are.
 */
function build(shape: Shape, time: number): Uint8Array {
  const g = new SnapshotBuilder();
  const mod = g.node('module', 72, { label: 'app' });
  const ns = g.node('dict', 2000);
  g.root(mod, 'module', 'app').edge(mod, ns, 'internal', '__dict__');
  const container = (name: string) => {
    const d = g.node('dict', 1000);
    g.edge(ns, d, 'dict-value', `'${name}'`);
    return d;
  };
  const cache = container('_CACHE');
  const lru = container('_LRU');
  const warm = container('_WARM');
  const buf = g.node('_io.BytesIO', 100 + shape.buffer);
  g.edge(ns, buf, 'dict-value', "'_BUF'");
  for (let i = 0; i < 400; i++) {
    if (i < shape.cached) {
      const s = g.node('app.Session', 500);
      const payload = g.node('list', 300);
      g.edge(cache, s, 'dict-value', `'req-${i}'`).edge(s, payload, 'attr', 'payload');
    } else {
      g.node('filler', 1);
    }
  }
  for (let i = 0; i < 50; i++) {
    const e = g.node(`app.Entry${shape.generation}`, 400);
    g.edge(lru, e, 'dict-value', String(i));
  }
  for (let i = 0; i < 100; i++) {
    if (i < shape.warm) g.edge(warm, g.node('app.Compiled', 600), 'dict-value', `'p${i}'`);
    else g.node('filler', 1);
  }
  return g.toBytes({ meta: { pid: 7, argv: ['app.py'], dumpTime: time } });
}

async function views(...shapes: Shape[]) {
  return Promise.all(shapes.map((s, i) => viewOfBytes(build(s, 1000 + i * 10), `s${i + 1}`)));
}

describe('diff', () => {
  it('classifies new, freed and grown objects per type', async () => {
    const [a, b] = await views(
      { cached: 10, generation: 0, buffer: 0, warm: 0 },
      { cached: 110, generation: 1, buffer: 50_000, warm: 0 },
    );
    const d = new SnapshotDiff(a, b);
    const row = (type: string) => d.rows.find((r) => r.type === type)!;
    expect(row('app.Session')).toMatchObject({
      baseCount: 10,
      targetCount: 110,
      newCount: 100,
      freedCount: 0,
    });
    expect(row('app.Entry0')).toMatchObject({ freedCount: 50, newCount: 0, targetCount: 0 });
    expect(row('app.Entry1')).toMatchObject({ newCount: 50, freedCount: 0 });
    expect(row('_io.BytesIO')).toMatchObject({ grownCount: 1, grownBytes: 50_000 });
    expect(d.info.warnings).toEqual([]);
    const page = d.page({ start: 1, end: 4 }, { key: 'retainedDelta', dir: 'desc' });
    expect(page).toMatchObject({ start: 1, end: 4, total: d.rows.length });
    const all = d.page({ start: 0, end: 1000 }, { key: 'retainedDelta', dir: 'desc' }).rows;
    expect(page.rows).toEqual(all.slice(1, 4));
    for (let i = 1; i < all.length; i++)
      expect(all[i - 1].retainedDelta).toBeGreaterThanOrEqual(all[i].retainedDelta);
    expect(d.page({ start: 0, end: 10 }, undefined, 'session').rows.map((r) => r.type)).toEqual([
      'app.Session',
    ]);
  });

  it('warns when the snapshots come from different processes or are out of order', async () => {
    const a = await viewOfBytes(build({ cached: 1, generation: 0, buffer: 0, warm: 0 }, 2000), 'a');
    const bytes = new SnapshotBuilder();
    bytes.root(bytes.node('module', 72, { label: 'app' }), 'module', 'app');
    const b = await viewOfBytes(bytes.toBytes({ meta: { pid: 8, argv: ['other.py'], dumpTime: 1000 } }), 'b');
    const w = new SnapshotDiff(a, b).info.warnings.join('\n');
    expect(w).toMatch(/different processes/);
    expect(w).toMatch(/command lines differ/);
    expect(w).toMatch(/before/);
  });
});

describe('leak suspects', () => {
  it('names the growing cache and the growing buffer, not the churning LRU', async () => {
    const [a, b] = await views(
      { cached: 10, generation: 0, buffer: 0, warm: 0 },
      { cached: 110, generation: 1, buffer: 50_000, warm: 0 },
    );
    const report = findLeaks([new SnapshotDiff(a, b)], { floor: FLOOR });
    const paths = report.suspects.map((s) => s.path);
    expect(paths).toHaveLength(2);
    expect(paths[0]).toContain('_CACHE');
    expect(paths[1]).toContain('_BUF');
    const cache = report.suspects[0];
    expect(cache.holder.type).toBe('dict');
    expect(cache.retainedGrowthBytes).toBe(100 * 800);
    expect(cache.countGrowth).toBe(200);
    expect(cache.types[0]).toMatchObject({ type: 'app.Session', count: 100, bytes: 100 * 800 });
    expect(cache.explanation).toMatch(
      /dict `_CACHE` in module `app` gained 100 `Session` entries \(\+78\.1 KiB/,
    );
    expect(report.suspects[1].ownGrowthBytes).toBe(50_000);
    expect(report.suspects[1].explanation).toMatch(/grew by \+48\.8 KiB in its own size/);
  });

  it('reports nothing when only bounded churn happened', async () => {
    const [a, b] = await views(
      { cached: 10, generation: 0, buffer: 0, warm: 0 },
      { cached: 10, generation: 1, buffer: 0, warm: 0 },
    );
    expect(findLeaks([new SnapshotDiff(a, b)], { floor: FLOOR }).suspects).toEqual([]);
  });

  it('with three snapshots, keeps what grew in both intervals and drops a cache that filled once', async () => {
    const [a, b, c] = await views(
      { cached: 10, generation: 0, buffer: 0, warm: 0 },
      { cached: 110, generation: 1, buffer: 0, warm: 100 },
      { cached: 210, generation: 2, buffer: 0, warm: 100 },
    );
    const two = findLeaks([new SnapshotDiff(a, b)], { floor: FLOOR });
    expect(two.suspects.map((s) => s.path).join('\n')).toContain('_WARM');
    const three = findLeaks([new SnapshotDiff(a, b), new SnapshotDiff(b, c)], { floor: FLOOR });
    expect(three.suspects).toHaveLength(1);
    expect(three.suspects[0].path).toContain('_CACHE');
    expect(three.suspects[0].intervals).toEqual([
      { bytes: 80_000, count: 200 },
      { bytes: 80_000, count: 200 },
    ]);
    expect(three.suspects[0].holderSnapshot).toBe('s3');
  });

  it('groups many holders that share a folded path into one suspect', async () => {
    // 50 sessions under `_SESSIONS['req-N']`, each with a `.history` list; every list gains `grown`
    // events. No single list passes the floor; together, folded to `['req-#']`, they do.
    const build2 = (grown: number, time: number) => {
      const g = new SnapshotBuilder();
      const mod = g.node('module', 72, { label: 'app' });
      const ns = g.node('dict', 2000);
      g.root(mod, 'module', 'app').edge(mod, ns, 'internal', '__dict__');
      const sessions = g.node('dict', 4000);
      g.edge(ns, sessions, 'dict-value', "'_SESSIONS'");
      for (let i = 0; i < 50; i++) {
        const s = g.node('app.Session', 100);
        const history = g.node('list', 56 + grown * 8);
        g.edge(sessions, s, 'dict-value', `'req-${i}'`).edge(s, history, 'attr', 'history');
        for (let k = 0; k < 20; k++) {
          if (k < grown) g.edge(history, g.node('app.Event', 400), 'index', k);
          else g.node('filler', 1);
        }
      }
      return g.toBytes({ meta: { pid: 7, argv: ['app.py'], dumpTime: time } });
    };
    const [a, b] = await Promise.all([viewOfBytes(build2(2, 1), 'g1'), viewOfBytes(build2(12, 2), 'g2')]);
    const report = findLeaks([new SnapshotDiff(a, b)], { floor: { bytes: 100_000, count: 32 } });
    expect(report.suspects).toHaveLength(1);
    const [s] = report.suspects;
    expect(s.holderCount).toBe(50);
    expect(s.signature).toContain("['req-#']");
    expect(s.retainedGrowthBytes).toBe(50 * 10 * (400 + 8));
    expect(s.countGrowth).toBe(500);
    expect(s.explanation).toMatch(
      /^50 `list` objects at `_SESSIONS\['req-#'\]\.history` in module `app` gained 500 `Event` entries/,
    );
  });

  it('applies the default noise floor (64 KiB) to small growth', async () => {
    const [a, b] = await views(
      { cached: 10, generation: 0, buffer: 0, warm: 0 },
      { cached: 60, generation: 0, buffer: 0, warm: 0 },
    );
    const report = findLeaks([new SnapshotDiff(a, b)]);
    expect(report.noiseFloor.bytes).toBe(64 * 1024);
    expect(report.suspects).toEqual([]);
  });
});
