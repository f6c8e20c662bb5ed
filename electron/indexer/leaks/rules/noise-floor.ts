// Growth below the noise floor is interpreter churn, not a leak: caches filled on first use (re,
// functools, typing, linecache), interned strings, small dict resizes. A suspect must grow by at
// least `floor.bytes` in total, and either by `floor.count` objects, or in its own size (one buffer
// growing), or by a lot of bytes at once (16 × floor: a few big objects, e.g. 1 MB arrays).
import type { LeakRule } from './rule';

export const BIG_GROWTH_FACTOR = 16;

export const noiseFloorRule: LeakRule = {
  name: 'noise-floor',
  keep(c, floor) {
    if (c.bytes < floor.bytes) return false;
    return c.count >= floor.count || c.ownBytes >= floor.bytes || c.bytes >= BIG_GROWTH_FACTOR * floor.bytes;
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
