// Owners on hand-made graphs: every object of a finding is attributed (not a prefix of them), at
// most MAX_OWNERS are listed and the rest summed, and a duplicated value's copies group by holder.
import { describe, expect, it } from 'vitest';
import { SnapshotBuilder } from '../format/builder';
import { loadSnapshot } from '../index';
import { MAX_OWNERS } from './owners';

async function findings(build: (g: SnapshotBuilder) => void) {
  const g = new SnapshotBuilder();
  build(g);
  const snap = await loadSnapshot({ bytes: g.toBytes(), name: 'owners.pyheap' });
  return snap.insights({ limit: 50 }).findings;
}

/** A module global `name` holding `n` new objects made by `make`, by index. */
function heldList(g: SnapshotBuilder, name: string, n: number, make: () => number) {
  const mod = g.node('module', 80, { label: name });
  g.root(mod, 'module', name);
  const list = g.node('list', 56 + 8 * n, { length: n });
  g.edge(mod, list, 'attr', name.toUpperCase());
  for (let i = 0; i < n; i++) g.edge(list, make(), 'index', i);
}

describe('insight owners', () => {
  it('attributes every object of a finding, also those past the first 20,000', async () => {
    const all = await findings((g) => {
      heldList(g, 'early', 20_000, () => g.node('list', 56, { length: 0 }));
      heldList(g, 'late', 5_000, () => g.node('list', 56, { length: 0 }));
    });
    const empty = all.find((f) => f.kind === 'empty-collections' && f.type === 'list')!;
    expect(empty.count).toBe(25_000);
    expect(empty.ownersOf).toBe(25_000);
    expect(empty.owners.map((o) => [o.path, o.count, o.wastedBytes])).toEqual([
      ['module early → .EARLY → list → [*]', 20_000, 20_000 * 56],
      ['module late → .LATE → list → [*]', 5_000, 5_000 * 56],
    ]);
  });

  it(`lists ${MAX_OWNERS} owners and sums the rest, so owners add up to the finding`, async () => {
    const all = await findings((g) => {
      for (let k = 0; k < MAX_OWNERS + 3; k++) {
        heldList(g, `mod${String.fromCharCode(97 + k)}`, 10 + k, () => g.node('dict', 64, { length: 0 }));
      }
    });
    const empty = all.find((f) => f.kind === 'empty-collections' && f.type === 'dict')!;
    expect(empty.owners).toHaveLength(MAX_OWNERS);
    // Largest first: the last modules hold the most.
    expect(empty.owners[0]!.count).toBe(10 + MAX_OWNERS + 2);
    expect(empty.otherOwners).toEqual({ owners: 3, count: 10 + 11 + 12, wastedBytes: 64 * (10 + 11 + 12) });
    const listed = empty.owners.reduce((s, o) => s + o.count, 0);
    expect(listed + empty.otherOwners.count).toBe(empty.count);
  });

  it("groups a duplicated value's copies by the holder that keeps them", async () => {
    const all = await findings((g) => {
      const copy = () => g.node('str', 60, { label: 'status-active', length: 13 });
      heldList(g, 'cache', 300, copy);
      heldList(g, 'sessions', 100, copy);
    });
    const dup = all.find((f) => f.kind === 'duplicate-values')!;
    expect([dup.count, dup.wastedBytes]).toEqual([400, 399 * 60]);
    expect(dup.owners.map((o) => [o.path, o.count, o.wastedBytes])).toEqual([
      ['module cache → .CACHE → list → [*]', 300, (300 * 399 * 60) / 400],
      ['module sessions → .SESSIONS → list → [*]', 100, (100 * 399 * 60) / 400],
    ]);
    expect(dup.owners[1]!.addresses).toHaveLength(20);
  });

  it('shows an unnamed last edge as the type it leads to, as the Retainers panel does', async () => {
    // A function's own __dict__ is a referent the dumper cannot name without creating it.
    const all = await findings((g) => {
      heldList(g, 'hooks', 5, () => {
        const fn = g.node('function', 136, { label: 'hook' });
        g.edge(fn, g.node('dict', 64, { length: 0 }), 'other');
        return fn;
      });
    });
    const empty = all.find((f) => f.kind === 'empty-collections' && f.type === 'dict')!;
    expect(empty.owners.map((o) => [o.path, o.count])).toEqual([
      ['module hooks → .HOOKS → [*] → function → <dict>', 5],
    ]);
  });

  it('says when objects are cyclic garbage rather than roots', async () => {
    // A capture dumps without collecting first: closed connections' transports still in a cycle.
    const all = await findings((g) => {
      heldList(g, 'live', 3, () => g.node('list', 56, { length: 0 }));
      for (let k = 0; k < 4; k++) {
        const a = g.node('app.Transport', 48);
        const b = g.node('app.Protocol', 48);
        g.edge(a, b, 'attr', 'protocol');
        g.edge(b, a, 'attr', 'transport');
        g.edge(a, g.node('list', 56, { length: 0 }), 'attr', 'buffer');
      }
    });
    const empty = all.find((f) => f.kind === 'empty-collections' && f.type === 'list')!;
    expect(empty.owners.map((o) => [o.path, o.count])).toEqual([
      ['(unreachable: cyclic garbage, freed by the next gc.collect())', 4],
      ['module live → .LIVE → list → [*]', 3],
    ]);
  });

  it("reads a namespace dict's key as the attribute or global it is", async () => {
    const all = await findings((g) => {
      // 3.8–3.10: every instance's attributes live in a __dict__ object.
      heldList(g, 'things', 3, () => {
        const thing = g.node('app.Thing', 48);
        const ns = g.node('dict', 232, { length: 1 });
        g.edge(thing, ns, 'internal', '__dict__');
        g.edge(ns, g.node('list', 56, { length: 0 }), 'dict-value', "'cache'");
        return thing;
      });
      const mod = g.node('module', 80, { label: 'app' });
      g.root(mod, 'module', 'app');
      const globals = g.node('dict', 1200, { length: 1 });
      g.edge(mod, globals, 'internal', '__dict__');
      g.edge(globals, g.node('list', 56, { length: 0 }), 'dict-value', "'PENDING'");
    });
    const empty = all.find((f) => f.kind === 'empty-collections' && f.type === 'list')!;
    expect(empty.owners.map((o) => [o.path, o.count])).toEqual([
      ['module things → .THINGS → [*] → app.Thing → .cache', 3],
      ["module app → ['PENDING']", 1],
    ]);
  });
});
