// Dominators and retained sizes against an independent oracle: for every reachable object, remove it,
// recompute reachability from the roots, and call "retained" what became unreachable. Hundreds of
// random graphs with weak edges, cycles, self-loops, objects held from C and unreachable parts.
import { describe, expect, it } from 'vitest';
import { SnapshotBuilder } from '../format/builder';
import { EDGE_KIND_NAMES, type EdgeKindName } from '../format/spec';
import { loadSnapshot } from '../index';
import { FIRST_OBJECT, GROUP_UNREACHABLE } from './layout';

interface Spec {
  n: number;
  size: number[];
  type: string[];
  edges: [number, number, EdgeKindName][];
  roots: number[];
  /** Extra references held from C (refcount above the strong in-degree). */
  extraRef: number[];
  immortal: boolean[];
}

/** Small deterministic PRNG so a failure names a reproducible seed. */
function rng(seed: number): () => number {
  // Scramble the seed: xorshift's first outputs for small seeds are tiny.
  let s = (Math.imul(seed, 0x9e3779b1) ^ 0x5bd1e995) >>> 0 || 1;
  const next = () => {
    s ^= s << 13;
    s >>>= 0;
    s ^= s >>> 17;
    s ^= s << 5;
    s >>>= 0;
    return s / 4294967296;
  };
  for (let i = 0; i < 8; i++) next();
  return next;
}

/**
 * `treeLike`: each object referenced once from an earlier one, plus a few extra references, as in
 * real heaps (most objects are leaves referenced once: the dominator stage's shortcut for them is
 * exercised here); otherwise up to 2.5 random references per object.
 */
function randomSpec(seed: number, maxNodes = 30, treeLike = false): Spec {
  const r = rng(seed);
  const n = 1 + Math.floor(r() * maxNodes);
  const types = ['dict', 'list', 'app.Node', 'str'];
  const spec: Spec = { n, size: [], type: [], edges: [], roots: [], extraRef: [], immortal: [] };
  for (let i = 0; i < n; i++) {
    spec.size.push(1 + Math.floor(r() * 100));
    spec.type.push(types[Math.floor(r() * types.length)]!);
    spec.extraRef.push(r() < 0.08 ? 1 : 0);
    spec.immortal.push(r() < 0.05);
  }
  if (treeLike) {
    for (let b = 1; b < n; b++) {
      const kind: EdgeKindName = r() < 0.05 ? 'weak' : (EDGE_KIND_NAMES[Math.floor(r() * 9)] as EdgeKindName);
      spec.edges.push([Math.floor(r() * b), b, kind]);
    }
  }
  const m = Math.floor(r() * n * (treeLike ? 0.3 : 2.5));
  for (let e = 0; e < m; e++) {
    const a = Math.floor(r() * n);
    const b = r() < 0.05 ? a : Math.floor(r() * n); // self-loops
    const kind: EdgeKindName = r() < 0.15 ? 'weak' : (EDGE_KIND_NAMES[Math.floor(r() * 9)] as EdgeKindName);
    spec.edges.push([a, b, kind]);
  }
  const rootCount = treeLike ? 1 + Math.floor(r() * 2) : Math.floor(r() * 4);
  for (let i = 0; i < rootCount; i++) spec.roots.push(Math.floor(r() * n));
  return spec;
}

function build(spec: Spec): Uint8Array {
  const g = new SnapshotBuilder();
  const strongIn = new Array<number>(spec.n).fill(0);
  for (const [, b, k] of spec.edges) if (k !== 'weak') strongIn[b]!++;
  for (let i = 0; i < spec.n; i++) {
    g.node(spec.type[i]!, spec.size[i]!, {
      refcount: strongIn[i]! + spec.extraRef[i]!,
      flags: spec.immortal[i] ? 4 : 1,
    });
  }
  for (const [a, b, k] of spec.edges) g.edge(a, b, k, k === 'index' ? 0 : 'x');
  spec.roots.forEach((v, i) => {
    g.root(v, i % 2 ? 'thread' : 'module', `root${i}`);
  });
  return g.toBytes({ chunk: 7 });
}

/**
 * Roots as the format defines them: ROOT records, objects held from C (not immortal) and immortal
 * objects (the interpreter keeps them: freeing what refers to them frees none of them).
 */
function oracleRoots(spec: Spec): Set<number> {
  const roots = new Set(spec.roots);
  for (let i = 0; i < spec.n; i++) if (spec.extraRef[i]! > 0 || spec.immortal[i]) roots.add(i);
  return roots;
}

function reach(spec: Spec, roots: Set<number>, removed: number): Set<number> {
  const seen = new Set<number>();
  const stack: number[] = [];
  for (const r of roots) {
    if (r !== removed && !seen.has(r)) {
      seen.add(r);
      stack.push(r);
    }
  }
  while (stack.length) {
    const v = stack.pop()!;
    for (const [a, b, k] of spec.edges) {
      if (a !== v || k === 'weak' || b === removed || seen.has(b)) continue;
      seen.add(b);
      stack.push(b);
    }
  }
  return seen;
}

describe('dominators and retained sizes match the remove-and-recompute oracle', () => {
  it.each([
    { graphs: '400 small', first: 1, last: 400, maxNodes: 30 },
    { graphs: '40 larger', first: 1001, last: 1040, maxNodes: 150 },
    { graphs: '300 tree-like', first: 2001, last: 2300, maxNodes: 40, treeLike: true },
    // The two-thread path (parallel/) on graphs far below its size threshold.
    { graphs: '50 small, two threads,', first: 1, last: 50, maxNodes: 30, parallel: true },
    {
      graphs: '50 tree-like, two threads,',
      first: 2001,
      last: 2050,
      maxNodes: 40,
      treeLike: true,
      parallel: true,
    },
  ])('on $graphs random graphs', async ({ first, last, maxNodes, treeLike, parallel }) => {
    for (let seed = first; seed <= last; seed++) {
      const spec = randomSpec(seed, maxNodes, treeLike);
      const snap = await loadSnapshot(
        { bytes: build(spec), name: `random-${seed}.pyheap` },
        parallel ? { parallelMinObjects: 0 } : {},
      );
      const g = snap.graph;
      const roots = oracleRoots(spec);
      const live = reach(spec, roots, -1);
      const sizeOf = (set: Iterable<number>) => [...set].reduce((s, v) => s + spec.size[v]!, 0);
      const info = snap.info('x', 'x', null);
      expect(info.totals.unreachable, `seed ${seed}`).toBe(spec.n - live.size);
      expect(info.totals.reachableShallow, `seed ${seed}`).toBe(sizeOf(live));
      expect(g.retained[0], `seed ${seed}`).toBe(sizeOf(live));
      const dominated = new Map<number, Set<number>>();
      for (const v of live) {
        const after = reach(spec, roots, v);
        const gone = new Set([...live].filter((w) => !after.has(w)));
        dominated.set(v, gone);
        expect(g.retained[FIRST_OBJECT + v], `seed ${seed} node ${v} retained`).toBe(sizeOf(gone));
      }
      for (const v of live) {
        // idom: the strict dominator of v that every other strict dominator also dominates.
        const doms = [...live].filter((d) => d !== v && dominated.get(d)!.has(v));
        const idom = doms.find((d) => doms.every((o) => o === d || dominated.get(o)!.has(d)));
        const engine = g.nodeIdx2Dominator[FIRST_OBJECT + v]!;
        if (idom === undefined) expect(engine, `seed ${seed} node ${v} idom`).toBeLessThan(FIRST_OBJECT);
        else expect(engine, `seed ${seed} node ${v} idom`).toBe(FIRST_OBJECT + idom);
      }
      checkGarbage(snap, spec, live, seed);
      checkTypeSummary(snap, spec, live, dominated, seed);
    }
  });
});

function checkGarbage(
  snap: Awaited<ReturnType<typeof loadSnapshot>>,
  spec: Spec,
  live: Set<number>,
  seed: number,
): void {
  const g = snap.graph;
  let garbage = 0;
  for (let v = 0; v < spec.n; v++) {
    if (live.has(v)) continue;
    garbage += spec.size[v]!;
    expect(g.distance[FIRST_OBJECT + v], `seed ${seed}`).toBe(-1);
    // Every garbage object hangs under the unreachable group, never under the super-root.
    const chain = snap.dominatorChain({ node: FIRST_OBJECT + v }).map((r) => r.node);
    expect(chain.slice(0, 2), `seed ${seed}`).toEqual([0, GROUP_UNREACHABLE]);
  }
  expect(g.retained[GROUP_UNREACHABLE], `seed ${seed}`).toBe(garbage);
  expect(snap.info('x', 'x', null).totals.unreachableShallow).toBe(garbage);
}

/** Retained per type counts an object only when none of its dominators has its type. */
function checkTypeSummary(
  snap: Awaited<ReturnType<typeof loadSnapshot>>,
  spec: Spec,
  live: Set<number>,
  dominated: Map<number, Set<number>>,
  seed: number,
): void {
  if (live.size !== spec.n) return; // the garbage tree's shape is ours to choose; compare live heaps only
  const expected = new Map<string, number>();
  for (const v of live) {
    const t = spec.type[v]!;
    const nested = [...live].some((d) => d !== v && spec.type[d] === t && dominated.get(d)!.has(v));
    if (!nested) expected.set(t, (expected.get(t) ?? 0) + snap.graph.retained[FIRST_OBJECT + v]!);
  }
  const rows = snap.summary({ range: { start: 0, end: 100 } }).rows;
  for (const row of rows)
    expect(row.retained, `seed ${seed} type ${row.type}`).toBe(expected.get(row.type) ?? 0);
}
