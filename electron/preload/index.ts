// Exposes the typed HeapscopeClient on window.heapscope. Runs sandboxed with context isolation, so
// only this object crosses into the page: no ipcRenderer, no Node.
import type {
  ApiArgs,
  ApiMethod,
  ApiResult,
  HeapscopeClient,
  ProgressEvent,
  ShellEvent,
} from '@shared/contract';
import { type CallEnvelope, IPC } from '@shared/ipc-channels';
import { contextBridge, type IpcRendererEvent, ipcRenderer } from 'electron';

function listen<T>(channel: string, listener: (event: T) => void): () => void {
  const handler = (_event: IpcRendererEvent, payload: T) => listener(payload);
  ipcRenderer.on(channel, handler);
  return () => {
    ipcRenderer.removeListener(channel, handler);
  };
}

// contextBridge copies an Error's message only, so failures cross as plain {name, code, message}
// data; renderer/src/transport revives them into ApiError.
async function call<M extends ApiMethod>(method: M, args: ApiArgs<M>): Promise<ApiResult<M>> {
  const envelope = (await ipcRenderer.invoke(IPC.call, method, args)) as CallEnvelope;
  if (envelope.ok) return envelope.value as ApiResult<M>;
  throw { name: 'ApiError', code: envelope.error.code, message: envelope.error.message };
}

export const client: HeapscopeClient = {
  call,
  onProgress: (listener) => listen<ProgressEvent>(IPC.progress, listener),
  onShellEvent: (listener) => listen<ShellEvent>(IPC.shell, listener),
  pickSnapshotPath: () => ipcRenderer.invoke(IPC.pickSnapshot) as Promise<string | null>,
  saveFile: (name, content) => ipcRenderer.invoke(IPC.saveFile, name, content) as Promise<string | null>,
};

contextBridge.exposeInMainWorld('heapscope', client);
