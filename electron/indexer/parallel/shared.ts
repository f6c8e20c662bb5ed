// Typed arrays over SharedArrayBuffers: what the indexer allocates for columns a helper thread
// reads or writes (helper.ts). Reading and writing them costs the same as ordinary arrays.

export function sharedFloat64(n: number): Float64Array {
  return new Float64Array(new SharedArrayBuffer(8 * n));
}

export function sharedUint32(n: number): Uint32Array {
  return new Uint32Array(new SharedArrayBuffer(4 * n));
}

export function sharedUint8(n: number): Uint8Array {
  return new Uint8Array(new SharedArrayBuffer(n));
}

/**
 * Maps a new array's pages in by writing it front to back, before a loop writes or reads it at
 * random. The first touch of each 4 KiB page costs the kernel a fault either way, but here faults
 * taken in random order (and from two threads) cost several times what a sequential pass costs:
 * filling the 268 MB address table this way first made the edges stage 0.3 s faster at 10M objects.
 */
export function prefaulted<T extends Uint32Array | Int32Array | Float64Array | Uint8Array>(a: T): T {
  a.fill(0);
  return a;
}
