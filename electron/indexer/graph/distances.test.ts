// BFS distances against a plain breadth-first search over the same graph: objects with no strong
// reference out are never queued by the indexer's BFS, yet each must get its depth; weak references
// never make an object reachable; unreachable objects stay at -1; held-from-C and immortal objects
// are roots of last resort (reached through references first). One thread and two.
import { describe, expect, it } from 'vitest';
import { SnapshotBuilder } from '../format/builder';
import { EDGE_KIND, OBJ_FLAG } from '../format/spec';
import { Xorshift } from '../format/synthetic-python';
import { loadSnapshot } from '../index';
import type { HeapGraph } from './heap-graph';
import { FIRST_OBJECT, GROUP_UNREACHABLE, LAST_RESORT_GROUPS } from './layout';

function heap(): Uint8Array {
  const random = new Xorshift(7);
  const rand = (n: number) => Math.floor(random.next() * n);
  const g = new SnapshotBuilder();
  const count = 30_000;
  // Some objects are also held from C (a refcount above their references), some immortal.
  for (let i = 0; i < count; i++) {
    const hidden = rand(40) === 0 ? 1 : 0;
    const flags = rand(60) === 0 ? OBJ_FLAG.IMMORTAL : 0;
    g.node(i % 2 ? 'str' : 'list', 32, hidden ? { refcount: 1000, flags } : { flags });
  }
  for (let r = 0; r < 5; r++) g.root(rand(count), 'module', `m${r}`);
  for (let v = 0; v < count; v++) {
    if (v % 2) continue; // strs reference nothing: the leaves
    for (let k = 1 + rand(6); k > 0; k--) g.edge(v, rand(count), rand(8) === 0 ? 'weak' : 'index', k);
  }
  return g.toBytes({ chunk: 2000 });
}

/** BFS from the super-root without the last-resort groups, then from each of them in turn. */
function plainBfs(g: HeapGraph): { distance: Int32Array; tier: Uint8Array } {
  const distance = new Int32Array(g.nodeCount).fill(-1);
  const tier = new Uint8Array(g.nodeCount);
  let phase = 0;
  const deferred = new Set<number>(LAST_RESORT_GROUPS);
  const out = (v: number): number[] => {
    const targets: number[] = [];
    if (v < FIRST_OBJECT) {
      for (let i = g.synthetic.first[v]!; i < g.synthetic.first[v + 1]!; i++)
        targets.push(g.synthetic.target[i]!);
    } else {
      for (let e = g.firstEdge[v]!; e < g.firstEdge[v + 1]!; e++)
        if (g.edgeKind[e] !== EDGE_KIND.WEAK) targets.push(g.edgeTarget[e]!);
    }
    return targets;
  };
  const run = (queue: number[]) => {
    for (let q = 0; q < queue.length; q++) {
      const v = queue[q]!;
      for (const t of out(v)) {
        if (distance[t] !== -1) continue;
        distance[t] = distance[v]! + 1;
        tier[t] = phase;
        if (!deferred.has(t)) queue.push(t);
      }
    }
  };
  distance[0] = 0;
  run([0]);
  for (const group of LAST_RESORT_GROUPS) {
    phase++;
    run([group]);
  }
  return { distance, tier };
}

describe('distances', () => {
  for (const [name, parallelMinObjects] of [
    ['one thread', Number.MAX_SAFE_INTEGER],
    ['two threads', 0],
  ] as const) {
    it(`match a plain BFS, leaves and unreachable objects included, on ${name}`, async () => {
      const g = (await loadSnapshot({ bytes: heap(), name: 'd' }, { parallelMinObjects })).graph;
      const { distance: want, tier } = plainBfs(g);
      const wrongTier = Array.from(tier).flatMap((t, v) => (g.nodeIdx2RootTier[v] === t ? [] : [v]));
      expect(wrongTier.slice(0, 5)).toEqual([]);
      expect(new Set(tier).size).toBe(3);
      // The unreachable group is numbered apart from the super-root's tree: not part of the BFS.
      want[GROUP_UNREACHABLE] = g.distance[GROUP_UNREACHABLE]!;
      const wrong = Array.from(want).flatMap((d, v) => (g.distance[v] === d ? [] : [v]));
      expect(wrong.slice(0, 5)).toEqual([]);
      const leavesReached = Array.from(want).filter(
        (d, v) => d > 0 && v >= FIRST_OBJECT && (v - FIRST_OBJECT) % 2,
      );
      expect(leavesReached.length).toBeGreaterThan(1000);
      expect(Array.from(want).filter((d, v) => d === -1 && v >= FIRST_OBJECT).length).toBeGreaterThan(100);
      // Held-from-C objects both reached through references (further than 2) and seeded (at 2).
      const held = Array.from(want).filter((_, v) => v >= FIRST_OBJECT && g.nodeIdx2RootGroups[v]! & 8);
      expect(held.filter((d) => d > 2).length).toBeGreaterThan(20);
      expect(held.filter((d) => d === 2).length).toBeGreaterThan(20);
    });
  }
});
