// What a suspect says accumulates, on tiny hand-made heaps: a function reached through an edge the
// dumper could not name (a C module's own state, as 3.8's `atexit` keeps its callbacks) is the entry
// itself, named by its code, not a carrier whose `__closure__` tuples are the entries; and a module
// object that is the holder reads as "module `atexit` (in its C-level state)", not "module `atexit`
// in module `atexit`".
import { describe, expect, it } from 'vitest';
import { SnapshotDiff } from '../../electron/indexer/diff/diff';
import { SnapshotBuilder } from '../../electron/indexer/format/builder';
import { foldNumbered } from '../../electron/indexer/leaks/identity';
import { findLeaks } from '../../electron/indexer/leaks/index';
import { viewOfBytes } from './leaks-helpers';

const FLOOR = { bytes: 10_000, count: 10 };
const SLOTS = 300;

/** `n` cleanup closures registered in the module's C state; positional addresses keep the old ones matched. */
function snapshot(n: number): Uint8Array {
  const g = new SnapshotBuilder();
  const atexit = g.node('module', 72, { label: 'atexit' });
  const ns = g.node('dict', 1000);
  g.root(atexit, 'module', 'atexit').edge(atexit, ns, 'internal', '__dict__');
  const code = g.node('code', 200, { label: 'handle.<locals>.cleanup /srv/app.py:14' });
  g.root(code, 'module', 'app');
  for (let i = 0; i < SLOTS; i++) {
    if (i >= n) {
      for (let k = 0; k < 4; k++) g.node('filler', 1);
      continue;
    }
    const fn = g.node('function', 136, { label: 'handle.<locals>.cleanup' });
    const closure = g.node('tuple', 48);
    const cell = g.node('cell', 40);
    const store = g.node('app.TempStore', 400);
    g.edge(atexit, fn); // the module's C state: no name
    g.edge(fn, code, 'internal', '__code__');
    g.edge(fn, closure, 'internal', '__closure__');
    g.edge(closure, cell, 'index', '0');
    g.edge(cell, store, 'internal', 'cell_contents');
  }
  return g.toBytes({ meta: { pid: 7, argv: ['app.py'], dumpTime: 1000 + n } });
}

describe('functions held in a C module state', () => {
  it('are the entries, named by their code, under the module named once', async () => {
    const vs = await Promise.all([10, 110, 210].map((n, i) => viewOfBytes(snapshot(n), `s${i + 1}`)));
    const report = findLeaks([new SnapshotDiff(vs[0], vs[1]), new SnapshotDiff(vs[1], vs[2])], {
      floor: FLOOR,
    });
    const [top] = report.suspects;
    expect(top?.path).toBe('module atexit');
    expect(top.types[0]).toMatchObject({
      type: 'function',
      name: 'handle.<locals>.cleanup (app.py:14)',
      count: 200,
    });
    expect(top.explanation).toMatch(
      /^module `atexit` \(in its C-level state\) gained 200 `function` `handle\.<locals>\.cleanup` \(app\.py:14\) entries/,
    );
  });
});

/** A registry dict gaining `n` classes made at run time, `Order_v0` … (positional addresses). */
function registrySnapshot(n: number): Uint8Array {
  const g = new SnapshotBuilder();
  const mod = g.node('module', 72, { label: 'app' });
  const ns = g.node('dict', 1000);
  g.root(mod, 'module', 'app').edge(mod, ns, 'internal', '__dict__');
  const registry = g.node('dict', 5000);
  g.edge(ns, registry, 'dict-value', "'REGISTRY'");
  for (let i = 0; i < SLOTS; i++) {
    if (i >= n) {
      for (let k = 0; k < 3; k++) g.node('filler', 1);
      continue;
    }
    const key = g.node('str', 60, { label: `Order_v${i}` });
    const cls = g.node('type', 1000, { label: `app.Order_v${i}` });
    const body = g.node('dict', 600);
    g.edge(registry, key, 'dict-key', `'Order_v${i}'`).edge(registry, cls, 'dict-value', `'Order_v${i}'`);
    g.edge(cls, body, 'internal', '__dict__');
  }
  return g.toBytes({ meta: { pid: 7, argv: ['app.py'], dumpTime: 1000 + n } });
}

describe('classes made at run time', () => {
  it('are one entry, their numbers folded, not one entry per class below the keys', async () => {
    const vs = await Promise.all([10, 110, 210].map((n, i) => viewOfBytes(registrySnapshot(n), `s${i + 1}`)));
    const report = findLeaks([new SnapshotDiff(vs[0], vs[1]), new SnapshotDiff(vs[1], vs[2])], {
      floor: FLOOR,
    });
    const [top] = report.suspects;
    expect(top?.types[0]).toMatchObject({ type: 'type', name: 'app.Order_v*', count: 200 });
    expect(top.explanation).toMatch(/gained 200 `type` `app\.Order_v\*` entries/);
  });

  it('fold a number ending the name or following _ - v, and keep others', () => {
    expect(['Order_v12', 'Plugin_3', 'job-7', 'Model2', 'Base64Encoder'].map(foldNumbered)).toEqual([
      'Order_v*',
      'Plugin_*',
      'job-*',
      'Model*',
      'Base64Encoder',
    ]);
  });
});

/** `n` tasks in the program's `_BACKGROUND` set, and asyncio's weak set of all tasks pointing at them. */
function tasksSnapshot(n: number): Uint8Array {
  const g = new SnapshotBuilder();
  const app = g.node('module', 72, { label: 'app' });
  const appNs = g.node('dict', 1000);
  g.root(app, 'module', 'app').edge(app, appNs, 'internal', '__dict__');
  const asyncio = g.node('module', 72, { label: '_asyncio' });
  const asyncioNs = g.node('dict', 1000);
  g.root(asyncio, 'module', '_asyncio').edge(asyncio, asyncioNs, 'internal', '__dict__');
  const background = g.node('set', 8000);
  const scheduled = g.node('set', 8000);
  g.edge(appNs, background, 'dict-value', "'_BACKGROUND'").edge(
    asyncioNs,
    scheduled,
    'dict-value',
    "'_scheduled'",
  );
  for (let i = 0; i < SLOTS; i++) {
    if (i >= n) {
      g.node('filler', 1);
      g.node('filler', 1);
      continue;
    }
    const task = g.node('_asyncio.Task', 2000);
    const ref = g.node('weakref.ReferenceType', 400);
    g.edge(background, task).edge(scheduled, ref).edge(ref, task, 'weak');
  }
  return g.toBytes({ meta: { pid: 7, argv: ['app.py'], dumpTime: 1000 + n } });
}

describe('a registry of weak references to what leaks elsewhere', () => {
  it('says its entries point at objects another suspect holds', async () => {
    const vs = await Promise.all([10, 110, 210].map((n, i) => viewOfBytes(tasksSnapshot(n), `s${i + 1}`)));
    const report = findLeaks([new SnapshotDiff(vs[0], vs[1]), new SnapshotDiff(vs[1], vs[2])], {
      floor: FLOOR,
    });
    expect(report.suspects.map((s) => s.path)).toEqual([
      "module app → ['_BACKGROUND'] → set",
      "module _asyncio → ['_scheduled'] → set",
    ]);
    expect(report.suspects[1].explanation).toMatch(
      /; 200 of them are weak references to new `Task` objects counted under `_BACKGROUND` in module `app`$/,
    );
  });
});

describe('a module-global str rebuilt by +=', () => {
  it('is a suspect that grew in size, the slot replaced by a bigger one each time', async () => {
    const shape = (size: number) => {
      const g = new SnapshotBuilder();
      const mod = g.node('module', 72, { label: 'app' });
      const ns = g.node('dict', 1000);
      g.root(mod, 'module', 'app').edge(mod, ns, 'internal', '__dict__');
      // A str's size changing at one address is a new str (immutables cannot grow in place).
      g.edge(ns, g.node('str', size), 'dict-value', "'_DEBUG_LOG'");
      return g.toBytes({ meta: { pid: 7, argv: ['app.py'], dumpTime: 1000 + size } });
    };
    const vs = await Promise.all([1_000, 40_000, 80_000].map((n, i) => viewOfBytes(shape(n), `s${i + 1}`)));
    const report = findLeaks([new SnapshotDiff(vs[0], vs[1]), new SnapshotDiff(vs[1], vs[2])], {
      floor: FLOOR,
    });
    expect(report.suspects.map((s) => s.explanation)).toEqual([
      'str `_DEBUG_LOG` in module `app` (a new `str` in every snapshot) grew by +77.1 KiB, each new one bigger than the last, in every interval (+38.1 KiB, then +39.1 KiB)',
    ]);
  });
});
