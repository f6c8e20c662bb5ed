// Owns the open snapshots inside the thread that runs the indexer (the worker in production, the
// test's own thread in unit tests). It answers HostRequests and reports load progress; it never
// sees a transport.
import { basename, resolve } from 'node:path';
import type { ApiArgs, ApiResult, ProgressEvent, SnapshotId, SnapshotInfo, Stage } from '@shared/contract';
import { ApiError } from '@shared/contract';
import { SNAPSHOT_QUERIES, type SnapshotQueries, type SnapshotQuery } from '@shared/queries';
import { Comparisons, viewOfOpenSnapshot } from '../indexer/diff/comparisons';
import type { HostRequest } from './messages';

/** The indexer's HeapSnapshot as the host uses it (electron/indexer/index.ts). */
export interface LoadedSnapshot extends SnapshotQueries {
  info(id: SnapshotId, name: string, path: string | null): SnapshotInfo;
}

export type LoadSource = { path: string } | { bytes: Uint8Array; name: string };

export interface LoadProgress {
  stage: Stage;
  stageIndex: number;
  done: number;
  total: number;
  percent: number;
  counts?: { objects: number; edges: number };
}

export type Loader = (
  source: LoadSource,
  options: { onProgress?: (p: LoadProgress) => void; signal?: AbortSignal },
) => Promise<LoadedSnapshot>;

interface OpenSnapshot {
  snapshot: LoadedSnapshot;
  info: SnapshotInfo;
}

export class SnapshotHost {
  private readonly open = new Map<SnapshotId, OpenSnapshot>();
  private readonly loading = new Map<string, AbortController>();
  private nextId = 1;
  /** diff / leaks / exportReport over the open snapshots (electron/indexer/diff/comparisons.ts). */
  private readonly comparisons = new Comparisons((id) => {
    const entry = this.open.get(id);
    if (!entry) throw new ApiError('not-found', `snapshot ${id} is not open (it may have been closed)`);
    return viewOfOpenSnapshot(entry.snapshot, entry.info);
  });

  constructor(
    private readonly load: Loader,
    private readonly emitProgress: (event: ProgressEvent) => void,
  ) {}

  async handle(request: HostRequest): Promise<ApiResult<Exclude<HostRequest['method'], 'openUpload'>>> {
    switch (request.method) {
      case 'open': {
        const path = resolve(request.args.path);
        return this.loadInto(request.args.requestId, { path }, basename(path), path);
      }
      case 'openBytes': {
        const { bytes, name, requestId } = request.args;
        return this.loadInto(requestId, { bytes, name }, name, null);
      }
      case 'openUpload': {
        const { path, name, requestId } = request.args;
        return this.loadInto(requestId, { path }, name, null);
      }
      case 'close':
        this.open.delete(request.args.snapshot);
        this.comparisons.forget(request.args.snapshot);
        return undefined;
      case 'diff':
        return this.comparisons.diff(request.args);
      case 'diffObjects':
        return this.comparisons.diffObjects(request.args);
      case 'leaks':
        return this.comparisons.leaks(request.args);
      case 'exportReport':
        return this.comparisons.exportReport(request.args);
      case 'list':
        return [...this.open.values()].map((s) => s.info);
      default:
        return this.query(request.method, request.args);
    }
  }

  /** Aborts a load in progress; unknown or finished requests are ignored (the race is harmless). */
  cancel(requestId: string): void {
    this.loading.get(requestId)?.abort();
  }

  private async loadInto(requestId: string, source: LoadSource, name: string, path: string | null) {
    if (this.loading.has(requestId)) {
      throw new ApiError('bad-argument', `requestId ${requestId} is already loading`);
    }
    const controller = new AbortController();
    this.loading.set(requestId, controller);
    try {
      const snapshot = await this.load(source, {
        signal: controller.signal,
        onProgress: (p) => this.emitProgress({ requestId, ...p }),
      });
      if (controller.signal.aborted) throw new ApiError('cancelled', `opening ${name} was cancelled`);
      const id = `s${this.nextId++}`;
      const info = snapshot.info(id, name, path);
      this.open.set(id, { snapshot, info });
      return info;
    } catch (err) {
      if (controller.signal.aborted) throw new ApiError('cancelled', `opening ${name} was cancelled`);
      throw err;
    } finally {
      this.loading.delete(requestId);
    }
  }

  private query<Q extends SnapshotQuery>(method: Q, args: ApiArgs<Q>): ApiResult<Q> {
    if (!SNAPSHOT_QUERIES.includes(method)) throw new ApiError('bad-argument', `unknown query ${method}`);
    const { snapshot: id, ...rest } = args;
    const entry = this.open.get(id);
    if (!entry) throw new ApiError('not-found', `snapshot ${id} is not open (it may have been closed)`);
    const run = entry.snapshot[method] as (a: Omit<ApiArgs<Q>, 'snapshot'>) => ApiResult<Q>;
    return run.call(entry.snapshot, rest);
  }
}
