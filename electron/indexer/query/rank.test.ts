// Ranked windows must equal the same slice of a plain full sort, whichever strategy answers them.
import { describe, expect, it } from 'vitest';
import { rankWindow, sortAll, TopK } from './rank';

function reference(items: Uint32Array, key: ArrayLike<number>, desc: boolean): number[] {
  return [...items].sort((a, b) => (key[a]! - key[b]!) * (desc ? -1 : 1) || a - b);
}

describe('rankWindow', () => {
  it('matches a full sort for heap, radix and comparison paths, with ties', () => {
    const n = 50_000;
    const ints = new Float64Array(n).map((_, i) => (i * 7919) % 1000); // many ties
    const big = new Float64Array(n).map((_, i) => 2 ** 40 + ((i * 104729) % 99991) * 4096);
    const negative = new Int32Array(n).map((_, i) => ((i * 31) % 50) - 1); // like distances (-1)
    const fractions = new Float64Array(n).map((_, i) => ((i * 13) % 97) / 7);
    const items = Uint32Array.from({ length: 30_000 }, (_, i) => (i * 7) % n);
    let run = 0;
    for (const key of [ints, big, negative, fractions]) {
      for (const desc of [true, false]) {
        const want = reference(items, key, desc);
        expect([...sortAll(items, key, desc)]).toEqual(want);
        for (const [start, end] of [
          [0, 100],
          [1500, 1600],
          [14_000, 14_100],
          [29_950, 30_000],
        ] as const) {
          const got = rankWindow(items, key, desc, start, end, `test:${run++}`);
          expect([...got]).toEqual(want.slice(start, end));
          // The same order asked page after page: served from the cached prefix or full order.
          const shared = rankWindow(
            items,
            key,
            desc,
            start,
            end,
            `shared:${desc}:${key.constructor.name}:${key[1]}`,
          );
          expect([...shared]).toEqual(want.slice(start, end));
        }
      }
    }
  });
});

describe('TopK.offerRange', () => {
  it('keeps what offering each node in turn keeps, ties broken by node index', () => {
    const n = 20_000;
    // Mostly one value, as a label search's string sizes are, with nodes mostly ascending.
    const keys = new Float64Array(n).map((_, i) => (i % 53 === 0 ? (i * 7) % 97 : 61));
    const nodes = Uint32Array.from({ length: n }, (_, i) => (i % 101 === 0 ? n - i : i));
    for (const desc of [true, false]) {
      for (const size of [0, 1, 100, 2000, n + 5]) {
        const one = new TopK(keys, desc, size);
        for (let j = 0; j < n; j++) one.offerKeyed(nodes[j]!, keys[j]!);
        const ranged = new TopK(keys, desc, size);
        ranged.offerRange(nodes, keys, 0, 7000);
        ranged.offerRange(nodes, keys, 7000, n);
        expect([...ranged.sorted()], `${desc} ${size}`).toEqual([...one.sorted()]);
      }
    }
  });
});
