// The two-thread path must give exactly what the one-thread path gives, and a misuse of the helper
// (an array the worker would only get a copy of) must fail loudly instead of losing writes.
import { describe, expect, it } from 'vitest';
import { SnapshotBuilder } from '../format/builder';
import { writeSyntheticHeap } from '../format/synthetic-heap';
import { memorySink } from '../format/writer';
import { FIRST_OBJECT } from '../graph/layout';
import { loadSnapshot } from '../index';
import { Helper } from './helper';
import { touchPages } from './kernels';
import { sharedFloat64, sharedUint8, sharedUint32 } from './shared';

type Graph = Awaited<ReturnType<typeof loadSnapshot>>['graph'];

/** The snapshot indexed on one thread and on two. */
async function bothWays(bytes: Uint8Array): Promise<[Graph, Graph]> {
  const one = await loadSnapshot({ bytes, name: 'one' }, { parallelMinObjects: Number.MAX_SAFE_INTEGER });
  const two = await loadSnapshot({ bytes, name: 'two' }, { parallelMinObjects: 0 });
  return [one.graph, two.graph];
}

function expectSame(one: Graph, two: Graph, keys: readonly (keyof Graph & string)[]): void {
  expect(two.totals).toEqual(one.totals);
  for (const key of keys)
    expect(Array.from(two[key] as ArrayLike<number>), key).toEqual(Array.from(one[key] as ArrayLike<number>));
}

describe('the helper thread', () => {
  it('indexes a heap exactly as one thread does', async () => {
    const out = memorySink();
    writeSyntheticHeap(out.sink, { objects: 120_000, shape: 'python', seed: 7 });
    const [one, two] = await bothWays(out.bytes());
    expectSame(one, two, [
      'edgeTarget',
      'edgeKind',
      'firstEdge',
      'firstRetainer',
      'retainerSrc',
      'retainerEdge',
      'distance',
      'nodeIdx2RootTier',
      'nodeIdx2Dominator',
      'retained',
    ]);
    expect(Array.from(two.types.retained)).toEqual(Array.from(one.types.retained));
    const aggregates = (g: Graph) => ({
      domFirst: Array.from(g.tree.domFirst),
      domChildren: Array.from(g.tree.domChildren),
      nameFirst: Array.from(g.types.nameFirst),
      nameNodes: Array.from(g.types.nameNodes),
      nameNodesByIndex: Array.from(g.types.nameNodesByIndex),
      count: Array.from(g.types.count),
      shallow: Array.from(g.types.shallow),
      labelFirst: Array.from(g.labels.labelFirst),
      labelNodes: Array.from(g.labels.labelNodes),
    });
    expect(aggregates(two)).toEqual(aggregates(one));
  });

  it('drops dangling references and counts weak ones the same way on two threads', async () => {
    const g = new SnapshotBuilder();
    const nodes = Array.from({ length: 400 }, (_, i) => g.node(i % 2 ? 'dict' : 'str', 10 + i));
    for (let i = 1; i < nodes.length; i++) {
      g.edge(nodes[i >> 1]!, nodes[i]!, i % 7 === 0 ? 'weak' : 'attr', 'x');
      if (i % 5 === 0) g.danglingEdge(nodes[i]!, 0xdead0 + 16 * i);
    }
    g.root(nodes[0]!, 'module', 'm');
    const [one, two] = await bothWays(g.toBytes({ chunk: 37 }));
    expect(one.totals.danglingEdges).toBe(79);
    expectSame(one, two, [
      'edgeTarget',
      'edgeKind',
      'edgeName',
      'firstEdge',
      'firstRetainer',
      'retainerSrc',
      'retained',
    ]);
  });

  it('walks a reference chain deeper than the stacks start out (they grow)', async () => {
    const depth = 150_000; // the DFS and per-type walk stacks start at 65,536 frames
    const g = new SnapshotBuilder();
    const nodes = Array.from({ length: depth }, (_, i) => g.node(i % 3 ? 'app.Node' : 'dict', 10));
    for (let i = 1; i < depth; i++) g.edge(nodes[i - 1]!, nodes[i]!, 'attr', 'next');
    g.root(nodes[0]!, 'module', 'head');
    const bytes = g.toBytes();
    for (const parallelMinObjects of [Number.MAX_SAFE_INTEGER, 0]) {
      const snap = await loadSnapshot({ bytes, name: 'chain' }, { parallelMinObjects });
      const graph = snap.graph;
      expect(graph.retained[FIRST_OBJECT]).toBe(10 * depth);
      expect(graph.nodeIdx2Dominator[FIRST_OBJECT + depth - 1]).toBe(FIRST_OBJECT + depth - 2);
      // Nested objects of one type count once: only the head of the chain is counted per type.
      const rows = snap.summary({ range: { start: 0, end: 10 } }).rows;
      expect(rows.find((r) => r.type === 'dict')!.retained).toBe(10 * depth);
      expect(rows.find((r) => r.type === 'app.Node')!.retained).toBe(10 * (depth - 1));
    }
  });

  it('counts references past 65,535 per thread (the 16-bit halves of the count word)', async () => {
    const refs = 140_000; // one thread: wraps twice; two threads: once each
    const g = new SnapshotBuilder();
    const list = g.node('list', 56 + 8 * refs);
    const target = g.node('str', 50, { refcount: refs });
    for (let i = 0; i < refs; i++) g.edge(list, target, 'index', i);
    g.root(list, 'module', 'holder');
    const bytes = g.toBytes();
    for (const parallelMinObjects of [Number.MAX_SAFE_INTEGER, 0]) {
      const graph = (await loadSnapshot({ bytes, name: 'wide' }, { parallelMinObjects })).graph;
      const v = FIRST_OBJECT + target;
      expect(graph.firstRetainer[v + 1]! - graph.firstRetainer[v]!).toBe(refs);
      expect(graph.totals.heldFromC).toBe(0); // refcount equals the strong references counted
    }
  });

  it('refuses arrays that are not shared, and reports a kernel failure as a rejection', async () => {
    const helper = Helper.create(1, 0);
    try {
      expect(helper.threads).toBe(2);
      const plain = new Uint32Array(8);
      expect(() =>
        helper.run('fillRetainers', plain, plain, new Uint8Array(8), 9, plain, plain, plain, 0, 1, -1),
      ).toThrow(/not in a SharedArrayBuffer/);
      const shared = sharedUint32(2);
      // No distance array: the kernel throws in the worker, and the call rejects here, where it is
      // awaited, though only after the failure came back: no unhandled rejection meanwhile.
      const unhandled: unknown[] = [];
      const listen = (reason: unknown) => unhandled.push(reason);
      process.on('unhandledRejection', listen);
      try {
        const failing = helper.run(
          'breadthFirst',
          shared,
          shared,
          null as unknown as Uint8Array,
          9,
          shared,
          shared,
          7,
          shared,
          null as unknown as Int32Array,
          null as unknown as Uint8Array,
          null as unknown as Int32Array,
        );
        await new Promise((resolve) => setTimeout(resolve, 300));
        await expect(failing).rejects.toThrow(/helper thread/);
        expect(unhandled).toEqual([]);
      } finally {
        process.off('unhandledRejection', listen);
      }
    } finally {
      helper.close();
    }
  });

  it('maps pages in while this thread fills them, never overwriting a value, and stops when told', async () => {
    const helper = Helper.create(1, 0);
    try {
      const n = 1 << 20; // 8 MiB of float64: 2,048 pages, several slices of them
      const a = sharedFloat64(n);
      const b = sharedUint32(n);
      const c = sharedUint8(n + 3); // not a whole number of int32s
      // A trivial call: answered once the worker has started (and, queued, once it is free).
      const trivial = () =>
        helper.run(
          'fillLabelRetained',
          sharedUint32(1),
          sharedFloat64(1),
          sharedUint32(2),
          sharedUint32(0),
          1,
          sharedFloat64(1),
          6,
          sharedFloat64(0),
          sharedUint32(0),
        );
      // The worker started (a first call answered), so that the touching overlaps the filling.
      await trivial();
      const done = helper.mapAhead([a, b, c]);
      for (let i = 0; i < n; i++) {
        a[i] = i + 0.5;
        b[i] = n - i;
        c[i] = i & 0xff;
      }
      done();
      // A run queued after the touching starts only when it has stopped (or finished).
      await trivial();
      for (let i = 0; i < n; i++) {
        if (a[i] !== i + 0.5 || b[i] !== n - i || c[i] !== (i & 0xff))
          throw new Error(`value ${i} overwritten`);
      }
    } finally {
      helper.close();
    }
    // Told to stop before it starts: touches nothing. Otherwise every page, once.
    const stop = new Int32Array(new SharedArrayBuffer(4));
    const pages = new Int32Array(new SharedArrayBuffer(4 * 1024 * 100 + 8));
    expect(touchPages([pages], stop)).toBe(101);
    Atomics.store(stop, 0, 1);
    expect(touchPages([pages], stop)).toBe(0);
  });
});
