// Where the bytes of a snapshot come from: a file read section by section (never whole), or a buffer
// already in memory (uploads, drag-and-drop).
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';

export interface ByteSource {
  readonly size: number;
  /** `length` bytes at `offset`; fewer only at end of file. The result may alias the source. */
  read(offset: number, length: number): Uint8Array;
  close(): void;
}

export function fileSource(path: string): ByteSource {
  const fd = openSync(path, 'r');
  const size = fstatSync(fd).size;
  return {
    size,
    read(offset, length) {
      const n = Math.max(0, Math.min(length, size - offset));
      // A fresh ArrayBuffer keeps column views aligned (Buffer.allocUnsafe may hand out a pool slice).
      const out = new Uint8Array(n);
      let got = 0;
      while (got < n) {
        const r = readSync(fd, out, got, n - got, offset + got);
        if (r === 0) break;
        got += r;
      }
      return got === n ? out : out.subarray(0, got);
    },
    close() {
      closeSync(fd);
    },
  };
}

export function bufferSource(bytes: Uint8Array): ByteSource {
  return {
    size: bytes.length,
    read(offset, length) {
      return bytes.subarray(offset, Math.min(bytes.length, offset + length));
    },
    close() {},
  };
}
