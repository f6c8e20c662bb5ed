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
  const sequences = [nodesOf(g, 'list'), nodesOf(g, 'tuple')];
  const scanner = new BoxedScanner(g, kinds, layout);
  for (const sequence of sequences) {
    for (let i = 0; i < sequence.length; i += CHUNK) {
      scanner.scan(sequence, i, Math.min(sequence.length, i + CHUNK));
    }
  }
  for (const element of [K.FLOAT, K.INT]) {
    const at = element === K.FLOAT ? 0 : 3;
    const [count, elements, total] = scanner.tallies.subarray(at, at + 3);
    if (count === 0) continue;
    const name = element === K.FLOAT ? 'float' : 'int';
    const code = element === K.FLOAT ? "'d'" : "'q'";
    out.push({
      kind: 'boxed-numbers',
      type: name,
      title: `lists/tuples of ${fmt(elements!)} boxed ${name}s: ${fmt(count!)}`,
      count: count!,
      wastedBytes: total!,
      estimate: `Σ (container + the ${name}s only it keeps − (${layout.arrayEmpty} B + 8 B × length))`,
      remedy: `Store them unboxed: array.array(${code}, values)${numpy ? ` or numpy.array(values, dtype=${element === K.FLOAT ? 'float64' : 'int64'})` : ''}; 8 B an element instead of a pointer plus a ${name} object.`,
      members: lazyMembers(() => {
        const list = new MemberList();
        for (const sequence of sequences) {
          for (let i = 0; i < sequence.length; i++) {
            const saved = scanner.saving(sequence[i]!, element);
            if (saved !== 0) list.push(sequence[i]!, saved);
          }
        }
        return list.done();
      }),
    });
  }
  return out;
}

/** The scan runs a chunk of sequences a call (a hot loop called per chunk is optimized once, whole). */
const CHUNK = 1 << 12;

/**
 * Per element kind (float, int), the sequences that would shrink: one pass over the lists and
 * tuples (a sequence's first element tells which kind it could be), not one per kind.
 */
class BoxedScanner {
  /** [count, elements, Σ saving] of float sequences, then of int ones. */
  readonly tallies = new Float64Array(6);
  private readonly length: Uint32Array;
  private readonly size: Float64Array;
  private readonly type: Uint32Array;
  private readonly firstEdge: Uint32Array;
  private readonly edgeKind: Uint8Array;
  private readonly edgeTarget: Uint32Array;
  private readonly domFirst: Uint32Array;
  private readonly domChildren: Uint32Array;

  constructor(
    g: HeapGraph,
    private readonly kinds: Uint8Array,
    private readonly layout: Layout,
  ) {
    this.length = g.length;
    this.size = g.size;
    this.type = g.type;
    this.firstEdge = g.firstEdge;
    this.edgeKind = g.edgeKind;
    this.edgeTarget = g.edgeTarget;
    this.domFirst = g.tree.domFirst;
    this.domChildren = g.tree.domChildren;
  }

  scan(sequence: Uint32Array, from: number, to: number): void {
    const { length, firstEdge, edgeKind, edgeTarget, type, kinds, tallies } = this;
    for (let i = from; i < to; i++) {
      const v = sequence[i]!;
      const n = length[v]!;
      if (n < MIN_BOXED_LENGTH || n === 0xffffffff) continue;
      let first = -1;
      for (let e = firstEdge[v]!; e < firstEdge[v + 1]! && first === -1; e++) {
        if (edgeKind[e] === EDGE_KIND.INDEX) first = kinds[type[edgeTarget[e]!]!]!;
      }
      if (first !== K.FLOAT && first !== K.INT) continue;
      const saved = this.saving(v, first);
      if (saved === 0) continue;
      const at = first === K.FLOAT ? 0 : 3;
      tallies[at]!++;
      tallies[at + 1]! += n;
      tallies[at + 2]! += saved;
    }
  }

  /** Bytes sequence v saves as an array of `element`s (0: not all elements are, or too short). */
  saving(v: number, element: number): number {
    const n = this.length[v]!;
    if (n < MIN_BOXED_LENGTH || n === 0xffffffff || !this.allOf(v, element)) return 0;
    return Math.max(0, this.size[v]! + this.ownedElements(v) - (this.layout.arrayEmpty + 8 * n));
  }

  private allOf(v: number, element: number): boolean {
    const { firstEdge, edgeKind, edgeTarget, type, size, kinds } = this;
    let items = 0;
    for (let e = firstEdge[v]!; e < firstEdge[v + 1]!; e++) {
      if (edgeKind[e] !== EDGE_KIND.INDEX) continue;
      const t = edgeTarget[e]!;
      if (kinds[type[t]!] !== element) return false;
      if (element === K.INT && size[t]! > MAX_INT64_SIZE) return false;
      items++;
    }
    return items === this.length[v];
  }

  /** Bytes of the numbers only `v` keeps alive: its dominator-tree children. */
  private ownedElements(v: number): number {
    const { domFirst, domChildren, size } = this;
    let bytes = 0;
    for (let i = domFirst[v]!; i < domFirst[v + 1]!; i++) bytes += size[domChildren[i]!]!;
    return bytes;
  }
}
