// hashEnds picks duplicates' partitions and table slots: equal strings must hash equal whatever
// their id, and strings of one shape (ids, counters) must spread, or grouping compares bytes for
// every hash that repeats.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { dataView, fmt, hashEnds } from './kinds';

function table(values: string[]) {
  const parts = values.map((v) => new TextEncoder().encode(v));
  const offsets = new Uint32Array(parts.length + 1);
  parts.forEach((p, i) => {
    offsets[i + 1] = offsets[i]! + p.length;
  });
  const bytes = new Uint8Array(offsets[parts.length]!);
  for (let i = 0; i < parts.length; i++) bytes.set(parts[i]!, offsets[i]!);
  return { bytes, offsets, view: dataView(bytes) };
}

describe('hashEnds', () => {
  it('hashes equal strings equal, whatever their id, and tells short ones apart', () => {
    const { bytes, offsets, view } = table([
      '',
      'a',
      'ab',
      'value-x',
      'prefix-long-text-suffix',
      'a',
      'prefix-long-text-suffix',
    ]);
    const h = (id: number, seed = 7) => hashEnds(view, bytes, offsets, id, seed);
    expect(h(5)).toBe(h(1));
    expect(h(6)).toBe(h(4));
    expect(new Set([h(0), h(1), h(2), h(3), h(4)]).size).toBe(5);
    expect(h(1, 8)).not.toBe(h(1, 7)); // the seed (size and kind) is part of the hash
  });

  it('spreads 200,000 values of one shape over distinct hashes and partitions', () => {
    // 'value-' + a base-36 counter, as a heap of parsed records holds: a word-wise FNV gave
    // thousands of repeated hashes here (a byte fed in high bits reaches only the high bits).
    const values = Array.from({ length: 200_000 }, (_, i) => `value-${(i * 7919 + 12345).toString(36)}`);
    const { bytes, offsets, view } = table(values);
    const hashes = new Set<number>();
    const top = new Uint32Array(256);
    for (let id = 0; id < values.length; id++) {
      const h = hashEnds(view, bytes, offsets, id, 61 * 31 + 1);
      hashes.add(h);
      top[h >>> 24]!++;
    }
    // 200,000 random 32-bit hashes repeat ~5 times (birthday bound); allow a few dozen.
    expect(values.length - hashes.size).toBeLessThan(50);
    expect(Math.max(...top)).toBeLessThan((values.length / 256) * 1.2);
  });
});

// fmt writes what toLocaleString('en-US') writes, without it: a process's first call costs ~27 ms.
describe('fmt', () => {
  afterEach(() => {
    vi.restoreAllMocks();
  });

  it('writes rounded numbers as en-US does', () => {
    const values = [
      0, 1, 7.4, 7.5, 999, 1000, 1234.5, 99_999, 100_000, 999_999.6, 12_345_678, -1, -0.2, -999,
    ];
    values.push(-1000, -1_234_567.8, 2 ** 53 - 1, -(2 ** 53 - 1), 2 ** 53 + 2, 1e21, 3.5e22, Number.NaN);
    values.push(Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY);
    for (let x = 1; x < 1e16; x = x * 7 + 3) values.push(x, -x, x + 0.5);
    for (const v of values) expect(fmt(v), String(v)).toBe(Math.round(v).toLocaleString('en-US'));
  });

  it('does not call toLocaleString for a safe integer', () => {
    const spy = vi.spyOn(Number.prototype, 'toLocaleString');
    expect(fmt(1_234_567)).toBe('1,234,567');
    expect(fmt(-42_000.4)).toBe('-42,000');
    expect(spy).not.toHaveBeenCalled();
  });
});
