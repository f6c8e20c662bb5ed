// Dominator rows named by how they are held: the reference from the dominator, a module's globals,
// an instance attribute read as `.name`, and the shortest path's last step where the dominator does
// not hold the row itself.
import { describe, expect, it } from 'vitest';
import { SnapshotBuilder } from '../format/builder';
import { FIRST_OBJECT } from '../graph/layout';
import { loadSnapshot } from '../index';

async function program() {
  const g = new SnapshotBuilder();
  const mod = g.node('module', 72, { label: 'app' });
  const globals = g.node('dict', 1200);
  g.edge(mod, globals, 'internal', '__dict__').root(mod, 'module', 'app');
  // CATALOGUE: a dict of the module's globals.
  const catalogue = g.node('dict', 90_000);
  g.edge(globals, catalogue, 'dict-value', "'CATALOGUE'");
  // BUS: an instance whose attribute dict holds a list of listeners.
  const bus = g.node('app.EventBus', 48);
  const busDict = g.node('dict', 104);
  const listeners = g.node('list', 4000);
  g.edge(globals, bus, 'dict-value', "'BUS'")
    .edge(bus, busDict, 'internal', '__dict__')
    .edge(busDict, listeners, 'dict-value', "'listeners'");
  // SHARED: held by two lists of the globals: its dominator (the globals) holds it only through them.
  const a = g.node('list', 64);
  const b = g.node('list', 64);
  const shared = g.node('bytearray', 5000);
  g.edge(globals, a, 'dict-value', "'A'").edge(globals, b, 'dict-value', "'B'");
  g.edge(a, shared, 'index', 0).edge(b, shared, 'index', 0);
  const snap = await loadSnapshot({ bytes: g.toBytes(), name: 'held.pyheap' });
  const o = (i: number) => FIRST_OBJECT + i;
  return {
    snap,
    ids: {
      mod: o(mod),
      globals: o(globals),
      catalogue: o(catalogue),
      bus: o(bus),
      busDict: o(busDict),
      listeners: o(listeners),
      shared: o(shared),
    },
  };
}

describe('held as', () => {
  it('names rows by the reference from their dominator, and a module dict as its globals', async () => {
    const { snap, ids } = await program();
    expect(snap.heldAs({ nodes: [ids.catalogue, ids.bus, ids.globals] })).toEqual([
      "['CATALOGUE']",
      "['BUS']",
      'globals of module app',
    ]);
  });

  it("reads an entry of an instance's __dict__ as the attribute, and names the dict by its owner", async () => {
    const { snap, ids } = await program();
    expect(snap.heldAs({ nodes: [ids.listeners, ids.busDict] })).toEqual([
      '.listeners',
      '__dict__ of app.EventBus',
    ]);
  });

  it("falls back to the shortest path's last step when the dominator holds the row only indirectly", async () => {
    const { snap, ids } = await program();
    expect(snap.heldAs({ nodes: [ids.shared] })).toEqual(['[0]']);
  });

  it('leaves labelled objects and synthetic nodes unnamed: their label says it', async () => {
    const { snap, ids } = await program();
    expect(snap.heldAs({ nodes: [ids.mod, 0, 1] })).toEqual(['', '', '']);
  });
});
