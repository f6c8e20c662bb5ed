// HeapService implements the API contract once; Electron IPC, the HTTP server and the CLI are thin
// adapters over it. It answers environment/recent/demo itself, hands snapshot work to the backend
// (the indexer in a worker thread), comparison included (it reads several snapshots' arrays).
import { resolve } from 'node:path';
import {
  API_VERSION,
  type ApiArgs,
  ApiError,
  type ApiMethod,
  type ApiResult,
  type Environment,
  type ProgressEvent,
  type PythonProcessRow,
} from '@shared/contract';
import type { SnapshotQuery } from '@shared/queries';
import { validateArgs } from '@shared/validate';
import type { SnapshotBackend } from './backend';
import { toApiError } from './errors';
import type { HostRequest } from './messages';
import type { RecentFiles } from './recent-files';

export interface HeapServiceOptions {
  backend: SnapshotBackend;
  recentFiles: RecentFiles;
  transport: Environment['transport'];
  appVersion: string;
  nativeDialogs: boolean;
  /** Dumps the bundled demo program and returns the .pyheap path; absent when it cannot run. */
  dumpDemo?: () => Promise<string>;
  /** Captures running Python processes (service/capture/); absent where capture cannot run. */
  capture?: CaptureHooks;
}

export interface CaptureHooks {
  list(): Promise<PythonProcessRow[]>;
  /** Writes a snapshot of `pid` and returns its path; rejects with ApiError (code 'cancelled' on abort). */
  run(
    request: { pid: number; fork: boolean; timeoutSeconds: number },
    onProgress: (p: NonNullable<ProgressEvent['capture']>) => void,
    signal: AbortSignal,
  ): Promise<string>;
}

type Handlers = { [M in ApiMethod]: (args: ApiArgs<M>) => Promise<ApiResult<M>> };

export class HeapService {
  private readonly listeners = new Set<(event: ProgressEvent) => void>();
  private readonly handlers: Handlers;
  /** Captures in flight by requestId, so `cancel` reaches them as it reaches indexing. */
  private readonly captures = new Map<string, AbortController>();

  constructor(private readonly options: HeapServiceOptions) {
    options.backend.onProgress((event) => {
      for (const listener of this.listeners) listener(event);
    });
    const query =
      <Q extends SnapshotQuery>(method: Q) =>
      (args: ApiArgs<Q>) =>
        this.host({ method, args } as HostRequest) as Promise<ApiResult<Q>>;
    // A mapped type over ApiMethod: a contract method without a handler does not compile.
    this.handlers = {
      environment: async () => this.environment(),
      open: (args) => this.openPath(args.requestId, args.path),
      openBytes: (args) => this.host({ method: 'openBytes', args }) as Promise<ApiResult<'openBytes'>>,
      openDemo: (args) => this.openDemo(args.requestId),
      captureList: () => this.captureHooks().list(),
      capture: (args) => this.capture(args),
      cancel: async (args) => {
        this.captures.get(args.requestId)?.abort();
        options.backend.cancel(args.requestId);
      },
      close: async (args) => {
        await this.host({ method: 'close', args });
      },
      list: (args) => this.host({ method: 'list', args }) as Promise<ApiResult<'list'>>,
      recentFiles: () => options.recentFiles.list(),
      summary: query('summary'),
      instances: query('instances'),
      instanceRank: query('instanceRank'),
      dominatorChildren: query('dominatorChildren'),
      dominatorSubtree: query('dominatorSubtree'),
      dominatorChain: query('dominatorChain'),
      referents: query('referents'),
      referrers: query('referrers'),
      retainerPaths: query('retainerPaths'),
      objectDetails: query('objectDetails'),
      search: query('search'),
      searchTypes: query('searchTypes'),
      insights: query('insights'),
      insightFindings: query('insightFindings'),
      insightOwners: query('insightOwners'),
      insightObjects: query('insightObjects'),
      previews: query('previews'),
      heldAs: query('heldAs'),
      diff: (args) => this.host({ method: 'diff', args }) as Promise<ApiResult<'diff'>>,
      leaks: (args) => this.host({ method: 'leaks', args }) as Promise<ApiResult<'leaks'>>,
      diffObjects: (args) => this.host({ method: 'diffObjects', args }) as Promise<ApiResult<'diffObjects'>>,
      exportReport: (args) =>
        this.host({ method: 'exportReport', args }) as Promise<ApiResult<'exportReport'>>,
    };
  }

  /** Typed entry for trusted callers (the CLI). Arguments are still checked: one code path. */
  call<M extends ApiMethod>(method: M, args: ApiArgs<M>): Promise<ApiResult<M>> {
    return this.handle(method, args) as Promise<ApiResult<M>>;
  }

  /** Entry for transports: `method` and `args` come straight off the wire. Rejects with ApiError only. */
  async handle(method: unknown, args: unknown): Promise<unknown> {
    try {
      const checked = validateArgs(method as ApiMethod, args);
      const handler = this.handlers[method as ApiMethod] as (a: unknown) => Promise<unknown>;
      return await handler(checked);
    } catch (err) {
      throw toApiError(err);
    }
  }

  /**
   * Opens an upload the HTTP server streamed to `path` (a temporary file it owns and deletes),
   * listed under `name` with no path, as openBytes would. For trusted transports only; the
   * arguments are checked as openBytes's are.
   */
  async openUpload(requestId: string, name: string, path: string): Promise<ApiResult<'openBytes'>> {
    try {
      validateArgs('openBytes', { requestId, name, bytes: new Uint8Array(0) });
      return (await this.host({
        method: 'openUpload',
        args: { requestId, name, path },
      })) as ApiResult<'openBytes'>;
    } catch (err) {
      throw toApiError(err);
    }
  }

  onProgress(listener: (event: ProgressEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  dispose(): Promise<void> {
    this.listeners.clear();
    return this.options.backend.dispose();
  }

  private environment(): Environment {
    const { transport, appVersion, nativeDialogs, dumpDemo } = this.options;
    return {
      transport,
      appVersion,
      apiVersion: API_VERSION,
      platform: process.platform,
      canOpenDemo: dumpDemo !== undefined,
      nativeDialogs,
      canCapture: this.options.capture !== undefined,
    };
  }

  private captureHooks(): CaptureHooks {
    const hooks = this.options.capture;
    if (!hooks)
      throw new ApiError(
        'unavailable',
        'Capture is not available here: it needs Linux and the bundled Python dumper',
      );
    return hooks;
  }

  private async capture(args: ApiArgs<'capture'>): Promise<ApiResult<'capture'>> {
    const hooks = this.captureHooks();
    const { requestId, pid, fork, timeoutSeconds } = args;
    const controller = new AbortController();
    this.captures.set(requestId, controller);
    let path: string;
    try {
      path = await hooks.run(
        { pid, fork, timeoutSeconds },
        (capture) => {
          const event = {
            requestId,
            stage: 'read' as const,
            stageIndex: 0,
            done: 0,
            total: 0,
            percent: 0,
            capture,
          };
          for (const listener of this.listeners) listener(event);
        },
        controller.signal,
      );
    } finally {
      this.captures.delete(requestId);
    }
    return this.openPath(requestId, path);
  }

  private async openPath(requestId: string, path: string): Promise<ApiResult<'open'>> {
    const absolute = resolve(path);
    const info = (await this.host({
      method: 'open',
      args: { requestId, path: absolute },
    })) as ApiResult<'open'>;
    // The list is a convenience: failing to write it must not fail the open.
    await this.options.recentFiles.add(absolute).catch(() => undefined);
    return info;
  }

  private async openDemo(requestId: string): Promise<ApiResult<'openDemo'>> {
    const { dumpDemo } = this.options;
    if (!dumpDemo) throw new ApiError('unavailable', 'The demo is not available yet');
    const path = await dumpDemo();
    return this.host({ method: 'open', args: { requestId, path } }) as Promise<ApiResult<'open'>>;
  }

  private host(request: HostRequest): Promise<unknown> {
    return this.options.backend.request(request);
  }
}
