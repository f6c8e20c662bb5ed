// Boxed numbers: long lists and tuples whose elements are all float, or all int that fit in 64 bits.
// Each element is a separate object (a float: 24 B) plus an 8-byte pointer; `array('d')` /
// `array('q')` store 8 bytes an element. Saving = the container + the elements it alone keeps
// (its dominator-tree children: shared numbers and the cached small ints stay) − the array.
import { EDGE_KIND } from '../format/spec';
import type { HeapGraph } from '../graph/heap-graph';
import { type Candidate, fmt, K, lazyMembers, MemberList, nodesOf } from './kinds';
import type { Layout } from './layouts';

/** Shorter sequences save too little for the change to be worth it (and are often records). */
export const MIN_BOXED_LENGTH = 64;
/** An int's `sys.getsizeof` up to 32 B means |value| < 2^60: it fits an array('q') item. */
const MAX_INT64_SIZE = 32;

export function boxedNumbers(g: HeapGraph, kinds: Uint8Array, layout: Layout, numpy: boolean): Candidate[] {
  const out: Candidate[] = [];
  const { length, size } = g;
  const sequences = [nodesOf(g, 'list'), nodesOf(g, 'tuple')];
  const savingOf = (element: number) => (v: number) => {
    const n = length[v]!;
    if (n < MIN_BOXED_LENGTH || n === 0xffffffff || !allOf(g, kinds, v, element)) return 0;
    return Math.max(0, size[v]! + ownedElements(g, v) - (layout.arrayEmpty + 8 * n));
  };
  const tallies = tally(g, kinds, sequences, [savingOf(K.FLOAT), savingOf(K.INT)]);
  for (const element of [K.FLOAT, K.INT]) {
    const saving = savingOf(element);
    const { count, elements, total } = tallies[element === K.FLOAT ? 0 : 1]!;
    if (count === 0) continue;
    const name = element === K.FLOAT ? 'float' : 'int';
    const code = element === K.FLOAT ? "'d'" : "'q'";
    out.push({
      kind: 'boxed-numbers',
      type: name,
      title: `lists/tuples of ${fmt(elements)} boxed ${name}s: ${fmt(count)}`,
      count,
      wastedBytes: total,
      estimate: `Σ (container + the ${name}s only it keeps − (${layout.arrayEmpty} B + 8 B × length))`,
      remedy: `Store them unboxed: array.array(${code}, values)${numpy ? ` or numpy.array(values, dtype=${element === K.FLOAT ? 'float64' : 'int64'})` : ''}; 8 B an element instead of a pointer plus a ${name} object.`,
      members: lazyMembers(() => {
        const list = new MemberList();
        for (const sequence of sequences) {
          for (let i = 0; i < sequence.length; i++) {
            const saved = saving(sequence[i]!);
            if (saved !== 0) list.push(sequence[i]!, saved);
          }
        }
        return list.done();
      }),
    });
  }
  return out;
}

/**
 * Per element kind (float, int), the sequences that would shrink: one pass over the lists and
 * tuples (a sequence's first element tells which kind it could be), not one per kind.
 */
function tally(
  g: HeapGraph,
  kinds: Uint8Array,
  sequences: Uint32Array[],
  savings: [(v: number) => number, (v: number) => number],
) {
  const out = [0, 1].map(() => ({ count: 0, elements: 0, total: 0 }));
  const { length, firstEdge, edgeKind, edgeTarget, type } = g;
  for (const sequence of sequences) {
    for (let i = 0; i < sequence.length; i++) {
      const v = sequence[i]!;
      const n = length[v]!;
      if (n < MIN_BOXED_LENGTH || n === 0xffffffff) continue;
      let first = -1;
      for (let e = firstEdge[v]!; e < firstEdge[v + 1]! && first === -1; e++) {
        if (edgeKind[e] === EDGE_KIND.INDEX) first = kinds[type[edgeTarget[e]!]!]!;
      }
      const at = first === K.FLOAT ? 0 : first === K.INT ? 1 : -1;
      if (at === -1) continue;
      const saved = savings[at]!(v);
      if (saved === 0) continue;
      out[at]!.count++;
      out[at]!.elements += n;
      out[at]!.total += saved;
    }
  }
  return out;
}

function allOf(g: HeapGraph, kinds: Uint8Array, v: number, element: number): boolean {
  const { firstEdge, edgeKind, edgeTarget, type, size } = g;
  let items = 0;
  for (let e = firstEdge[v]!; e < firstEdge[v + 1]!; e++) {
    if (edgeKind[e] !== EDGE_KIND.INDEX) continue;
    const t = edgeTarget[e]!;
    if (kinds[type[t]!] !== element) return false;
    if (element === K.INT && size[t]! > MAX_INT64_SIZE) return false;
    items++;
  }
  return items === g.length[v];
}

/** Bytes of the numbers only `v` keeps alive: its dominator-tree children. */
function ownedElements(g: HeapGraph, v: number): number {
  let bytes = 0;
  const { domFirst, domChildren } = g.tree;
  const size = g.size;
  for (let i = domFirst[v]!; i < domFirst[v + 1]!; i++) bytes += size[domChildren[i]!]!;
  return bytes;
}
