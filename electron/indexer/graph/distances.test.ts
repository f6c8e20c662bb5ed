// BFS distances against a plain breadth-first search over the same graph: objects with no strong
// reference out are never queued by the indexer's BFS, yet each must get its depth; weak references
// never make an object reachable; unreachable objects stay at -1. One thread and two.
import { describe, expect, it } from 'vitest';
import { SnapshotBuilder } from '../format/builder';
import { EDGE_KIND } from '../format/spec';
import { Xorshift } from '../format/synthetic-python';
import { loadSnapshot } from '../index';
import type { HeapGraph } from './heap-graph';
import { FIRST_OBJECT } from './layout';

function heap(): Uint8Array {
  const random = new Xorshift(7);
  const rand = (n: number) => Math.floor(random.next() * n);
  const g = new SnapshotBuilder();
  const count = 30_000;
  for (let i = 0; i < count; i++) g.node(i % 2 ? 'str' : 'list', 32);
  for (let r = 0; r < 5; r++) g.root(rand(count), 'module', `m${r}`);
  for (let v = 0; v < count; v++) {
    if (v % 2) continue; // strs reference nothing: the leaves
    for (let k = 1 + rand(6); k > 0; k--) g.edge(v, rand(count), rand(8) === 0 ? 'weak' : 'index', k);
  }
  return g.toBytes({ chunk: 2000 });
}

function plainBfs(g: HeapGraph): Int32Array {
  const distance = new Int32Array(g.nodeCount).fill(-1);
  const queue = [0];
  distance[0] = 0;
  for (let q = 0; q < queue.length; q++) {
    const v = queue[q]!;
    const out: number[] = [];
    if (v < FIRST_OBJECT) {
      for (let i = g.synthetic.first[v]!; i < g.synthetic.first[v + 1]!; i++)
        out.push(g.synthetic.target[i]!);
    } else {
      for (let e = g.firstEdge[v]!; e < g.firstEdge[v + 1]!; e++)
        if (g.edgeKind[e] !== EDGE_KIND.WEAK) out.push(g.edgeTarget[e]!);
    }
    for (const t of out) {
      if (distance[t] !== -1) continue;
      distance[t] = distance[v]! + 1;
      queue.push(t);
    }
  }
  return distance;
}

describe('distances', () => {
  for (const [name, parallelMinObjects] of [
    ['one thread', Number.MAX_SAFE_INTEGER],
    ['two threads', 0],
  ] as const) {
    it(`match a plain BFS, leaves and unreachable objects included, on ${name}`, async () => {
      const g = (await loadSnapshot({ bytes: heap(), name: 'd' }, { parallelMinObjects })).graph;
      const want = plainBfs(g);
      // The unreachable group is numbered apart from the super-root's tree: not part of the BFS.
      want[6] = g.distance[6]!;
      expect(Array.from(g.distance)).toEqual(Array.from(want));
      const leavesReached = Array.from(want).filter(
        (d, v) => d > 0 && v >= FIRST_OBJECT && (v - FIRST_OBJECT) % 2,
      );
      expect(leavesReached.length).toBeGreaterThan(1000);
      expect(Array.from(want).filter((d, v) => d === -1 && v >= FIRST_OBJECT).length).toBeGreaterThan(100);
    });
  }
});
