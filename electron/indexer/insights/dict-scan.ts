// One pass over every dict for the three analyses that read dicts: empty dicts, over-allocated
// tables and dicts used as records. The 2.2M dicts of a 10M-object heap are scattered through the
// node columns, so each separate pass paid a cache miss a dict for the same length and size; here
// each dict is read once and what each analysis needs is kept (tallies, the key-set columns). The
// loop is one flat function over local typed arrays (no per-dict calls or closures): it runs once
// a call, so it must be fast from its first iterations (on-stack replacement, no warm-up).
import { EDGE_KIND, NONE32, OBJ_FLAG } from '../format/spec';
import type { HeapGraph } from '../graph/heap-graph';
import { dictSaving, grownSizes, isAttributeDict, MIN_DICT_SAVING } from './collections';
import { hashString, nodesOf } from './kinds';
import { dictGrownSlots, dictSize, type Layout } from './layouts';
import { BUCKET_BITS, MAX_FIELDS, MIN_RECORDS, mixed } from './records';

/** Empty dicts that are not an object's `__dict__` nor immortal: the empty-collections line for dicts. */
export interface EmptyTally {
  count: number;
  bytes: number;
  /** Bytes beyond a fresh empty dict (0 without a layout). */
  held: number;
}

export interface DictScan {
  dicts: Uint32Array;
  empty: EmptyTally;
  /** Dicts whose table only deletions explain (count, Σ saving, Σ size); null without a layout. */
  over: { count: number; total: number; before: number } | null;
  /** Per dict (index into `dicts`): its key set's two hashes and key count (0: no record); dictRecords overwrites h1s. */
  h1s: Uint32Array;
  h2s: Uint32Array;
  ns: Uint8Array;
  /** Dicts per key-set bucket (mixed hash's high BUCKET_BITS bits), saturating at MIN_RECORDS. */
  buckets: Uint8Array;
}

/** A str key's repr starts with a quote; other keys (ints, tuples) make no record. */
const SINGLE_QUOTE = 0x27;
const DOUBLE_QUOTE = 0x22;
/** Key names cached direct-mapped by string id: they repeat millions of times under a few thousand ids. */
const NAME_CACHE = 4096;

export function scanDicts(g: HeapGraph, layout: Layout | null): DictScan {
  const dicts = nodesOf(g, 'dict');
  const scanner = new DictScanner(g, layout, dicts.length);
  for (let i = 0; i < dicts.length; i += CHUNK) scanner.scan(dicts, i, Math.min(dicts.length, i + CHUNK));
  const { empty, h1s, h2s, ns, buckets } = scanner;
  const over = layout
    ? { count: scanner.overCount, total: scanner.overTotal, before: scanner.overBefore }
    : null;
  return { dicts, empty, over, h1s, h2s, ns, buckets };
}

/**
 * The scan's loop runs a chunk of dicts a call: a function called per chunk is optimized whole
 * once hot, with type feedback from its first chunks, where one long loop is optimized mid-loop
 * and thrown away at its end (code after the loop had never run) — each a TurboFan compile.
 */
const CHUNK = 1 << 12;

class DictScanner {
  readonly empty: EmptyTally = { count: 0, bytes: 0, held: 0 };
  overCount = 0;
  overTotal = 0;
  overBefore = 0;
  readonly h1s: Uint32Array;
  readonly h2s: Uint32Array;
  readonly ns: Uint8Array;
  readonly buckets = new Uint8Array(1 << BUCKET_BITS);
  private readonly length: Uint32Array;
  private readonly size: Float64Array;
  private readonly firstEdge: Uint32Array;
  private readonly edgeKind: Uint8Array;
  private readonly edgeName: Uint32Array;
  private readonly bytes: Uint8Array;
  private readonly offsets: Uint32Array;
  /**
   * Per item count n < 256, the size of a dict with twice the table insertions grow for n: a dict
   * no larger cannot be over-allocated (collections.ts overallocSaving); that one compare settles
   * most dicts. Empty without a layout (then every count reads as too large to check).
   */
  private readonly grown: Float64Array;
  /** Per cached key-name id: the hash of its bytes, or -1 when it is no str key. */
  private readonly cachedId = new Int32Array(NAME_CACHE).fill(-1);
  private readonly cachedHash = new Float64Array(NAME_CACHE);
  /** dictSaving per (size, items), cached direct-mapped: dicts of one layout repeat a few sizes. */
  private readonly savedSize = new Float64Array(NAME_CACHE).fill(-1);
  private readonly savedN = new Uint32Array(NAME_CACHE);
  private readonly savedBytes = new Float64Array(NAME_CACHE);

  constructor(
    private readonly g: HeapGraph,
    private readonly layout: Layout | null,
    dicts: number,
  ) {
    this.length = g.length;
    this.size = g.size;
    this.firstEdge = g.firstEdge;
    this.edgeKind = g.edgeKind;
    this.edgeName = g.edgeName;
    this.bytes = g.strings.bytes();
    this.offsets = g.strings.offsets;
    this.grown = layout ? grownSizes(layout) : new Float64Array(0);
    this.h1s = new Uint32Array(dicts);
    this.h2s = new Uint32Array(dicts);
    this.ns = new Uint8Array(dicts);
  }

  scan(dicts: Uint32Array, from: number, to: number): void {
    const { length, size, firstEdge, edgeKind, edgeName, grown, cachedId, cachedHash } = this;
    const { h1s, h2s, ns, buckets } = this;
    const checkOver = this.layout !== null;
    for (let i = from; i < to; i++) {
      const v = dicts[i]!;
      const n = length[v]!;
      if (n === 0) {
        this.emptyDict(v);
        continue;
      }
      if (checkOver && (n >= grown.length || size[v]! >= grown[n]!)) this.overallocated(v, n);
      if (n >= MAX_FIELDS) continue;
      // The key set: two order-insensitive sums of the str key names' hashes.
      let h1 = 0;
      let h2 = 0;
      let keys = 0;
      const end = firstEdge[v + 1]!;
      let e = firstEdge[v]!;
      for (; e < end; e++) {
        if (edgeKind[e] !== EDGE_KIND.DICT_VALUE) continue;
        const name = edgeName[e]!;
        if (name === NONE32) break;
        const slot = (name ^ (name >>> 12)) & (NAME_CACHE - 1);
        const h = cachedId[slot] === name ? cachedHash[slot]! : this.keyName(name, slot);
        if (h === -1) break;
        h1 = (h1 + h) >>> 0;
        h2 = (h2 + Math.imul(h, 0x9e3779b1)) >>> 0;
        keys++;
      }
      if (e < end || keys !== n) continue;
      h1s[i] = h1;
      h2s[i] = h2;
      ns[i] = n;
      const b = mixed(h1, h2) >>> (32 - BUCKET_BITS);
      if (buckets[b]! < MIN_RECORDS) buckets[b]!++;
    }
  }

  /** An empty dict counts unless immortal or an object's `__dict__`. */
  private emptyDict(v: number): void {
    const { g, empty, layout } = this;
    if (g.flags[v]! & OBJ_FLAG.IMMORTAL || isAttributeDict(g, v)) return;
    empty.count++;
    empty.bytes += g.size[v]!;
    if (layout) empty.held += Math.max(0, g.size[v]! - layout.dictEmpty);
  }

  /** Dict v (n items, 0xffffffff: unknown) when larger than insertions alone explain. */
  private overallocated(v: number, n: number): void {
    const layout = this.layout!;
    const s = this.size[v]!;
    if (n === 0xffffffff) return;
    if (n >= this.grown.length && s < dictSize(layout, dictGrownSlots(n) * 2, layout.dictStrEntry)) return;
    const k = (n ^ Math.imul(s >>> 3, 0x9e3779b1)) >>> 20;
    if (this.savedSize[k] !== s || this.savedN[k] !== n) {
      this.savedSize[k] = s;
      this.savedN[k] = n;
      this.savedBytes[k] = dictSaving(layout, s, n);
    }
    const saved = this.savedBytes[k]!;
    if (saved < MIN_DICT_SAVING) return;
    this.overCount++;
    this.overTotal += saved;
    this.overBefore += s;
  }

  /** Key name `name`'s hash (or -1: no str key), cached in `slot`. */
  private keyName(name: number, slot: number): number {
    const { bytes, offsets } = this;
    const quote = bytes[offsets[name]!];
    const h = quote === SINGLE_QUOTE || quote === DOUBLE_QUOTE ? hashString(bytes, offsets, name, 0) : -1;
    this.cachedId[slot] = name;
    this.cachedHash[slot] = h;
    return h;
  }
}
