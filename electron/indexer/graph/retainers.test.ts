// The retainer index against its definition, built the obvious way from the edge list: for each
// object, its strong retainers then its weak ones, each part by ascending (source, edge). On one
// thread and on two, over enough objects for hundreds of buckets, with repeated references, weak
// references and one object referenced from everywhere.
import { describe, expect, it } from 'vitest';
import { SnapshotBuilder } from '../format/builder';
import { EDGE_KIND } from '../format/spec';
import { Xorshift } from '../format/synthetic-python';
import { loadSnapshot } from '../index';
import { FIRST_OBJECT } from './layout';

function heap(): Uint8Array {
  const random = new Xorshift(99);
  const rand = (n: number) => Math.floor(random.next() * n);
  const g = new SnapshotBuilder();
  const count = 20_000;
  for (let i = 0; i < count; i++) g.node(i % 3 === 0 ? 'dict' : 'str', 24 + (i % 7));
  g.root(0, 'module', 'app');
  for (let v = 0; v < count; v++) {
    for (let k = rand(4); k > 0; k--) {
      const kind = rand(10) === 0 ? 'weak' : 'attr';
      const t = rand(8) === 0 ? 1 : rand(count); // node 1 is referenced from everywhere
      g.edge(v, t, kind, `a${k}`);
      if (rand(20) === 0) g.edge(v, t, 'attr', `b${k}`); // the same pair twice
    }
  }
  return g.toBytes({ chunk: 1000 });
}

describe('the retainer index', () => {
  for (const [name, parallelMinObjects] of [
    ['one thread', Number.MAX_SAFE_INTEGER],
    ['two threads', 0],
  ] as const) {
    it(`lists each object's strong then weak retainers by source, on ${name}`, async () => {
      const g = (await loadSnapshot({ bytes: heap(), name: 'r' }, { parallelMinObjects })).graph;
      const n = g.nodeCount;
      const rows: [number, number][][] = Array.from({ length: n }, () => []);
      for (let v = 0; v < n; v++) {
        for (let e = g.firstEdge[v]!; e < g.firstEdge[v + 1]!; e++) rows[g.edgeTarget[e]!]!.push([v, e]);
      }
      let weakSeen = 0;
      for (let t = 0; t < n; t++) {
        const isWeak = ([, e]: [number, number]) => g.edgeKind[e] === EDGE_KIND.WEAK;
        const want = [...rows[t]!.filter((r) => !isWeak(r)), ...rows[t]!.filter(isWeak)];
        weakSeen += rows[t]!.filter(isWeak).length;
        const got: [number, number][] = [];
        for (let r = g.firstRetainer[t]!; r < g.firstRetainer[t + 1]!; r++)
          got.push([g.retainerSrc[r]!, g.retainerEdge[r]!]);
        if (JSON.stringify(got) !== JSON.stringify(want)) expect(got, `retainers of node ${t}`).toEqual(want);
      }
      expect(weakSeen).toBeGreaterThan(1000);
      expect(g.firstRetainer[FIRST_OBJECT + 2]! - g.firstRetainer[FIRST_OBJECT + 1]!).toBeGreaterThan(1000); // builder node 1
    });
  }
});
