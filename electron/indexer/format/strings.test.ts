// Label search over the string table against the obvious filter: every string that contains the
// needle, with and without the common-prefix array that lets runs of similar strings pass unread.
import { describe, expect, it } from 'vitest';
import { commonPrefixes } from '../parallel/kernels';
import { StringTable } from './strings';

function table(strings: string[]): StringTable {
  const enc = new TextEncoder();
  const bytes = strings.map((s) => enc.encode(s));
  const t = new StringTable(strings.length);
  const all = new Uint8Array(bytes.reduce((n, b) => n + b.length, 0));
  let at = 0;
  for (const b of bytes) {
    all.set(b, at);
    at += b.length;
  }
  t.append(
    Uint32Array.from(bytes, (b) => b.length),
    all,
  );
  t.trim();
  return t;
}

describe('StringTable.markContaining', () => {
  it('finds exactly the strings containing the needle, in runs and alone', () => {
    let seed = 7;
    const rand = (n: number) => {
      seed = (seed * 1103515245 + 12345) >>> 0;
      return (seed >>> 8) % n;
    };
    // Families in runs (shared prefixes of every length, the needle inside and past them), strings
    // of other families between, empty strings, a long shared prefix (> 255 bytes), UTF-8.
    const strings: string[] = [];
    const long = 'x'.repeat(300);
    for (let i = 0; i < 3000; i++) {
      const f = rand(8);
      strings.push(
        f < 3
          ? `value-${rand(5000).toString(36)}`
          : f === 3
            ? `${long}-${rand(40)}ab`
            : f === 4
              ? ''
              : f === 5
                ? `café-${rand(30)}`
                : f === 6
                  ? `a${'b'.repeat(rand(4))}c-value`
                  : `key: ${rand(97)}`,
      );
    }
    const t = table(strings);
    const [blob, offsets, count] = t.prefixInput();
    const prefixes = commonPrefixes(blob, offsets, count);
    const rows = Uint32Array.from({ length: count + 1 }, (_, i) => 3 * i); // 3 objects a string
    for (const needle of [
      'value-',
      'alue-1',
      'v',
      'e-',
      'x-1',
      `${long}-1`,
      'xx-2',
      'é-1',
      'bc-v',
      'key: 9',
      'zz',
    ]) {
      const want = strings.flatMap((s, i) => (s.includes(needle) ? [i] : []));
      for (const withPrefixes of [false, true]) {
        if (withPrefixes) t.setPrefixes(prefixes);
        const bits = new Int32Array((count >>> 5) + 1);
        const k = t.markContaining(needle, bits, rows);
        const got = strings.flatMap((_, i) => ((bits[i >>> 5]! >>> (i & 31)) & 1 ? [i] : []));
        expect(got, `${needle} ${withPrefixes}`).toEqual(want);
        expect(k, needle).toBe(3 * want.length);
      }
    }
  });
});

describe('commonPrefixes', () => {
  it('counts the leading bytes each string shares with the one before, up to 255', () => {
    const long = 'y'.repeat(400);
    const t = table(['abc', 'abd', 'abd', '', 'a', `${long}1`, `${long}2`, 'ab', 'abc']);
    const prefixes = commonPrefixes(...t.prefixInput());
    expect([...prefixes]).toEqual([0, 2, 3, 0, 0, 0, 255, 0, 2]);
  });
});
