// Working memory of the analyses, reused: the large typed columns a call needs only while it runs
// (hash partitions, the dict scan's key sets) are views of a few buffers kept per
// snapshot. A fresh typed array costs a page fault a 4 KB page on first write (~6 µs here: ~1.5 ms
// a MB, ~90 ms for the ~60 MB a call used), and garbage collections; reused, its pages are mapped.
import type { HeapGraph } from '../graph/heap-graph';

/**
 * The buffers, by role. Roles whose columns are alive at the same time take different buffers;
 * a later analysis reuses an earlier one's (the dict scan's mixed hashes take the duplicates'
 * partition pairs). The load fills each once (prepare.ts), so that a call finds their pages mapped. Nothing that outlives a call (a finding's lazily gathered members) may be a view of
 * these: the next call overwrites them.
 */
export const SCRATCH = {
  /** The dict scan's first key-set hashes (h1s). */
  A: 0,
  /** duplicates: (hash, candidate) pairs by partition; then the dict scan's mixed hashes (ms). */
  B: 1,
  /** The dict scan's key counts (ns). */
  C: 2,
  /** __slots__: the bitmap of user-class instances. */
  D: 3,
} as const;

export class Scratch {
  private readonly buffers: (ArrayBuffer | null)[] = [null, null, null, null];

  /** A view of `length` u32s over buffer `role`; its contents are whatever the last user left (fill it where that matters). */
  u32(role: number, length: number): Uint32Array {
    return new Uint32Array(this.buffer(role, length * 4), 0, length);
  }

  i32(role: number, length: number): Int32Array {
    return new Int32Array(this.buffer(role, length * 4), 0, length);
  }

  u8(role: number, length: number): Uint8Array {
    return new Uint8Array(this.buffer(role, length), 0, length);
  }

  /** Replaced when too small (a snapshot asks the same sizes each call: the first is final). */
  private buffer(role: number, bytes: number): ArrayBuffer {
    const have = this.buffers[role];
    if (have && have.byteLength >= bytes) return have;
    const made = new ArrayBuffer(bytes);
    this.buffers[role] = made;
    return made;
  }
}

const perSnapshot = new WeakMap<HeapGraph, Scratch>();

/** The snapshot's scratch memory: analyses run one at a time (synchronously), so they can share it. */
export function scratchOf(g: HeapGraph): Scratch {
  let s = perSnapshot.get(g);
  if (!s) {
    s = new Scratch();
    perSnapshot.set(g, s);
  }
  return s;
}
