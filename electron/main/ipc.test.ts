// Electron mocked: a fake ipcMain/ipcRenderer pair that structured-clones everything crossing it, as
// real IPC does. Proves every contract method travels renderer → main → service and back, that
// events flow main → renderer, and that bad or untrusted calls are refused.
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ApiError, ApiMethod, HeapscopeClient, ProgressEvent, ShellEvent } from '@shared/contract';
import { API_METHODS } from '@shared/validate';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { InThreadBackend } from '../service/backend';
import { HeapService } from '../service/heap-service';
import { RecentFiles } from '../service/recent-files';
import { type FakeLoader, fakeLoader, VALID_ARGS } from '../service/test-fakes';
import { registerIpc, sendShellEvent } from './ipc';

type Handler = (event: unknown, ...args: unknown[]) => unknown;
type Listener = (event: unknown, payload: unknown) => void;

const electron = vi.hoisted(() => {
  const handlers = new Map<string, Handler>();
  const listeners = new Map<string, Set<Listener>>();
  const state = { frameUrl: 'app://heapscope/index.html', exposed: new Map<string, unknown>() };
  const webContents = {
    isDestroyed: () => false,
    send: (channel: string, payload: unknown) => {
      for (const l of listeners.get(channel) ?? []) l({}, structuredClone(payload));
    },
  };
  return { handlers, listeners, state, webContents, saved: '' };
});

vi.mock('electron', () => ({
  ipcMain: {
    handle: (channel: string, fn: Handler) => electron.handlers.set(channel, fn),
    removeHandler: (channel: string) => electron.handlers.delete(channel),
  },
  ipcRenderer: {
    invoke: async (channel: string, ...args: unknown[]) => {
      const handler = electron.handlers.get(channel);
      if (!handler) throw new Error(`no handler for ${channel}`);
      const event = { senderFrame: { url: electron.state.frameUrl }, sender: electron.webContents };
      return structuredClone(await handler(event, ...structuredClone(args)));
    },
    on: (channel: string, l: Listener) => {
      const set = electron.listeners.get(channel) ?? new Set();
      set.add(l);
      electron.listeners.set(channel, set);
    },
    removeListener: (channel: string, l: Listener) => electron.listeners.get(channel)?.delete(l),
  },
  contextBridge: {
    exposeInMainWorld: (key: string, api: unknown) => electron.state.exposed.set(key, api),
  },
  BrowserWindow: { fromWebContents: () => null },
  dialog: {
    showOpenDialog: async () => ({ canceled: false, filePaths: ['/picked/app.pyheap'] }),
    showSaveDialog: async () => ({ canceled: false, filePath: electron.saved }),
  },
}));

let dir: string;
let loader: FakeLoader;
let service: HeapService;
let client: HeapscopeClient;
let unregister: () => void;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'heapscope-ipc-'));
  loader = fakeLoader();
  service = new HeapService({
    backend: new InThreadBackend(loader.load),
    recentFiles: new RecentFiles(dir),
    transport: 'electron',
    appVersion: '9.9.9',
    nativeDialogs: true,
  });
  unregister = registerIpc({
    service,
    isTrustedUrl: (url) => url.startsWith('app://heapscope/'),
    windows: () => [electron.webContents as never],
  });
  await import('../preload/index');
  client = electron.state.exposed.get('heapscope') as HeapscopeClient;
});

afterAll(async () => {
  unregister();
  await rm(dir, { recursive: true, force: true });
});

async function outcome(promise: Promise<unknown>) {
  return promise.then(
    (value) => ({ ok: true as const, value }),
    (error: unknown) => ({ ok: false as const, error }),
  );
}

describe('Electron IPC', () => {
  it('exposes only the client on window.heapscope', () => {
    expect([...electron.state.exposed.keys()]).toEqual(['heapscope']);
  });

  it('carries every contract method to the service and its result or error back', async () => {
    const seen: [unknown, unknown][] = [];
    const original = service.handle.bind(service);
    const spy = vi.spyOn(service, 'handle').mockImplementation((method, args) => {
      seen.push([method, args]);
      return original(method, args);
    });
    await client.call('open', { requestId: 'o1', path: '/tmp/one.pyheap' });
    await client.call('open', { requestId: 'o2', path: '/tmp/two.pyheap' });
    // close last: the queries need s1 open.
    const order: ApiMethod[] = [...API_METHODS.filter((m) => m !== 'close'), 'close'];
    for (const method of order) {
      seen.length = 0;
      const viaIpc = await outcome(client.call(method, VALID_ARGS[method] as never));
      expect(seen, method).toEqual([[method, VALID_ARGS[method]]]);
      if (viaIpc.ok) continue;
      // Errors come back as plain {code, message} (contextBridge would drop an Error's code), e.g.
      // comparison is not built yet; renderer/src/transport revives them into ApiError.
      expect(viaIpc.error, method).toMatchObject({ name: 'ApiError', message: expect.any(String) });
      expect(['unavailable', 'not-found'], method).toContain((viaIpc.error as ApiError).code);
    }
    spy.mockRestore();
    expect(await client.call('environment', {})).toMatchObject({
      transport: 'electron',
      appVersion: '9.9.9',
    });
    const page = await client.call('summary', { snapshot: 's2', range: { start: 0, end: 5 } });
    expect(page).toEqual({
      start: 0,
      end: 1,
      total: 1,
      rows: [{ typeKey: '0', type: 'dict', count: 1, shallow: 64, retained: 128, distance: 2 }],
    });
  });

  it('rejects bad arguments from the renderer with one line, before the service runs', async () => {
    const before = loader.sources.length;
    const bad = await outcome(client.call('open', { requestId: 'x', path: 7 } as never));
    expect(bad.ok).toBe(false);
    expect(bad.ok ? null : bad.error).toMatchObject({
      code: 'bad-argument',
      message: 'open.path: expected a string, got 7',
    });
    const unknown = await outcome(client.call('rm -rf' as ApiMethod, {} as never));
    expect(unknown.ok ? null : unknown.error).toMatchObject({ code: 'bad-argument' });
    expect(loader.sources.length).toBe(before);
  });

  it('refuses calls from a page that is not ours', async () => {
    electron.state.frameUrl = 'https://evil.example/';
    try {
      const r = await outcome(client.call('list', {}));
      expect(r.ok ? null : r.error).toMatchObject({ code: 'unavailable' });
    } finally {
      electron.state.frameUrl = 'app://heapscope/index.html';
    }
  });

  it('pushes load progress and shell commands to the renderer', async () => {
    const progress: ProgressEvent[] = [];
    const shell: ShellEvent[] = [];
    const stopProgress = client.onProgress((e) => progress.push(e));
    const stopShell = client.onShellEvent((e) => shell.push(e));
    await client.call('open', { requestId: 'p1', path: '/tmp/p.pyheap' });
    sendShellEvent(electron.webContents as never, { type: 'open-path', path: '/tmp/x.pyheap' });
    expect(progress.map((e) => e.requestId)).toEqual(['p1']);
    expect(shell).toEqual([{ type: 'open-path', path: '/tmp/x.pyheap' }]);
    stopProgress();
    stopShell();
    sendShellEvent(electron.webContents as never, { type: 'close-tab' });
    expect(shell).toHaveLength(1);
  });

  it('offers the native open and save dialogs', async () => {
    expect(await client.pickSnapshotPath?.()).toBe('/picked/app.pyheap');
    electron.saved = join(dir, 'report.html');
    expect(await client.saveFile?.('report.html', '<h1>r</h1>')).toBe(electron.saved);
    expect(await readFile(electron.saved, 'utf8')).toBe('<h1>r</h1>');
  });
});
