// One pass over every dict for the three analyses that read dicts: empty dicts, over-allocated
// tables and dicts used as records. The 2.2M dicts of a 10M-object heap are scattered through the
// node columns, so each separate pass paid a cache miss a dict for the same length and size; here
// each dict is read once and what each analysis needs is kept (tallies, the key-set columns). The
// loop is one flat function over local typed arrays (no per-dict calls or closures): it runs once
// a call, so it must be fast from its first iterations (on-stack replacement, no warm-up).
import { EDGE_KIND, NONE32, OBJ_FLAG } from '../format/spec';
import type { HeapGraph } from '../graph/heap-graph';
import { dictSaving, grownSizes, MIN_DICT_SAVING, namespaceBits } from './collections';
import { hashString, nodesOf } from './kinds';
import { dictGrownSlots, dictSize, type Layout } from './layouts';
import { BUCKET_BITS, MAX_FIELDS, MIN_RECORDS, mixed } from './records';
import { SCRATCH, type Scratch, scratchOf } from './scratch';

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
  /**
   * Per plain dict (index into `dicts`) with str keys only: its key set as the first of two
   * order-insensitive hash sums (h1) and both mixed (`mixed(h1, h2)`: its high bits pick the
   * bucket, its low bits a table slot; with h1 it determines h2, so (h1, m, n) is the key set),
   * and its key count (0: no record — other keys, an object's or frame's namespace). Scratch
   * memory (scratch.ts): valid until the next analysis; dictRecords reads it in the same call.
   */
  h1s: Uint32Array;
  ms: Uint32Array;
  ns: Uint8Array;
  /** Dicts per key-set bucket (m's high BUCKET_BITS bits), saturating at MIN_RECORDS. */
  buckets: Uint8Array;
}

/** A str key's repr starts with a quote; other keys (ints, tuples) make no record. */
const SINGLE_QUOTE = 0x27;
const DOUBLE_QUOTE = 0x22;
/** Key names cached direct-mapped by string id: they repeat millions of times under a few thousand ids. */
const NAME_CACHE = 4096;

export function scanDicts(g: HeapGraph, layout: Layout | null, scratch: Scratch = scratchOf(g)): DictScan {
  const dicts = nodesOf(g, 'dict');
  const scanner = new DictScanner(g, layout, dicts.length, scratch);
  for (let i = 0; i < dicts.length; i += CHUNK) scanner.scan(dicts, i, Math.min(dicts.length, i + CHUNK));
  const { empty, h1s, ms, ns, buckets } = scanner;
  const over = layout
    ? { count: scanner.overCount, total: scanner.overTotal, before: scanner.overBefore }
    : null;
  return { dicts, empty, over, h1s, ms, ns, buckets };
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
  readonly ms: Uint32Array;
  readonly ns: Uint8Array;
  readonly buckets = new Uint8Array(1 << BUCKET_BITS);
  private readonly length: Uint32Array;
  private readonly size: Float64Array;
  private readonly firstEdge: Uint32Array;
  private readonly edgeKind: Uint8Array;
  private readonly edgeName: Uint32Array;
  private readonly bytes: Uint8Array;
  private readonly offsets: Uint32Array;
  /** Namespaces (isAttributeDict) as a bitset: no records, no empty collections. */
  private readonly held: Uint8Array;
  /**
   * Per item count n < 256, the size of a dict with twice the table insertions grow for n: a dict
   * no larger cannot be over-allocated (collections.ts overallocSaving); that one compare settles
   * most dicts. Empty without a layout (then every count reads as too large to check).
   */
  private readonly grown: Float64Array;
  /**
   * Per cached key-name id (as int32; -1 is NONE32): the hash of its bytes, and 1 when it is no
   * str key (NONE32 included: the initial -1 entries read as not str). Int32 columns keep the key
   * loop in integer arithmetic (a Float64 hash cost a conversion an edge).
   */
  private readonly cachedId = new Int32Array(NAME_CACHE).fill(-1);
  private readonly cachedHash = new Int32Array(NAME_CACHE);
  private readonly cachedNotStr = new Uint8Array(NAME_CACHE).fill(1);
  /** dictSaving per (size, items), cached direct-mapped: dicts of one layout repeat a few sizes. */
  private readonly savedSize = new Float64Array(NAME_CACHE).fill(-1);
  private readonly savedN = new Uint32Array(NAME_CACHE);
  private readonly savedBytes = new Float64Array(NAME_CACHE);

  constructor(
    private readonly g: HeapGraph,
    private readonly layout: Layout | null,
    dicts: number,
    scratch: Scratch,
  ) {
    this.length = g.length;
    this.size = g.size;
    this.firstEdge = g.firstEdge;
    this.edgeKind = g.edgeKind;
    this.edgeName = g.edgeName;
    this.bytes = g.strings.bytes();
    this.offsets = g.strings.offsets;
    this.held = namespaceBits(g);
    this.grown = layout ? grownSizes(layout) : new Float64Array(0);
    // Scratch memory (the duplicates' hash columns): h1s and ms are read only where ns is set.
    this.h1s = scratch.u32(SCRATCH.A, dicts);
    this.ms = scratch.u32(SCRATCH.B, dicts);
    this.ns = scratch.u8(SCRATCH.C, dicts).fill(0);
  }

  scan(dicts: Uint32Array, from: number, to: number): void {
    const { length, size, firstEdge, edgeKind, edgeName, grown, held } = this;
    const { cachedId, cachedHash, cachedNotStr, h1s, ms, ns, buckets } = this;
    const checkOver = this.layout !== null;
    for (let i = from; i < to; i++) {
      const v = dicts[i]!;
      const n = length[v]!;
      if (n === 0) {
        this.emptyDict(v);
        continue;
      }
      if (checkOver && (n >= grown.length || size[v]! >= grown[n]!)) this.overallocated(v, n);
      if (n >= MAX_FIELDS || (held[v >>> 3]! & (1 << (v & 7))) !== 0) continue;
      // The key set: two order-insensitive sums of the str key names' hashes. No early exit on a
      // key that is no str (rare): one flag tested after the loop keeps the loop's body short.
      let h1 = 0;
      let h2 = 0;
      let keys = 0;
      let notStr = 0;
      const end = firstEdge[v + 1]!;
      for (let e = firstEdge[v]!; e < end; e++) {
        if (edgeKind[e] !== EDGE_KIND.DICT_VALUE) continue;
        const name = edgeName[e]! | 0;
        const slot = (name ^ (name >>> 12)) & (NAME_CACHE - 1);
        if (cachedId[slot] !== name) this.keyName(name, slot);
        const h = cachedHash[slot]!;
        notStr |= cachedNotStr[slot]!;
        h1 = (h1 + h) | 0;
        h2 = (h2 + Math.imul(h, 0x9e3779b1)) | 0;
        keys++;
      }
      if (notStr !== 0 || keys !== n) continue;
      const m = mixed(h1, h2);
      h1s[i] = h1;
      ms[i] = m;
      ns[i] = n;
      const b = m >>> (32 - BUCKET_BITS);
      if (buckets[b]! < MIN_RECORDS) buckets[b]!++;
    }
  }

  /** An empty dict counts unless immortal or an object's `__dict__`. */
  private emptyDict(v: number): void {
    const { g, empty, layout } = this;
    if (g.flags[v]! & OBJ_FLAG.IMMORTAL || (this.held[v >>> 3]! & (1 << (v & 7))) !== 0) return;
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

  /** Caches key name `name` (a string id as int32; -1: NONE32) in `slot`: its hash, and whether it is no str key. */
  private keyName(name: number, slot: number): void {
    const { bytes, offsets } = this;
    const id = name >>> 0;
    const quote = id === NONE32 ? 0 : bytes[offsets[id]!];
    const str = quote === SINGLE_QUOTE || quote === DOUBLE_QUOTE;
    this.cachedId[slot] = name;
    this.cachedHash[slot] = str ? hashString(bytes, offsets, id, 0) | 0 : 0;
    this.cachedNotStr[slot] = str ? 0 : 1;
  }
}
