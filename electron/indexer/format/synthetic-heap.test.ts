// The synthetic shapes the benchmark runs on: "python" must keep the statistics measured on real
// dumps (docs/PERFORMANCE.md, "Synthetic heap shapes"), or the benchmark stops meaning anything;
// "random" must stay the harder graph it is kept for.
import { describe, expect, it } from 'vitest';
import { loadSnapshot } from '../index';
import { EDGE_KIND } from './spec';
import { type SyntheticShape, writeSyntheticHeap } from './synthetic-heap';
import { memorySink } from './writer';

async function stats(shape: SyntheticShape, objects: number) {
  const out = memorySink();
  const written = writeSyntheticHeap(out.sink, { objects, shape });
  const snap = await loadSnapshot({ bytes: out.bytes(), name: shape });
  const g = snap.graph;
  const n = g.nodeCount;
  const strongIn = new Uint32Array(n);
  let leaves = 0;
  let strong = 0;
  let near = 0;
  for (let v = 7; v < n; v++) {
    let out = 0;
    for (let e = g.firstEdge[v]!; e < g.firstEdge[v + 1]!; e++) {
      if (g.edgeKind[e] === EDGE_KIND.WEAK) continue;
      const t = g.edgeTarget[e]!;
      strongIn[t]++;
      if (Math.abs(t - v) < 64) near++;
      out++;
      strong++;
    }
    if (out === 0) leaves++;
  }
  let once = 0;
  let maxDistance = 0;
  for (let v = 7; v < n; v++) {
    if (strongIn[v] === 1) once++;
    maxDistance = Math.max(maxDistance, g.distance[v]!);
  }
  const m = n - 7;
  return {
    written,
    leaves: leaves / m,
    once: once / m,
    edgesPerObject: strong / m,
    maxDistance,
    near: near / strong,
    unreachable: g.totals.unreachable / m,
  };
}

describe('synthetic heap shapes', () => {
  it('"python" matches real dumps: referenced once, half leaves, ~2 edges each, shallow', async () => {
    const s = await stats('python', 200_000);
    expect(s.written.objects).toBe(200_000);
    expect(s.once).toBeGreaterThan(0.93); // real dumps: 0.935–0.978
    expect(s.once).toBeLessThan(0.98);
    expect(s.leaves).toBeGreaterThan(0.43); // real: 0.43–0.54
    expect(s.leaves).toBeLessThan(0.6);
    expect(s.edgesPerObject).toBeGreaterThan(1.5); // real: 1.93–2.24
    expect(s.edgesPerObject).toBeLessThan(3);
    expect(s.maxDistance).toBeLessThan(45); // real: 13; records here nest a little deeper (~30)
    expect(s.near).toBeGreaterThan(0.3); // real: 0.35–0.47 of references within 64 objects in file order
    expect(s.near).toBeLessThan(0.55);
    expect(s.unreachable).toBeCloseTo(0.003, 3);
  });

  it('"random" stays the stress case: most objects shared, few leaves', async () => {
    const s = await stats('random', 200_000);
    expect(s.once).toBeLessThan(0.4);
    expect(s.leaves).toBeLessThan(0.1);
  });
});
