// Where the bytes of a snapshot come from: a file read section by section (never whole), or a buffer
// already in memory (uploads, drag-and-drop).
import { closeSync, constants, fstatSync, openSync, readSync, type Stats } from 'node:fs';
import { ApiError } from '../../shared/contract';

export interface ByteSource {
  readonly size: number;
  /**
   * `length` bytes at `offset`; fewer only at end of file. The result may alias the source or a
   * buffer the next call reuses: copy what must outlive the next read (the reader copies every
   * column out of a section before it reads the next).
   */
  read(offset: number, length: number): Uint8Array;
  close(): void;
}

/**
 * Opens `path` for reading; refuses anything but a regular file with one line naming it. The open
 * never blocks: O_NONBLOCK returns at once on a FIFO (which a plain open would wait on for a
 * writer, freezing the thread), and the check is on the opened descriptor, so the file cannot be
 * swapped between the check and the reads.
 */
export function fileSource(path: string): ByteSource {
  const fd = openSync(path, constants.O_RDONLY | (constants.O_NONBLOCK ?? 0));
  let info: Stats;
  try {
    info = fstatSync(fd);
    if (!info.isFile()) throw notRegular(path, info);
  } catch (err) {
    closeSync(fd);
    throw err;
  }
  const size = info.size;
  // One buffer for every read, as large as the largest section so far: a fresh one per section cost a
  // zero-fill and the first touch of its pages each time (~0.15 s of `read` at 10M objects). Its
  // own ArrayBuffer keeps column views aligned (Buffer.allocUnsafe may hand out a pool slice).
  let scratch = new Uint8Array(0);
  return {
    size,
    read(offset, length) {
      const n = Math.max(0, Math.min(length, size - offset));
      if (scratch.length < n) scratch = new Uint8Array(n);
      const out = scratch.subarray(0, n);
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
      scratch = new Uint8Array(0);
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

function notRegular(path: string, info: Stats): ApiError {
  const what = info.isDirectory()
    ? 'is a directory'
    : info.isFIFO()
      ? 'is a FIFO (named pipe)'
      : info.isSocket()
        ? 'is a socket'
        : info.isCharacterDevice() || info.isBlockDevice()
          ? 'is a device'
          : 'is not a regular file';
  return new ApiError(
    'bad-argument',
    `${path}: ${what}, not a snapshot file; give the path of a .pyheap file`,
  );
}
