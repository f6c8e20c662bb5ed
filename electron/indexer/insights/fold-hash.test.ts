// The byte-level fold must hash exactly the text foldEdge makes of renderEdge's label, for every
// name: owners group by it, and the text shown for an owner is foldEdge's.
import { describe, expect, it } from 'vitest';
import { EDGE_KIND, EDGE_KIND_NAMES } from '../format/spec';
import { foldEdge } from '../leaks/signature';
import { renderEdge } from '../query/rows';
import { EdgeFoldHasher, hashUtf8 } from './fold-hash';

const NAMED = [
  '',
  'x',
  'key_12',
  "'req-5'",
  '17',
  '-3',
  '3.14',
  '-2.5',
  '1.',
  '.5',
  '0x1f',
  '0X1F',
  '10x5',
  '00x1',
  '0xg',
  'a0x1b2z',
  '[1]',
  "'a[1]'",
  "'a[-1.5]'",
  '5]',
  '[5',
  '0x',
  'x0x0x0',
  'é1',
  '日本0x1f',
  "'k' 12 [3.4] 0xAbC9 x",
];

/** Names from the characters the folds look at, seeded (the same on every run). */
function randomNames(count: number): string[] {
  const alphabet = "0123456789xX[]-.aAfFg_'é";
  let seed = 12345;
  const next = () => {
    seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
    return seed >>> 8;
  };
  return Array.from({ length: count }, () =>
    Array.from({ length: 1 + (next() % 12) }, () => alphabet[next() % alphabet.length]).join(''),
  );
}

function table(names: string[]) {
  const parts = names.map((n) => new TextEncoder().encode(n));
  const offsets = new Uint32Array(names.length + 1);
  parts.forEach((p, i) => {
    offsets[i + 1] = offsets[i]! + p.length;
  });
  const bytes = new Uint8Array(offsets[names.length]!);
  for (const [i, p] of parts.entries()) bytes.set(p, offsets[i]!);
  return new EdgeFoldHasher(bytes, offsets);
}

describe('EdgeFoldHasher', () => {
  const names = [...NAMED, ...randomNames(3000)];
  const hasher = table(names);
  for (const kind of [EDGE_KIND.ATTR, EDGE_KIND.INTERNAL, EDGE_KIND.DICT_VALUE, EDGE_KIND.DICT_KEY]) {
    const kindName = EDGE_KIND_NAMES[kind];
    it(`hashes foldEdge's text of ${kindName} edges`, () => {
      const wrong = names.filter(
        (name, id) => hasher.hash(kind, id) !== hashUtf8(foldEdge(renderEdge(kindName, name), kindName)),
      );
      expect(wrong).toEqual([]);
    });
  }

  it('reads every list index as [*], and leaves other kinds to the text', () => {
    expect(hasher.hash(EDGE_KIND.INDEX, 7)).toBe(hashUtf8(foldEdge(renderEdge('index', '7'), 'index')));
    expect(hasher.hash(EDGE_KIND.INDEX, 7)).toBe(hasher.hash(EDGE_KIND.DICT_VALUE, NAMED.indexOf('17')));
    expect(hasher.hash(EDGE_KIND.LOCAL, 1)).toBe(-1);
  });

  it('tells apart names whose folded texts differ', () => {
    const id = (n: string) => NAMED.indexOf(n);
    expect(hasher.hash(EDGE_KIND.DICT_VALUE, id("'req-5'"))).not.toBe(
      hasher.hash(EDGE_KIND.DICT_VALUE, id('x')),
    );
    expect(hasher.hash(EDGE_KIND.ATTR, id('17'))).not.toBe(hasher.hash(EDGE_KIND.DICT_VALUE, id('17')));
  });
});
