// Electron IPC channel names, shared by the main process (electron/main/ipc.ts) and the preload.
export const IPC = {
  /** invoke(method, args) → {ok: true, value} | {ok: false, error: {code, message}} */
  call: 'heapscope:call',
  /** main → renderer: ProgressEvent */
  progress: 'heapscope:progress',
  /** main → renderer: ShellEvent */
  shell: 'heapscope:shell',
  /** invoke() → absolute path or null */
  pickSnapshot: 'heapscope:pick-snapshot',
  /** invoke(suggestedName, content) → saved path or null */
  saveFile: 'heapscope:save-file',
} as const;

import type { ApiErrorData } from './contract';

/** What crosses IPC for a call: Electron would otherwise flatten a rejection to "Error invoking…". */
export type CallEnvelope = { ok: true; value: unknown } | { ok: false; error: ApiErrorData };
