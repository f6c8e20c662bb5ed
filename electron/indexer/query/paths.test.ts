// More paths on demand: asking for k paths gives k distinct ones when the heap has them, even when
// every path shares nodes with the first (each module's globals dict, the object itself).
import { describe, expect, it } from 'vitest';
import { SnapshotBuilder } from '../format/builder';
import { FIRST_OBJECT } from '../graph/layout';
import { loadSnapshot } from '../index';

/** A config object kept by `modules` plugin modules, each in its globals. */
async function sharedConfig(modules: number) {
  const g = new SnapshotBuilder();
  const config = g.node('app.Config', 48);
  for (let i = 0; i < modules; i++) {
    const mod = g.node('module', 72, { label: `plugin${i}` });
    const globals = g.node('dict', 200);
    g.edge(mod, globals, 'internal', '__dict__').edge(globals, config, 'dict-value', "'CONFIG'");
    g.root(mod, 'module', `plugin${i}`);
  }
  const snap = await loadSnapshot({ bytes: g.toBytes(), name: 'shared.pyheap' });
  return { snap, config: FIRST_OBJECT + config };
}

describe('retainer paths on demand', () => {
  it('gives k distinct paths, one per root, and all of them when more are asked for', async () => {
    const { snap, config } = await sharedConfig(12);
    const five = snap.retainerPaths({ node: config, k: 5 });
    expect(new Set(five.map((p) => p.steps[0]!.node.label)).size).toBe(5);
    const all = snap.retainerPaths({ node: config, k: 20 });
    expect(new Set(all.map((p) => p.steps[0]!.node.label))).toEqual(
      new Set(Array.from({ length: 12 }, (_, i) => `plugin${i}`)),
    );
  });

  it('leaves out a root the user ignored', async () => {
    const { snap, config } = await sharedConfig(3);
    const first = snap.retainerPaths({ node: config, k: 1 })[0]!;
    const root = first.steps[0]!.node;
    const rest = snap.retainerPaths({ node: config, k: 5, ignore: [root.node] });
    expect(rest).toHaveLength(2);
    expect(rest.every((p) => p.steps[0]!.node.node !== root.node)).toBe(true);
  });

  it('names a closure variable and its function once, without the cell', async () => {
    for (const viaTuple of [true, false]) {
      const g = new SnapshotBuilder();
      const mod = g.node('module', 72, { label: 'app' });
      const globals = g.node('dict', 200);
      const fn = g.node('function', 160, { label: 'make_logger.<locals>.audit' });
      const cell = g.node('cell', 40, { label: 'history' });
      const list = g.node('list', 56);
      g.root(mod, 'module', 'app');
      g.edge(mod, globals, 'internal', '__dict__').edge(globals, fn, 'dict-value', "'audit_log'");
      if (viaTuple) {
        const tuple = g.node('tuple', 48);
        g.edge(fn, tuple, 'internal', '__closure__').edge(tuple, cell, 'closure', 'history');
      } else g.edge(fn, cell, 'closure', 'history');
      g.edge(cell, list, 'closure', 'history');
      const snap = await loadSnapshot({ bytes: g.toBytes(), name: 'closure.pyheap' });
      const [path] = snap.retainerPaths({ node: FIRST_OBJECT + list, k: 1 });
      expect(path!.text).toBe(
        "module app → ['audit_log'] → closure history of make_logger.<locals>.audit → list",
      );
      // The steps themselves keep every object (the chips show the cell).
      expect(path!.steps.map((s) => s.node.type)).toContain('cell');
    }
  });
});
