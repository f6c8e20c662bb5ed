// Growth below the noise floor is interpreter churn, not a leak: caches filled on first use (re,
// functools, typing, linecache), interned strings, small dict resizes. A suspect must grow by at
// least `floor.bytes` in total, and either by `floor.count` objects, or in size without growing in
// count — one buffer growing in place (its own size), or objects replaced by bigger ones (a str
// rebuilt by `+=`, immutable, is a new object each time: the holder frees as many as it gains) —
// or by a lot of bytes at once (16 × floor: a few big objects, e.g. 1 MB arrays). A few new
// objects that replace nothing (one 70 KB string built once) stay out unless they are big.
import type { Candidate, LeakRule } from './rule';

export const BIG_GROWTH_FACTOR = 16;

/** Its growth is in the size of what it holds, not in how many: no more new objects than it replaced. */
export function grewBySize(c: Candidate): boolean {
  return c.replaced > 0 && c.count <= c.replaced;
}

export const noiseFloorRule: LeakRule = {
  name: 'noise-floor',
  keep(c, floor) {
    if (c.bytes < floor.bytes) return false;
    return (
      c.count >= floor.count ||
      c.ownBytes >= floor.bytes ||
      grewBySize(c) ||
      c.bytes >= BIG_GROWTH_FACTOR * floor.bytes
    );
  },
};

/** 64 KiB absolute: above what warming interpreter caches add; 0.1% of the heap: scales to big services. */
export const FLOOR_MIN_BYTES = 64 * 1024;
export const FLOOR_HEAP_FRACTION = 0.001;
export const FLOOR_COUNT = 32;

export function defaultNoiseFloor(reachableHeapBytes: number): { bytes: number; count: number } {
  return {
    bytes: Math.max(FLOOR_MIN_BYTES, Math.round(reachableHeapBytes * FLOOR_HEAP_FRACTION)),
    count: FLOOR_COUNT,
  };
}
