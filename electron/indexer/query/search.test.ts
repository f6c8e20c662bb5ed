// Search against the obvious filter: every object whose type name contains the query (ignoring case)
// or whose label contains it (exactly), ranked by retained size (ties by node), paged anywhere: the
// first pages come from a bounded heap, deeper ones from the whole list sorted.
import { describe, expect, it } from 'vitest';
import { SnapshotBuilder } from '../format/builder';
import { FIRST_OBJECT } from '../graph/layout';
import { loadSnapshot } from '../index';

const NONE = 0xffffffff;

async function labelledHeap() {
  const g = new SnapshotBuilder();
  const mod = g.node('module', 72, { label: 'app' });
  g.root(mod, 'module', 'app');
  let seed = 12345;
  const rand = (n: number) => {
    seed = (seed * 1103515245 + 12345) >>> 0;
    return (seed >>> 8) % n;
  };
  for (let i = 0; i < 12000; i++) {
    // Label families (long runs of matching strings), UTF-8, a type name that also occurs in labels,
    // unlabelled objects, and few distinct sizes so that ties are common.
    const family = rand(6);
    const label =
      family === 0
        ? `value-${rand(100000).toString(36)}`
        : family === 1
          ? `café-${rand(50)}`
          : family === 2
            ? `text on str ${i}`
            : family === 3
              ? `key: ${i % 97}`
              : undefined;
    // Two TYPE records named 'str' (its type index and name index differ for one of them).
    const type = family === 4 ? 'app.Strange' : family === 5 ? 'int' : i % 3 === 0 ? 'str@again' : 'str';
    const v =
      label === undefined ? g.node(type, 24 + 8 * rand(2)) : g.node(type, 24 + 8 * rand(2), { label });
    g.edge(mod, v, 'attr', `x${i}`);
    // Some objects hold others, so retained sizes differ from shallow ones.
    if (i > 0 && rand(5) === 0) g.edge(v, v - 1, 'index', '[0]');
  }
  // Labels 'xa#' and '#bx', next to each other in the string table: '##' must not match across them.
  const left = g.node('str', 50, { label: 'xa#' });
  const right = g.node('str', 50, { label: '#bx' });
  g.edge(mod, left, 'attr', 'p').edge(mod, right, 'attr', 'q');
  return loadSnapshot({ bytes: g.toBytes({ chunk: 300 }), name: 'labels.pyheap' });
}

describe('search', () => {
  it('finds what the obvious filter finds, in retained order, on any page', async () => {
    const snap = await labelledHeap();
    const g = snap.graph;
    const typeOf = (v: number) => g.types.names[g.types.typeIdx2Name[g.type[v]!]!]!;
    const labelOf = (v: number) => (g.label[v] === NONE ? '' : g.strings.get(g.label[v]!));
    for (const query of ['value-', 'alue-1', 'fé-1', 'str', 'STRANGE', 'key: 9', '##', 'zzz', 'e', '-']) {
      const want: number[] = [];
      for (let v = FIRST_OBJECT; v < g.nodeCount; v++) {
        if (typeOf(v).toLowerCase().includes(query.toLowerCase()) || labelOf(v).includes(query)) want.push(v);
      }
      want.sort((a, b) => g.retained[b]! - g.retained[a]! || a - b);
      snap.clearCaches();
      const page = (start: number, end: number) =>
        snap.search({ query, range: { start, end } }).rows.map((r) => r.node);
      expect(snap.search({ query, range: { start: 0, end: 0 } }).total, query).toBe(want.length);
      // A window within the heap's reach first (cold), then deeper ones, then the whole list.
      expect(page(0, 100), query).toEqual(want.slice(0, 100));
      expect(page(1900, 2000), query).toEqual(want.slice(1900, 2000)); // the heap's last rows
      expect(page(1950, 2050), query).toEqual(want.slice(1950, 2050));
      expect(page(40, 140), query).toEqual(want.slice(40, 140));
      expect(page(3000, 3100), query).toEqual(want.slice(3000, 3100));
      expect(page(0, 1e9), query).toEqual(want);
    }
    expect(snap.search({ query: '#', range: { start: 0, end: 10 } }).total).toBe(2);
    expect(snap.search({ query: '##', range: { start: 0, end: 10 } }).total).toBe(0);
  });

  it('matches whole labels and whole type names only when the query is in double quotes', async () => {
    const snap = await labelledHeap();
    const g = snap.graph;
    const typeOf = (v: number) => g.types.names[g.types.typeIdx2Name[g.type[v]!]!]!;
    const labelOf = (v: number) => (g.label[v] === NONE ? '' : g.strings.get(g.label[v]!));
    for (const needle of ['key: 9', 'xa#', 'a#', 'café-1', 'Strange', 'str', 'app.Strange', 'key: 9 ', '']) {
      const want: number[] = [];
      for (let v = FIRST_OBJECT; v < g.nodeCount; v++) {
        const type = typeOf(v);
        const typeHit = needle !== '' && (type === needle || type.endsWith(`.${needle}`));
        if (typeHit || (needle !== '' && labelOf(v) === needle)) want.push(v);
      }
      want.sort((a, b) => g.retained[b]! - g.retained[a]! || a - b);
      const query = `"${needle}"`;
      expect(snap.search({ query, range: { start: 0, end: 0 } }).total, query).toBe(want.length);
      expect(
        snap.search({ query, range: { start: 0, end: 1e9 } }).rows.map((r) => r.node),
        query,
      ).toEqual(want);
    }
    // 'key: 9' is a whole label (and a prefix of 'key: 90'); 'a#' only a part of one.
    expect(snap.search({ query: '"key: 9"', range: { start: 0, end: 0 } }).total).toBeGreaterThan(0);
    expect(snap.search({ query: '"a#"', range: { start: 0, end: 0 } }).total).toBe(0);
    expect(snap.search({ query: 'a#', range: { start: 0, end: 0 } }).total).toBe(1);
  });

  it("groups the matches by type, with counts, the largest match's type first", async () => {
    const snap = await labelledHeap();
    const g = snap.graph;
    const typeOf = (v: number) => g.types.names[g.types.typeIdx2Name[g.type[v]!]!]!;
    const all = (query: string) =>
      snap.search({ query, range: { start: 0, end: 1e9 } }).rows.map((r) => r.node);
    const address = `0x${g.address[FIRST_OBJECT + 7]!.toString(16)}`;
    for (const query of ['value-', 'str', 'e', '"key: 9"', '"Strange"', address, 'zzz']) {
      const matches = all(query);
      const want = new Map<string, { count: number; retained: number }>();
      for (const v of matches) {
        const group = want.get(typeOf(v)) ?? { count: 0, retained: -1 };
        want.set(typeOf(v), { count: group.count + 1, retained: Math.max(group.retained, g.retained[v]!) });
      }
      const rows = snap.searchTypes({ query, range: { start: 0, end: 1e9 } }).rows;
      expect(
        rows.map((r) => [r.type, r.count, r.retained]),
        query,
      ).toEqual(
        [...want]
          .sort(([a, x], [b, y]) => y.retained - x.retained || (a < b ? -1 : 1))
          .map(([type, w]) => [type, w.count, w.retained]),
      );
      // Each group's objects are its type's matches, in the same order as the whole list: its first
      // page (cold, from a bounded heap) and all of it.
      for (const row of rows) {
        const want = matches.filter((v) => typeOf(v) === row.type);
        snap.clearCaches();
        const first = snap.search({ query, typeKey: row.typeKey, range: { start: 0, end: 100 } });
        expect(
          first.rows.map((r) => r.node),
          `${query} ${row.type}`,
        ).toEqual(want.slice(0, 100));
        const page = snap.search({ query, typeKey: row.typeKey, range: { start: 0, end: 1e9 } });
        expect(page.total, `${query} ${row.type}`).toBe(row.count);
        expect(page.rows.map((r) => r.node)).toEqual(want);
      }
    }
    expect(() => snap.search({ query: 'str', typeKey: 'no.such.Type', range: { start: 0, end: 1 } })).toThrow(
      /no type no.such.Type/,
    );
  });
});
