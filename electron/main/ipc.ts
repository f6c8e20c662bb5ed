// The Electron IPC adapter over HeapService: one invoke channel for every contract method, pushes for
// progress and shell events, and the two native dialogs. Arguments are validated by the service;
// calls from any frame but our own page are refused.
import { writeFile } from 'node:fs/promises';
import { ApiError, type ShellEvent } from '@shared/contract';
import { type CallEnvelope, IPC } from '@shared/ipc-channels';
import { BrowserWindow, dialog, type IpcMainInvokeEvent, ipcMain, type WebContents } from 'electron';
import { toErrorData } from '../service/errors';
import type { HeapService } from '../service/heap-service';

export interface IpcOptions {
  service: HeapService;
  /** The page URLs we load (app://heapscope/… or the dev server); IPC from anything else is refused. */
  isTrustedUrl(url: string): boolean;
  /** The windows that receive progress pushes. */
  windows(): WebContents[];
  /** Called after each successful call (the menu's Open Recent follows opens). */
  afterCall?(method: string): void;
}

/** Registers the handlers; returns a function that removes them (tests, shutdown). */
export function registerIpc(options: IpcOptions): () => void {
  const { service } = options;
  const trusted = (event: IpcMainInvokeEvent) => {
    const url = event.senderFrame?.url ?? '';
    return options.isTrustedUrl(url);
  };

  ipcMain.handle(IPC.call, async (event, method: unknown, args: unknown): Promise<CallEnvelope> => {
    try {
      if (!trusted(event)) throw new ApiError('unavailable', 'IPC from an untrusted page was refused');
      const value = await service.handle(method, args);
      options.afterCall?.(String(method));
      return { ok: true, value };
    } catch (err) {
      return { ok: false, error: toErrorData(err) };
    }
  });

  ipcMain.handle(IPC.pickSnapshot, async (event) => {
    if (!trusted(event)) return null;
    const owner = windowOf(event);
    const options = {
      title: 'Open Snapshot',
      properties: ['openFile' as const],
      filters: [
        { name: 'Heap snapshots', extensions: ['pyheap'] },
        { name: 'All files', extensions: ['*'] },
      ],
    };
    const result = owner ? await dialog.showOpenDialog(owner, options) : await dialog.showOpenDialog(options);
    return result.canceled ? null : (result.filePaths[0] ?? null);
  });

  ipcMain.handle(IPC.saveFile, async (event, suggestedName: unknown, content: unknown) => {
    if (!trusted(event) || typeof suggestedName !== 'string' || typeof content !== 'string') return null;
    const owner = windowOf(event);
    const options = { title: 'Save', defaultPath: suggestedName };
    const result = owner ? await dialog.showSaveDialog(owner, options) : await dialog.showSaveDialog(options);
    if (result.canceled || !result.filePath) return null;
    await writeFile(result.filePath, content);
    return result.filePath;
  });

  const unsubscribe = service.onProgress((event) => {
    for (const contents of options.windows()) {
      if (!contents.isDestroyed()) contents.send(IPC.progress, event);
    }
  });

  return () => {
    unsubscribe();
    for (const channel of [IPC.call, IPC.pickSnapshot, IPC.saveFile]) ipcMain.removeHandler(channel);
  };
}

export function sendShellEvent(contents: WebContents, event: ShellEvent): void {
  if (!contents.isDestroyed()) contents.send(IPC.shell, event);
}

function windowOf(event: IpcMainInvokeEvent): BrowserWindow | null {
  return BrowserWindow.fromWebContents(event.sender);
}
