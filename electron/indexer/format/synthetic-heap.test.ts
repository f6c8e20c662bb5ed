// The synthetic shapes the benchmark runs on: "python" must keep the statistics measured on real
// dumps (docs/PERFORMANCE.md, "Synthetic heap shapes"), or the benchmark stops meaning anything;
// "random" must stay the harder graph it is kept for.
import { describe, expect, it } from 'vitest';
import { FIRST_OBJECT } from '../graph/layout';
import { shapeStats } from '../graph/shape-stats';
import { loadSnapshot } from '../index';
import { type SyntheticShape, writeSyntheticHeap } from './synthetic-heap';
import { memorySink } from './writer';

async function stats(shape: SyntheticShape, objects: number) {
  const out = memorySink();
  const written = writeSyntheticHeap(out.sink, { objects, shape });
  const snap = await loadSnapshot({ bytes: out.bytes(), name: shape });
  const g = snap.graph;
  return { written, unreachable: g.totals.unreachable / (g.nodeCount - FIRST_OBJECT), ...shapeStats(g) };
}

describe('synthetic heap shapes', () => {
  it('"python" matches real dumps: referenced once, half leaves, ~2 edges each, shallow', async () => {
    const s = await stats('python', 200_000);
    expect(s.written.objects).toBe(200_000);
    expect(s.referencedOnce).toBeGreaterThan(0.93); // real dumps: 0.935–0.978
    expect(s.referencedOnce).toBeLessThan(0.98);
    expect(s.leaves).toBeGreaterThan(0.43); // real: 0.43–0.54
    expect(s.leaves).toBeLessThan(0.6);
    expect(s.refsPerObject).toBeGreaterThan(1.5); // real: 1.93–2.24
    expect(s.refsPerObject).toBeLessThan(3);
    expect(s.maxDistance).toBeLessThan(45); // real: 13; records here nest a little deeper (~30)
    expect(s.near64).toBeGreaterThan(0.3); // real: 0.35–0.47 of references within 64 objects in file order
    expect(s.near64).toBeLessThan(0.55);
    expect(s.unreachable).toBeCloseTo(0.003, 3);
  });

  it('"random" stays the stress case: most objects shared, few leaves', async () => {
    const s = await stats('random', 200_000);
    expect(s.referencedOnce).toBeLessThan(0.4);
    expect(s.leaves).toBeLessThan(0.1);
  });
});
