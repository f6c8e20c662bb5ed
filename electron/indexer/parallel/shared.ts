// Typed arrays over SharedArrayBuffers: what the indexer allocates for columns a helper thread
// reads or writes (helper.ts). Reading and writing them costs the same as ordinary arrays. And the
// two other things large arrays need here: pages mapped in before random access, and collection.
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

export function sharedFloat64(n: number): Float64Array {
  return new Float64Array(new SharedArrayBuffer(8 * n));
}

export function sharedUint32(n: number): Uint32Array {
  return new Uint32Array(new SharedArrayBuffer(4 * n));
}

export function sharedUint16(n: number): Uint16Array {
  return new Uint16Array(new SharedArrayBuffer(2 * n));
}

export function sharedUint8(n: number): Uint8Array {
  return new Uint8Array(new SharedArrayBuffer(n));
}

/**
 * Maps a new array's pages in by writing it front to back, before a loop writes or reads it at
 * random. The first touch of each 4 KiB page costs the kernel a fault either way, but here faults
 * taken in random order (and from two threads) cost several times what a sequential pass costs:
 * filling the (since replaced) 268 MB address table this way first made the edges stage 0.3 s faster
 * at 10M objects.
 */
export function prefaulted<T extends Uint32Array | Int32Array | Float64Array | Uint8Array>(a: T): T {
  a.fill(0);
  return a;
}

let gc: (() => void) | null | undefined;
const GC_MIN_OBJECTS = 100_000;

/**
 * A full garbage collection, between stages. The stages free hundreds of megabytes of typed arrays
 * at a time, but V8 collects them only when its own heuristics say so, often after the next stage
 * has allocated its own: at 10M objects a collection before the aggregates stage lowered peak
 * memory by ~130 MB (~15 bytes an object). A few milliseconds: the JS heap itself is small.
 * `--expose-gc` set at run time exposes `gc` only to contexts made afterwards, hence the new one.
 */
export function collectGarbage(objects: number): void {
  // Below this the stages free a few MB, and a full collection costs more than it saves: 30–80 ms
  // in a process whose JS heap is large (a test runner loading hundreds of small snapshots).
  if (objects < GC_MIN_OBJECTS) return;
  if (gc === undefined) {
    try {
      setFlagsFromString('--expose-gc');
      gc = runInNewContext('gc') as () => void;
    } catch {
      gc = null;
    }
  }
  gc?.();
}
