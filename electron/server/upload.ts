// Uploads (openBytes over HTTP) stream to a temporary file, never to memory: the first bytes must be
// the .pyheap magic (a wrong file is refused before the rest of its body is read), and the size is
// capped by configuration (`heapscope serve --max-upload`). The reader then reads the file section
// by section, as it reads any file; the file is deleted once the snapshot is loaded or refused.
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { type FileHandle, open, unlink } from 'node:fs/promises';
import type { IncomingMessage } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ApiError } from '@shared/contract';
import { validateArgs } from '@shared/validate';

/** The default cap: the largest snapshot the indexer's 32-bit edge indices and typical RAM serve. */
export const DEFAULT_MAX_UPLOAD_BYTES = 4 * 1024 ** 3;

const MAGIC = Buffer.from([0x89, 0x50, 0x59, 0x48, 0x45, 0x41, 0x50, 0x0a]);

export interface Upload {
  requestId: string;
  name: string;
  /** The temporary file; the caller deletes it with `discard`. */
  path: string;
}

/** A private folder (0700) for the server's uploads, removed with everything in it by `close`. */
export class UploadDir {
  private dir: string | null = null;

  constructor(readonly maxBytes: number) {}

  /** Streams `req`'s body to a new 0600 file; rejects with one line (and deletes it) when refused. */
  async receive(url: URL, req: IncomingMessage): Promise<Upload> {
    const requestId = url.searchParams.get('requestId');
    const name = url.searchParams.get('name');
    // The same checks as openBytes's arguments, before a byte of the body is read.
    validateArgs('openBytes', { requestId, name, bytes: new Uint8Array(0) });
    const upload = { requestId: requestId as string, name: name as string, path: this.newPath() };
    const declared = Number(req.headers['content-length'] ?? 0);
    if (declared > this.maxBytes) throw this.tooLarge(upload.name);
    const file = await open(upload.path, 'wx', 0o600);
    try {
      await this.copy(req, file, upload.name);
    } catch (err) {
      await file.close().catch(() => undefined);
      await this.discard(upload);
      throw err;
    }
    await file.close();
    return upload;
  }

  async discard(upload: Upload): Promise<void> {
    await unlink(upload.path).catch(() => undefined);
  }

  close(): void {
    if (this.dir) rmSync(this.dir, { recursive: true, force: true });
    this.dir = null;
  }

  private newPath(): string {
    this.dir ??= mkdtempSync(join(tmpdir(), 'heapscope-uploads-'));
    return join(this.dir, `${randomUUID()}.pyheap`);
  }

  /**
   * One chunk at a time, each written before the next is read (the request is paused meanwhile):
   * memory holds a chunk, not the body. On a refusal the request is left unread for `discardRest`.
   */
  private copy(req: IncomingMessage, file: FileHandle, name: string): Promise<void> {
    return new Promise((done, fail) => {
      let size = 0;
      let head = Buffer.alloc(0);
      // The last chunk's write may still be running when 'end' comes: the upload is done after it.
      let written: Promise<unknown> = Promise.resolve();
      const stop = (err: unknown) => {
        req.off('data', onData).off('end', onEnd).off('error', stop);
        fail(err);
      };
      const onData = (chunk: Buffer) => {
        if (head.length < MAGIC.length) {
          head = Buffer.concat([head, chunk.subarray(0, MAGIC.length - head.length)]);
          if (!MAGIC.subarray(0, head.length).equals(head)) return stop(badMagic(name));
        }
        size += chunk.length;
        if (size > this.maxBytes) return stop(this.tooLarge(name));
        req.pause();
        written = file.write(chunk).then(() => req.resume(), stop);
      };
      const onEnd = () => {
        req.off('data', onData).off('error', stop);
        written.then(() => done(), stop);
      };
      req.on('data', onData).once('end', onEnd).once('error', stop);
    });
  }

  private tooLarge(name: string): ApiError {
    return new ApiError(
      'bad-argument',
      `${name}: larger than this server's upload limit of ${this.maxBytes.toLocaleString('en-US')} bytes; ` +
        'start it with `heapscope serve --max-upload SIZE`, or open the file by path',
    );
  }
}

/** Past this many bytes of a refused body, the connection is cut rather than read to its end. */
const DRAIN_LIMIT = 64 * 1024 * 1024;

/**
 * After a refusal has been answered: reads and drops the rest of the body, so that a browser still
 * sending it gets the answer on an intact connection; a body longer than DRAIN_LIMIT is cut off.
 */
export function discardRest(req: IncomingMessage): void {
  if (req.complete) return;
  let dropped = 0;
  req.on('data', (chunk: Buffer) => {
    dropped += chunk.length;
    if (dropped > DRAIN_LIMIT) req.socket.destroy();
  });
  req.resume();
}

function badMagic(name: string): ApiError {
  return new ApiError('bad-snapshot', `${name}: not a .pyheap file (bad magic) at byte 0`);
}
