// One pass over every dict for the three analyses that read dicts: empty dicts, over-allocated
// tables and dicts used as records. The 2.2M dicts of a 10M-object heap are scattered through the
// node columns, so each separate pass paid a cache miss a dict for the same length and size; here
// each dict is read once and what each analysis needs is kept (tallies, the key-set columns).
import { OBJ_FLAG } from '../format/spec';
import type { HeapGraph } from '../graph/heap-graph';
import { isAttributeDict, overallocSaving } from './collections';
import { nodesOf } from './kinds';
import type { Layout } from './layouts';
import { BUCKETS, MIN_RECORDS, mixed, ShapeHasher } from './records';

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
  /** Dicts per key-set bucket (mixed hash's high 16 bits), saturating at MIN_RECORDS. */
  buckets: Uint16Array;
}

export function scanDicts(g: HeapGraph, layout: Layout | null): DictScan {
  const dicts = nodesOf(g, 'dict');
  const { length, size, flags } = g;
  const empty: EmptyTally = { count: 0, bytes: 0, held: 0 };
  const fresh = layout ? layout.dictEmpty : 0;
  const saving = layout ? overallocSaving(layout, length, size) : null;
  let overCount = 0;
  let overTotal = 0;
  let overBefore = 0;
  const hasher = new ShapeHasher(g);
  const h1s = new Uint32Array(dicts.length);
  const h2s = new Uint32Array(dicts.length);
  const ns = new Uint8Array(dicts.length);
  const buckets = new Uint16Array(BUCKETS);
  for (let i = 0; i < dicts.length; i++) {
    const v = dicts[i]!;
    if (length[v] === 0) {
      if (!(flags[v]! & OBJ_FLAG.IMMORTAL) && !isAttributeDict(g, v)) {
        empty.count++;
        empty.bytes += size[v]!;
        if (layout) empty.held += Math.max(0, size[v]! - fresh);
      }
      continue;
    }
    if (saving) {
      const saved = saving(v);
      if (saved !== 0) {
        overCount++;
        overTotal += saved;
        overBefore += size[v]!;
      }
    }
    const h1 = hasher.key(v);
    if (h1 === -1) continue;
    h1s[i] = h1;
    h2s[i] = hasher.h2;
    ns[i] = hasher.n;
    const b = mixed(h1, hasher.h2) >>> 16;
    if (buckets[b]! < MIN_RECORDS) buckets[b]!++;
  }
  const over = saving ? { count: overCount, total: overTotal, before: overBefore } : null;
  return { dicts, empty, over, h1s, h2s, ns, buckets };
}
