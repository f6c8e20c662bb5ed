// Where the snapshot host runs. Production hosts it in a worker thread so indexing a large heap never
// blocks IPC or HTTP; tests host it in their own thread with a fake loader. Both speak HostRequest.
import { Worker } from 'node:worker_threads';
import { ApiError, type ProgressEvent } from '@shared/contract';
import { fallbackCodeFor, toApiError, toErrorData } from './errors';
import { type Loader, SnapshotHost } from './host';
import type { FromHost, HostRequest, ToHost } from './messages';

export interface SnapshotBackend {
  request(request: HostRequest): Promise<unknown>;
  cancel(requestId: string): void;
  onProgress(listener: (event: ProgressEvent) => void): void;
  dispose(): Promise<void>;
}

/** Runs the host in the caller's thread. */
export class InThreadBackend implements SnapshotBackend {
  private readonly listeners = new Set<(event: ProgressEvent) => void>();
  private readonly host: SnapshotHost;

  constructor(load: Loader) {
    this.host = new SnapshotHost(load, (event) => {
      for (const listener of this.listeners) listener(event);
    });
  }

  async request(request: HostRequest): Promise<unknown> {
    try {
      return await this.host.handle(request);
    } catch (err) {
      throw toApiError(err, fallbackCodeFor(request.method));
    }
  }

  cancel(requestId: string): void {
    this.host.cancel(requestId);
  }

  onProgress(listener: (event: ProgressEvent) => void): void {
    this.listeners.add(listener);
  }

  async dispose(): Promise<void> {}
}

interface Pending {
  resolve: (value: unknown) => void;
  reject: (err: ApiError) => void;
}

/** Runs the host in a worker thread (electron/service/worker.ts, built to out/main/indexer-worker.js). */
export class WorkerBackend implements SnapshotBackend {
  private worker: Worker | null = null;
  private readonly pending = new Map<number, Pending>();
  private readonly listeners = new Set<(event: ProgressEvent) => void>();
  private nextCallId = 1;

  constructor(private readonly workerPath: string) {}

  request(request: HostRequest): Promise<unknown> {
    const callId = this.nextCallId++;
    return new Promise((resolve, reject) => {
      this.pending.set(callId, { resolve, reject });
      this.post({ kind: 'call', callId, request }, transferables(request));
      // A pending answer must keep the process alive (a CLI awaiting a load); an idle worker must not.
      this.worker?.ref();
    });
  }

  cancel(requestId: string): void {
    if (this.worker) this.post({ kind: 'cancel', requestId }, []);
  }

  onProgress(listener: (event: ProgressEvent) => void): void {
    this.listeners.add(listener);
  }

  async dispose(): Promise<void> {
    const worker = this.worker;
    this.worker = null;
    this.failAll('the snapshot service was shut down');
    if (worker) await worker.terminate();
  }

  private post(message: ToHost, transfer: ArrayBuffer[]): void {
    this.ensureWorker().postMessage(message, transfer);
  }

  private ensureWorker(): Worker {
    if (this.worker) return this.worker;
    const worker = new Worker(this.workerPath);
    worker.on('message', (message: FromHost) => this.receive(message));
    worker.on('error', (err) => this.crashed(worker, `the indexer crashed: ${toErrorData(err).message}`));
    worker.on('exit', (code) => this.crashed(worker, `the indexer stopped unexpectedly (exit code ${code})`));
    this.worker = worker;
    return worker;
  }

  private receive(message: FromHost): void {
    if (message.kind === 'progress') {
      for (const listener of this.listeners) listener(message.event);
      return;
    }
    const pending = this.pending.get(message.callId);
    if (!pending) return;
    this.pending.delete(message.callId);
    if (this.pending.size === 0) this.worker?.unref();
    if (message.ok) pending.resolve(message.value);
    else pending.reject(new ApiError(message.error.code, message.error.message));
  }

  /** Snapshots held by a dead worker are gone: fail what was in flight; the next call starts afresh. */
  private crashed(worker: Worker, message: string): void {
    if (this.worker !== worker) return;
    this.worker = null;
    this.failAll(`${message}; open the snapshot again`);
  }

  private failAll(message: string): void {
    for (const { reject } of this.pending.values()) reject(new ApiError('internal', message));
    this.pending.clear();
  }
}

/** Upload bytes move to the worker instead of being copied, when they own their whole buffer. */
function transferables(request: HostRequest): ArrayBuffer[] {
  if (request.method !== 'openBytes') return [];
  const { bytes } = request.args;
  const buffer = bytes.buffer;
  const whole = bytes.byteOffset === 0 && bytes.byteLength === buffer.byteLength;
  return whole && buffer instanceof ArrayBuffer ? [buffer] : [];
}
