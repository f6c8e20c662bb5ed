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
  /** Per dict (index into `dicts`): its key set's two hashes and key count (0: no record). */
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
  const { length, size, firstEdge, edgeKind, edgeName } = g;
  const bytes = g.strings.bytes();
  const offsets = g.strings.offsets;
  const empty: EmptyTally = { count: 0, bytes: 0, held: 0 };
  const fresh = layout ? layout.dictEmpty : 0;
  // A dict at most twice the table insertions grow for its items cannot be over-allocated
  // (collections.ts overallocSaving): that one compare settles most dicts.
  const grown = layout ? grownSizes(layout) : new Float64Array(0);
  let overCount = 0;
  let overTotal = 0;
  let overBefore = 0;
  const h1s = new Uint32Array(dicts.length);
  const h2s = new Uint32Array(dicts.length);
  const ns = new Uint8Array(dicts.length);
  const buckets = new Uint8Array(1 << BUCKET_BITS);
  // Per cached key-name id: the hash of its bytes, or -1 when it is no str key.
  const cachedId = new Int32Array(NAME_CACHE).fill(-1);
  const cachedHash = new Float64Array(NAME_CACHE);
  // dictSaving per (size, items), cached direct-mapped: dicts of one layout repeat a few sizes.
  const savedSize = new Float64Array(NAME_CACHE).fill(-1);
  const savedN = new Uint32Array(NAME_CACHE);
  const savedBytes = new Float64Array(NAME_CACHE);
  for (let i = 0; i < dicts.length; i++) {
    const v = dicts[i]!;
    const n = length[v]!;
    if (n === 0) {
      if (!(g.flags[v]! & OBJ_FLAG.IMMORTAL) && !isAttributeDict(g, v)) {
        empty.count++;
        empty.bytes += size[v]!;
        if (layout) empty.held += Math.max(0, size[v]! - fresh);
      }
      continue;
    }
    if (layout && n !== 0xffffffff) {
      const s = size[v]!;
      if (
        s >= (n < grown.length ? grown[n]! : dictSize(layout, dictGrownSlots(n) * 2, layout.dictStrEntry))
      ) {
        const k = (n ^ Math.imul(s >>> 3, 0x9e3779b1)) >>> 20;
        if (savedSize[k] !== s || savedN[k] !== n) {
          savedSize[k] = s;
          savedN[k] = n;
          savedBytes[k] = dictSaving(layout, s, n);
        }
        const saved = savedBytes[k]!;
        if (saved >= MIN_DICT_SAVING) {
          overCount++;
          overTotal += saved;
          overBefore += s;
        }
      }
    }
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
      let h: number;
      if (cachedId[slot] === name) h = cachedHash[slot]!;
      else {
        const quote = bytes[offsets[name]!];
        h = quote === SINGLE_QUOTE || quote === DOUBLE_QUOTE ? hashString(bytes, offsets, name, 0) : -1;
        cachedId[slot] = name;
        cachedHash[slot] = h;
      }
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
  const over = layout ? { count: overCount, total: overTotal, before: overBefore } : null;
  return { dicts, empty, over, h1s, h2s, ns, buckets };
}
