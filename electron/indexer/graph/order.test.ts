// sortGroups against the obvious sort: every group by key, ties by node index, whichever of its two
// paths (insertion sort for short groups, radix sort for long ones) a group takes.
import { describe, expect, it } from 'vitest';
import { sortGroups } from './order';

function random(seed: number): () => number {
  let s = seed >>> 0 || 1;
  return () => {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    return (s >>> 0) / 2 ** 32;
  };
}

describe('sortGroups', () => {
  it('orders each group by key, ties by node index, in place or into another array', () => {
    for (let trial = 0; trial < 60; trial++) {
      const rand = random(trial + 1);
      const nodes = 2000;
      // Few distinct keys, so ties are common; fractional keys in some trials (the comparison path).
      const fractional = trial % 5 === 0;
      const key = Float64Array.from({ length: nodes }, () =>
        fractional ? Math.floor(rand() * 20) / 3 : Math.floor(rand() * 20),
      );
      const sizes = Array.from({ length: 40 }, () => Math.floor(rand() * (rand() < 0.2 ? 200 : 18)));
      const first = new Uint32Array(sizes.length + 1);
      sizes.forEach((size, k) => {
        first[k + 1] = first[k]! + size;
      });
      // Each group: distinct nodes in ascending order, as the callers lay them out.
      const items = new Uint32Array(first[sizes.length]!);
      for (let k = 0; k < sizes.length; k++) {
        const picked = new Set<number>();
        while (picked.size < sizes[k]!) picked.add(Math.floor(rand() * nodes));
        items.set(
          [...picked].sort((a, b) => a - b),
          first[k]!,
        );
      }
      const desc = trial % 2 === 0;
      const expected = new Uint32Array(items.length);
      for (let k = 0; k < sizes.length; k++) {
        const group = [...items.subarray(first[k]!, first[k + 1]!)];
        group.sort((a, b) => (desc ? key[b]! - key[a]! : key[a]! - key[b]!) || a - b);
        expected.set(group, first[k]!);
      }
      const out = new Uint32Array(items.length);
      sortGroups(key, desc, first, items, out);
      expect(Array.from(out)).toEqual(Array.from(expected));
      const inPlace = Uint32Array.from(items);
      sortGroups(key, desc, first, inPlace, inPlace);
      expect(Array.from(inPlace)).toEqual(Array.from(expected));
    }
  });
});
