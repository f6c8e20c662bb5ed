// What crosses the worker boundary between HeapService and the snapshot host. Plain data only:
// structured-clone-safe objects and Uint8Array; errors travel as {code, message}.
import type { ApiArgs, ApiErrorData, ApiMethod, ApiResult, ProgressEvent } from '@shared/contract';
import type { SnapshotQuery } from '@shared/queries';

/** The contract methods the snapshot host answers; the rest are handled by HeapService itself. */
export type HostMethod = 'open' | 'openBytes' | 'close' | 'list' | SnapshotQuery | ComparisonMethod;

/** Comparison (issue 6) runs in the host too: it reads several snapshots' arrays at once. */
export type ComparisonMethod = 'diff' | 'diffObjects' | 'leaks' | 'exportReport';

export type HostRequest = { [M in HostMethod]: { method: M; args: ApiArgs<M> } }[HostMethod] | UploadRequest;

/**
 * An upload the HTTP server has streamed to a temporary file (server/upload.ts): opened like a path,
 * named and listed like openBytes (no path). Not a contract method: only trusted transports send it.
 */
export interface UploadRequest {
  method: 'openUpload';
  args: { requestId: string; name: string; path: string };
}

export type ToHost =
  | { kind: 'call'; callId: number; request: HostRequest }
  | { kind: 'cancel'; requestId: string };

export type FromHost =
  | { kind: 'result'; callId: number; ok: true; value: ApiResult<ApiMethod> }
  | { kind: 'result'; callId: number; ok: false; error: ApiErrorData }
  | { kind: 'progress'; event: ProgressEvent };
