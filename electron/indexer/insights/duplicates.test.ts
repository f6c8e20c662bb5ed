// Duplicates on hand-made graphs: equal values of equal size group; strings that share their ends
// but differ inside, truncated labels and sizes that differ never do.
import { describe, expect, it } from 'vitest';
import { SnapshotBuilder } from '../format/builder';
import { OBJ_FLAG } from '../format/spec';
import { loadSnapshot } from '../index';
import { dataView, K, valueHash } from './kinds';

async function insights(build: (g: SnapshotBuilder, holder: number) => void) {
  const g = new SnapshotBuilder();
  const holder = g.node('list', 1000);
  g.root(holder, 'module', 'app');
  build(g, holder);
  const snap = await loadSnapshot({ bytes: g.toBytes(), name: 'dups.pyheap' });
  return snap.insights({ limit: 50 }).findings.filter((f) => f.kind === 'duplicate-values');
}

function str(g: SnapshotBuilder, holder: number, value: string, size: number, index: number, flags = 0) {
  const s = g.node('str', size, { label: value, length: value.length, flags });
  g.edge(holder, s, 'index', index);
}

describe('duplicate values', () => {
  it('groups exact copies only, by content and size', async () => {
    const middle = (c: string) => `prefix-long-${c.repeat(20)}-suffix-long`;
    const found = await insights((g, h) => {
      let i = 0;
      for (let k = 0; k < 3; k++) str(g, h, middle('a'), 110, i++);
      for (let k = 0; k < 2; k++) str(g, h, middle('b'), 110, i++); // same ends, other middle
      str(g, h, middle('a'), 120, i++); // same value, other size (another kind of str)
      for (let k = 0; k < 4; k++) str(g, h, 'cut', 200, i++, OBJ_FLAG.LABEL_TRUNCATED);
    });
    const rows = found.map((f) => [f.title.slice(13, 14), f.count, f.wastedBytes]);
    expect(rows).toEqual([
      ['a', 3, 220],
      ['b', 2, 110],
    ]);
    expect(found[0]!.owners).toMatchObject([{ path: 'list → [*]', count: 3, wastedBytes: 220 }]);
  });

  it('counts the bytes of truncated values apart from the hashed and redacted ones', async () => {
    // truncatedBytes is the str/bytes total less the sizes hashing read: redacted and complete
    // values must both be subtracted, bytes objects included.
    const g = new SnapshotBuilder();
    const holder = g.node('list', 1000);
    g.root(holder, 'module', 'app');
    str(g, holder, 'kept', 53, 0);
    str(g, holder, 'kept', 53, 1);
    str(g, holder, 'cut', 300, 2, OBJ_FLAG.LABEL_TRUNCATED);
    str(g, holder, '<redacted>', 77, 3, OBJ_FLAG.REDACTED);
    const b = g.node('bytes', 4033, { length: 4000 }); // no label: its value is not in the snapshot
    g.edge(holder, b, 'index', 4);
    const snap = await loadSnapshot({ bytes: g.toBytes(), name: 'dups.pyheap' });
    const notCounted = snap.insights({ limit: 0 }).notCounted;
    expect(notCounted).toContain(
      "2 str/bytes objects (4,333 B) longer than the dump's labels: their full value is not in the snapshot, so their duplicates are not counted.",
    );
    expect(notCounted).toContain('1 strings were redacted by the dumper: not checked for duplicates.');
  });

  it('groups exactly across many hash partitions, with skipped strings among the candidates', async () => {
    // 3,000 values with 1–5 copies of 40 B each, between 30,000 truncated strings: the strings span
    // several partitions (counted while hashing, before the truncated ones are skipped).
    const g = new SnapshotBuilder();
    const holder = g.node('list', 1000);
    g.root(holder, 'module', 'app');
    let i = 0;
    let findings = 0;
    let wasted = 0;
    for (let v = 0; v < 3000; v++) {
      const copies = (v % 5) + 1;
      for (let c = 0; c < copies; c++) {
        str(g, holder, `value-${v}`, 40, i++);
        for (let t = 0; t < 3; t++) str(g, holder, `cut-${i}-${t}`, 90, i++, OBJ_FLAG.LABEL_TRUNCATED);
      }
      if (copies > 1) findings++;
      wasted += (copies - 1) * 40;
    }
    const snap = await loadSnapshot({ bytes: g.toBytes(), name: 'dups.pyheap' });
    const totals = snap.insights({ limit: 0 }).totals.find((t) => t.kind === 'duplicate-values');
    expect(totals).toEqual({ kind: 'duplicate-values', findings, count: 8400, wastedBytes: wasted });
  });

  it('hashes apart values that share their length and both ends', () => {
    // URLs and JSON bodies differ only inside: one hash for all of them made grouping quadratic.
    const values = Array.from(
      { length: 2000 },
      (_, k) => `{"path": "/item/${1000 + k}?x=1", "items": [0, 1, 2]}`,
    );
    const encoded = values.map((v) => new TextEncoder().encode(v));
    const offsets = new Uint32Array(values.length + 1);
    for (const [k, e] of encoded.entries()) offsets[k + 1] = offsets[k]! + e.length;
    const bytes = new Uint8Array(offsets[values.length]!);
    for (const [k, e] of encoded.entries()) bytes.set(e, offsets[k]!);
    const view = dataView(bytes);
    const hashes = new Set(values.map((_, k) => valueHash(view, bytes, offsets, k, 7)));
    expect(hashes.size).toBeGreaterThan(1990); // 32-bit hashes: a collision or two at most
    // Equal values hash equal whatever their id, short (by their ends) or long (every word, the
    // last one overlapping: 21 bytes), and at any alignment in the string table.
    for (const value of ['abcabc', 'abcdefghijklmnopqrstu']) {
      const one = new TextEncoder().encode(value);
      const twice = new Uint8Array([...one, ...one]);
      const at = new Uint32Array([0, one.length, 2 * one.length]);
      const v = dataView(twice);
      expect(valueHash(v, twice, at, 0, 7)).toBe(valueHash(v, twice, at, 1, 7));
    }
  });

  it('groups 30,000 distinct values with shared ends quickly, and exactly', async () => {
    const started = performance.now();
    const found = await insights((g, h) => {
      let i = 0;
      for (let k = 0; k < 30_000; k++) str(g, h, `/item/id-${100_000 + k}?x=1&page=1`, 70, i++);
      for (let k = 0; k < 3; k++) str(g, h, '/item/id-123456?x=1&page=1', 70, i++);
    });
    expect(found.map((f) => [f.count, f.wastedBytes])).toEqual([[4, 210]]);
    expect(performance.now() - started).toBeLessThan(15_000); // minutes with one probe chain
  });

  it('tells apart values whose hashes collide, whichever copy comes first', async () => {
    // Two distinct values of one size with one 32-bit hash (found by search: the birthday bound
    // gives one among ~100,000): grouping must compare bytes — the first copy of a hash is held
    // back until the hash repeats, then grouped with the rest.
    const size = 60;
    const [a, b] = collidingValues(size);
    const found = await insights((g, h) => {
      let i = 0;
      str(g, h, 'alone', size, i++);
      str(g, h, a, size, i++); // held back; becomes a group of one when b repeats its hash
      for (let k = 0; k < 3; k++) str(g, h, b, size, i++);
      str(g, h, a, size, i++);
      str(g, h, 'single', size, i++);
    });
    expect(found.map((f) => [JSON.parse(f.title.split(' (')[0]!), f.count, f.wastedBytes])).toEqual([
      [b, 3, 2 * size],
      [a, 2, size],
    ]);
  });
});

/** Two distinct ASCII values whose valueHash (as a str of `size` bytes) is equal. */
function collidingValues(size: number): [string, string] {
  // 2^18 values of 13 bytes in one string table: ~8 colliding pairs expected (n² / 2^33).
  const n = 1 << 18;
  const width = 13;
  const bytes = new Uint8Array(n * width);
  const encoder = new TextEncoder();
  // Varying in the first and the last word: a change in one word alone never collides (each
  // murmur step is a bijection of its word).
  const part = (x: number) => x.toString(36).padStart(4, '0');
  const value = (k: number) => `${part(k >>> 9)}-mid-${part(k & 511)}`;
  for (let k = 0; k < n; k++) encoder.encodeInto(value(k), bytes.subarray(k * width));
  const offsets = Uint32Array.from({ length: n + 1 }, (_, k) => k * width);
  const view = dataView(bytes);
  const seen = new Map<number, number>();
  for (let k = 0; k < n; k++) {
    const h = valueHash(view, bytes, offsets, k, size * 31 + K.STR);
    const other = seen.get(h);
    if (other !== undefined) return [value(other), value(k)];
    seen.set(h, k);
  }
  throw new Error('no two values share a hash');
}
