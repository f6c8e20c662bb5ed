// Queries as the UI uses them: pages that tile the full list in order, retainer paths that read the
// way a user would say them, search by type, label and address.
import { describe, expect, it } from 'vitest';
import { SnapshotBuilder } from '../format/builder';
import { FIRST_OBJECT } from '../graph/layout';
import { type HeapSnapshot, loadSnapshot } from '../index';

/** module app → __dict__ → _SESSION_CACHE dict → 'req-N' → Session → __dict__ → payload bytes. */
async function sessionCache(sessions: number): Promise<{ snap: HeapSnapshot; ids: Record<string, number> }> {
  const g = new SnapshotBuilder();
  const mod = g.node('module', 72, { label: 'app' });
  const globals = g.node('dict', 1200);
  const cache = g.node('dict', 4000 + sessions);
  g.edge(mod, globals, 'internal', '__dict__').edge(globals, cache, 'dict-value', "'_SESSION_CACHE'");
  g.root(mod, 'module', 'app');
  const first = g.size;
  for (let i = 0; i < sessions; i++) {
    const s = g.node('app.Session', 56);
    const d = g.node('dict', 100);
    const payload = g.node('bytes', 10 + ((i * 7919) % 1000), { label: `b'req-${i}'` });
    g.edge(cache, s, 'dict-value', `'req-${i}'`)
      .edge(s, d, 'internal', '__dict__')
      .edge(d, payload, 'dict-value', "'payload'");
  }
  // A frame also holds session 0, and a weakref points at session 1 (which must not retain it).
  const frame = g.node('frame', 400, { label: 'handle app.py:42' });
  g.edge(frame, first, 'local', 'request').root(frame, 'thread', 'Thread MainThread · handle at app.py:42');
  const wr = g.node('weakref', 64);
  g.edge(wr, first + 3, 'weak').edge(globals, wr, 'dict-value', "'_WATCH'");
  const snap = await loadSnapshot({ bytes: g.toBytes({ chunk: 500 }), name: 'sessions.pyheap' });
  const o = (i: number) => FIRST_OBJECT + i;
  return {
    snap,
    ids: {
      mod: o(mod),
      globals: o(globals),
      cache: o(cache),
      s0: o(first),
      s1: o(first + 3),
      frame: o(frame),
    },
  };
}

describe('queries', () => {
  it('pages of dominator children tile the full list, sorted by retained size', async () => {
    const { snap, ids } = await sessionCache(6000);
    const full = snap.dominatorChildren({ node: ids.cache, range: { start: 0, end: 1e9 } });
    expect(full.total).toBe(5999); // session 0 is also held by the frame: the cache does not dominate it
    const byRetained = [...full.rows].sort((a, b) => b.retained - a.retained || a.node - b.node);
    expect(full.rows.map((r) => r.node)).toEqual(byRetained.map((r) => r.node));
    const tiled = [];
    for (let start = 0; start < full.total; start += 700) {
      const page = snap.dominatorChildren({ node: ids.cache, range: { start, end: start + 700 } });
      expect(page.start).toBe(start);
      expect(page.total).toBe(full.total);
      tiled.push(...page.rows.map((r) => r.node));
    }
    expect(tiled).toEqual(full.rows.map((r) => r.node));
    const top = snap.dominatorChildren({ node: ids.cache, range: { start: 10, end: 20 } });
    expect(top.rows.map((r) => r.node)).toEqual(full.rows.slice(10, 20).map((r) => r.node));
  });

  it('instanceRank is where an object is in instances, in every order, past any first page', async () => {
    const { snap } = await sessionCache(5000);
    const sorts = [
      { key: 'retained', dir: 'desc' },
      { key: 'retained', dir: 'asc' },
      { key: 'shallow', dir: 'asc' },
      { key: 'shallow', dir: 'desc' },
      { key: 'distance', dir: 'asc' },
      { key: 'distance', dir: 'desc' },
      { key: 'address', dir: 'desc' },
    ] as const;
    for (const typeKey of ['bytes', 'dict']) {
      for (const sort of sorts) {
        const all = snap.instances({ typeKey, range: { start: 0, end: 10_000 }, sort }).rows;
        // Ties of shallow sizes and distances are many here: the ranks must break them as pages do.
        for (const at of [0, 1, 1999, 2000, 2345, all.length - 1]) {
          const node = all[at]!.node;
          expect(snap.instanceRank({ typeKey, node, sort }), `${typeKey} ${sort.key} ${sort.dir} ${at}`).toBe(
            at,
          );
        }
      }
    }
    const session = snap.instances({ typeKey: 'app.Session', range: { start: 0, end: 1 } }).rows[0]!.node;
    expect(snap.instanceRank({ typeKey: 'bytes', node: session })).toBe(-1);
    expect(() => snap.instanceRank({ typeKey: 'nope', node: session })).toThrow(/no type nope/);
  });

  it('instances of a type page in any sort order; summary merges and sorts types', async () => {
    const { snap } = await sessionCache(5000);
    const asc = snap.instances({
      typeKey: 'bytes',
      range: { start: 0, end: 5000 },
      sort: { key: 'shallow', dir: 'asc' },
    });
    const shallow = asc.rows.map((r) => r.shallow);
    expect([...shallow].sort((a, b) => a - b)).toEqual(shallow);
    const window = snap.instances({
      typeKey: 'bytes',
      range: { start: 100, end: 110 },
      sort: { key: 'shallow', dir: 'asc' },
    });
    expect(window.rows.map((r) => r.node)).toEqual(asc.rows.slice(100, 110).map((r) => r.node));
    const summary = snap.summary({ range: { start: 0, end: 2 } });
    expect(summary.total).toBe(6); // module, dict, app.Session, bytes, frame, weakref
    const all = snap.summary({ range: { start: 0, end: 100 } }).rows;
    expect(summary.rows).toEqual(all.slice(0, 2));
    expect(all.map((r) => r.retained)).toEqual(all.map((r) => r.retained).sort((a, b) => b - a));
    // Nested dicts count once: the dict row is the globals dict's retained size plus session 0's
    // dict (dominated by the session the frame also holds), not the sum over every dict.
    const dictRow = all.find((r) => r.type === 'dict')!;
    const globals = snap.dominatorChildren({ node: FIRST_OBJECT, range: { start: 0, end: 1 } }).rows[0]!;
    expect(dictRow.retained).toBe(globals.retained + 100 + 10);
    const sessions = snap.summary({ range: { start: 0, end: 10 }, filter: 'sess' }).rows;
    expect(sessions).toHaveLength(1);
    expect(sessions[0]).toMatchObject({ type: 'app.Session', count: 5000, shallow: 5000 * 56 });
  });

  it('renders retainer paths as text, skipping weak references, honouring ignore', async () => {
    const { snap, ids } = await sessionCache(10);
    const paths = snap.retainerPaths({ node: ids.s1 + 2, k: 3 });
    expect(paths[0]!.text).toBe("module app → ['_SESSION_CACHE'] → ['req-1'] → .payload → bytes");
    expect(paths[0]!.steps[0]!.edge).toBeNull();
    expect(paths[0]!.steps.at(-1)!.node.node).toBe(ids.s1 + 2);
    const s0 = snap.retainerPaths({ node: ids.s0, k: 5 }).map((p) => p.text);
    expect(s0).toContain('frame handle app.py:42 → local request → app.Session');
    expect(s0).toContain("module app → ['_SESSION_CACHE'] → ['req-0'] → app.Session");
    const ignored = snap.retainerPaths({ node: ids.s0, k: 5, ignore: [ids.frame] }).map((p) => p.text);
    expect(ignored).toEqual(["module app → ['_SESSION_CACHE'] → ['req-0'] → app.Session"]);
    // The weakref is a referrer of session 1 but never part of a path.
    const referrers = snap.referrers({ node: ids.s1, range: { start: 0, end: 10 } }).rows;
    expect(referrers.map((r) => [r.edge.text, r.weak])).toEqual([
      ["['req-1']", false],
      ['weakref →', true],
    ]);
  });

  it('dominator chain, details and subtree agree', async () => {
    const { snap, ids } = await sessionCache(10);
    const chain = snap.dominatorChain({ node: ids.s1 + 2 }).map((r) => r.node);
    expect(chain).toEqual([0, 1, ids.mod, ids.globals, ids.cache, ids.s1, ids.s1 + 1, ids.s1 + 2]);
    const details = snap.objectDetails({ node: ids.frame });
    expect(details.roots).toEqual([{ kind: 'thread', label: 'Thread MainThread · handle at app.py:42' }]);
    expect(details.dominator?.node).toBe(2);
    const tree = snap.dominatorSubtree({ node: 0, depth: 3, maxChildren: 2, minFraction: 0 });
    expect(tree.row.retained).toBe(snap.info('x', 'x', null).totals.reachableShallow);
    const modules = tree.children[0]!;
    expect(modules.row.label).toBe('modules');
    expect(modules.children[0]!.row.node).toBe(ids.mod);
  });

  it('searches type names, labels and addresses', async () => {
    const { snap, ids } = await sessionCache(30);
    expect(snap.search({ query: 'SESSION', range: { start: 0, end: 100 } }).total).toBe(30);
    const byLabel = snap.search({ query: "req-17'", range: { start: 0, end: 10 } });
    expect(byLabel.rows.map((r) => r.label)).toEqual(["b'req-17'"]);
    const address = snap.objectDetails({ node: ids.cache }).row.address;
    expect(snap.search({ query: address, range: { start: 0, end: 10 } }).rows.map((r) => r.node)).toEqual([
      ids.cache,
    ]);
    expect(snap.search({ query: 'no such thing', range: { start: 0, end: 10 } }).total).toBe(0);
  });

  it('counts unreachable cycles and shows them under their own group', async () => {
    const g = new SnapshotBuilder();
    const root = g.node('module', 10, { label: 'm' });
    const a = g.node('app.Node', 30);
    const b = g.node('app.Node', 40);
    g.edge(a, b, 'attr', 'next').edge(b, a, 'attr', 'prev').edge(a, root, 'attr', 'mod').root(root);
    const snap = await loadSnapshot({ bytes: g.toBytes(), name: 'cycle' });
    expect(snap.info('c', 'c', null).totals).toMatchObject({
      unreachable: 2,
      unreachableShallow: 70,
      reachableShallow: 10,
    });
    const top = snap.dominatorChildren({ node: 0, range: { start: 0, end: 10 } }).rows;
    const garbage = top.find((r) => r.label === 'unreachable (cyclic garbage)')!;
    expect(garbage).toMatchObject({ retained: 70, unreachable: true });
    expect(snap.retainerPaths({ node: FIRST_OBJECT + b })[0]!.text).toBe(
      'app.Node (unreachable (cyclic garbage)) → .next → app.Node',
    );
  });
});

describe('edge and search pages', () => {
  it('referents, referrers and search results tile in pages', async () => {
    const { snap, ids } = await sessionCache(300);
    for (const [name, query] of [
      [
        'referents',
        (start: number, end: number) => snap.referents({ node: ids.cache, range: { start, end } }),
      ],
      ['search', (start: number, end: number) => snap.search({ query: 'req-', range: { start, end } })],
    ] as const) {
      const full = query(0, 1e6);
      expect(full.total, name).toBeGreaterThanOrEqual(300);
      const tiled = [];
      for (let start = 0; start < full.total; start += 37) tiled.push(...query(start, start + 37).rows);
      expect(tiled, name).toEqual(full.rows);
      expect(query(full.total + 5, full.total + 10), name).toEqual({
        start: full.total,
        end: full.total,
        total: full.total,
        rows: [],
      });
    }
    const referrers = snap.referrers({ node: ids.mod, range: { start: 0, end: 10 } });
    expect(referrers.rows.map((r) => [r.edge.kind, r.edge.text, r.node.kind])).toEqual([
      ['root', 'app', 'root-group'],
    ]);
    expect(() => snap.referents({ node: 1e9, range: { start: 0, end: 1 } })).toThrow(/no node/);
  });
});

describe('instances by distance', () => {
  it('pages a chain of depths with unreachable objects among them', async () => {
    // dicts at depths 1..12 (several at each), interleaved in node order with unreachable dicts (a
    // chain no root reaches): ascending, the unreachable come first; descending, last.
    const g = new SnapshotBuilder();
    const mod = g.node('module', 72, { label: 'app' });
    g.root(mod, 'module', 'app');
    let parent = mod;
    let garbage = -1;
    for (let depth = 1; depth <= 12; depth++) {
      const next = g.node('dict', 100);
      g.edge(parent, next, 'dict-value', "'next'");
      for (let j = 0; j < depth % 4; j++) g.edge(parent, g.node('dict', 50), 'dict-value', `'x${j}'`);
      const lost = g.node('dict', 80);
      if (garbage >= 0) g.edge(lost, garbage, 'dict-value', "'prev'");
      garbage = lost;
      parent = next;
    }
    const snap = await loadSnapshot({ bytes: g.toBytes({ chunk: 64 }), name: 'depths.pyheap' });
    for (const dir of ['asc', 'desc'] as const) {
      const all = snap.instances({
        typeKey: 'dict',
        range: { start: 0, end: 1000 },
        sort: { key: 'distance', dir },
      });
      const sign = dir === 'asc' ? 1 : -1;
      // -1 (unreachable) sorts as the smallest distance.
      const want = [...all.rows].sort((a, b) => sign * (a.distance - b.distance) || a.node - b.node);
      expect(all.rows.map((r) => r.node)).toEqual(want.map((r) => r.node));
      expect(all.rows.filter((r) => r.distance === -1)).toHaveLength(12);
      expect(all.rows[dir === 'asc' ? 0 : all.rows.length - 1]!.distance).toBe(-1);
      for (let start = 0; start < all.total; start += 5) {
        const got = snap.instances({
          typeKey: 'dict',
          range: { start, end: start + 5 },
          sort: { key: 'distance', dir },
        });
        expect(got.rows.map((r) => r.node)).toEqual(all.rows.slice(start, start + 5).map((r) => r.node));
      }
    }
  });

  it('orders by BFS distance, ties by node, both directions, unreachable first ascending', async () => {
    const { snap } = await sessionCache(50);
    for (const dir of ['asc', 'desc'] as const) {
      const rows = snap.instances({
        typeKey: 'dict',
        range: { start: 0, end: 1000 },
        sort: { key: 'distance', dir },
      }).rows;
      const sign = dir === 'asc' ? 1 : -1;
      const want = [...rows].sort((a, b) => sign * (a.distance - b.distance) || a.node - b.node);
      expect(rows.map((r) => r.node)).toEqual(want.map((r) => r.node));
      expect(rows).toHaveLength(52);
      const page = snap.instances({
        typeKey: 'dict',
        range: { start: 10, end: 20 },
        sort: { key: 'distance', dir },
      });
      expect(page.rows.map((r) => r.node)).toEqual(rows.slice(10, 20).map((r) => r.node));
      // Every window, in pages that straddle distances, is the same slice of the whole order.
      for (let start = 0; start < rows.length; start += 7) {
        const got = snap.instances({
          typeKey: 'dict',
          range: { start, end: start + 7 },
          sort: { key: 'distance', dir },
        });
        expect(got.total).toBe(52);
        expect(got.rows.map((r) => r.node)).toEqual(rows.slice(start, start + 7).map((r) => r.node));
      }
    }
    expect(
      snap.instances({
        typeKey: 'dict',
        range: { start: 60, end: 70 },
        sort: { key: 'distance', dir: 'asc' },
      }),
    ).toMatchObject({ start: 52, end: 52, total: 52, rows: [] });
  });
});

describe('summary by distance', () => {
  // Types at known depths, one only in an unreachable cycle, one reachable only through a weak
  // reference (so unreachable too): each type's distance is the least of its objects', computed
  // here from the graph's own distances, on one thread and on two.
  function heap(): Uint8Array {
    const g = new SnapshotBuilder();
    const mod = g.node('module', 72, { label: 'app' });
    g.root(mod, 'module', 'app');
    let parent = mod;
    const kinds = ['dict', 'list', 'app.Node', 'tuple', 'str'];
    for (let depth = 1; depth <= 30; depth++) {
      const next = g.node(kinds[depth % kinds.length]!, 40 + depth);
      g.edge(parent, next, 'attr', 'next');
      parent = next;
    }
    const a = g.node('app.Lost', 64);
    const b = g.node('app.Lost', 64);
    g.edge(a, b, 'attr', 'peer').edge(b, a, 'attr', 'peer');
    g.edge(mod, g.node('app.Weak', 32), 'weak');
    return g.toBytes({ chunk: 8 });
  }

  for (const [name, parallelMinObjects] of [
    ['one thread', Number.MAX_SAFE_INTEGER],
    ['two threads', 0],
  ] as const) {
    it(`gives each type its nearest object's distance, and sorts by it, on ${name}`, async () => {
      const snap = await loadSnapshot({ bytes: heap(), name: 'd.pyheap' }, { parallelMinObjects });
      const g = snap.graph;
      const want = new Map<string, number>();
      for (let v = FIRST_OBJECT; v < g.nodeCount; v++) {
        const type = g.types.names[g.types.typeIdx2Name[g.type[v]!]!]!;
        const d = g.distance[v]!;
        const best = want.get(type);
        if (best === undefined || (d >= 0 && (best < 0 || d < best))) want.set(type, d);
      }
      const rows = snap.summary({ range: { start: 0, end: 100 } }).rows;
      expect(Object.fromEntries(rows.map((r) => [r.type, r.distance]))).toEqual(Object.fromEntries(want));
      expect(want.get('app.Lost')).toBe(-1);
      expect(want.get('app.Weak')).toBe(-1);
      expect(want.get('str')).toBe(want.get('module')! + 4); // str first at depth 4 of the chain
      for (const dir of ['asc', 'desc'] as const) {
        const sorted = snap.summary({ range: { start: 0, end: 100 }, sort: { key: 'distance', dir } }).rows;
        const sign = dir === 'asc' ? 1 : -1;
        const order = [...rows].sort(
          (x, y) => sign * (x.distance - y.distance) || (x.type < y.type ? -1 : x.type > y.type ? 1 : 0),
        );
        expect(sorted.map((r) => r.type)).toEqual(order.map((r) => r.type));
      }
    });
  }
});
