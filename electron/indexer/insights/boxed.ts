// Boxed numbers: long lists and tuples whose elements are all float, or all int that fit in 64 bits.
// Each element is a separate object (a float: 24 B) plus an 8-byte pointer; `array('d')` /
// `array('q')` store 8 bytes an element. Saving = the container + the elements it alone keeps
// (its dominator-tree children: shared numbers and the cached small ints stay) − the array.
import { EDGE_KIND } from '../format/spec';
import type { HeapGraph } from '../graph/heap-graph';
import { FIRST_OBJECT } from '../graph/layout';
import { OWNER_SAMPLE } from './duplicates';
import { type Candidate, fmt, K } from './kinds';
import type { Layout } from './layouts';

/** Shorter sequences save too little for the change to be worth it (and are often records). */
export const MIN_BOXED_LENGTH = 64;
/** An int's `sys.getsizeof` up to 32 B means |value| < 2^60: it fits an array('q') item. */
const MAX_INT64_SIZE = 32;

export function boxedNumbers(g: HeapGraph, kinds: Uint8Array, layout: Layout, numpy: boolean): Candidate[] {
  const out: Candidate[] = [];
  for (const element of [K.FLOAT, K.INT]) {
    const nodes: number[] = [];
    const waste: number[] = [];
    let count = 0;
    let elements = 0;
    let total = 0;
    for (let v = FIRST_OBJECT; v < g.nodeCount; v++) {
      const k = kinds[g.type[v]!];
      if ((k !== K.LIST && k !== K.TUPLE) || g.length[v]! < MIN_BOXED_LENGTH || g.length[v] === 0xffffffff)
        continue;
      if (!allOf(g, kinds, v, element)) continue;
      const saved = g.size[v]! + ownedElements(g, v) - (layout.arrayEmpty + 8 * g.length[v]!);
      if (saved <= 0) continue;
      count++;
      elements += g.length[v]!;
      total += saved;
      if (nodes.length < OWNER_SAMPLE) {
        nodes.push(v);
        waste.push(saved);
      }
    }
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
      nodes: Uint32Array.from(nodes),
      nodeWaste: Float64Array.from(waste),
    });
  }
  return out;
}

function allOf(g: HeapGraph, kinds: Uint8Array, v: number, element: number): boolean {
  let items = 0;
  for (let e = g.firstEdge[v]!; e < g.firstEdge[v + 1]!; e++) {
    if (g.edgeKind[e] !== EDGE_KIND.INDEX) continue;
    const t = g.edgeTarget[e]!;
    if (kinds[g.type[t]!] !== element) return false;
    if (element === K.INT && g.size[t]! > MAX_INT64_SIZE) return false;
    items++;
  }
  return items === g.length[v];
}

/** Bytes of the numbers only `v` keeps alive: its dominator-tree children. */
function ownedElements(g: HeapGraph, v: number): number {
  let bytes = 0;
  const { domFirst, domChildren } = g.tree;
  for (let i = domFirst[v]!; i < domFirst[v + 1]!; i++) bytes += g.size[domChildren[i]!]!;
  return bytes;
}
