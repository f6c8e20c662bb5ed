// The main process's life-cycle with electron mocked: secure window preferences, the app:// page,
// the menu, and files arriving by argv, by a second launch, and by a drop on the window.
import type { EventEmitter } from 'node:events';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';

interface FakeWindow extends EventEmitter {
  options: Record<string, unknown>;
  webContents: EventEmitter & { sent: [string, unknown][] };
  loaded: string[];
  focused: number;
}

const fake = vi.hoisted(() => {
  const state = {
    userData: '',
    lock: true,
    windows: [] as FakeWindow[],
    menus: [] as unknown[],
    schemes: [] as unknown[],
    sandboxed: false,
    quit: 0,
    ready: null as null | (() => void),
  };
  return { state };
});

vi.mock('electron', async () => {
  const { EventEmitter: Emitter } = await import('node:events');
  const app = Object.assign(new Emitter(), {
    enableSandbox: () => {
      fake.state.sandboxed = true;
    },
    requestSingleInstanceLock: () => fake.state.lock,
    quit: () => {
      fake.state.quit++;
    },
    whenReady: () =>
      new Promise<void>((resolve) => {
        fake.state.ready = resolve;
      }),
    getPath: () => fake.state.userData,
    getVersion: () => '0.1.0',
  });
  class BrowserWindow extends Emitter {
    options: Record<string, unknown>;
    loaded: string[] = [];
    focused = 0;
    webContents = Object.assign(new Emitter(), {
      sent: [] as [string, unknown][],
      send(this: { sent: [string, unknown][] }, channel: string, payload: unknown) {
        this.sent.push([channel, payload]);
      },
      isDestroyed: () => false,
      setWindowOpenHandler: () => {},
    });
    constructor(options: Record<string, unknown>) {
      super();
      this.options = options;
      fake.state.windows.push(this as unknown as FakeWindow);
    }
    loadURL(url: string) {
      this.loaded.push(url);
    }
    maximize() {}
    isMinimized() {
      return false;
    }
    restore() {}
    focus() {
      this.focused++;
    }
    static fromWebContents() {
      return null;
    }
  }
  return {
    app,
    BrowserWindow,
    Menu: {
      buildFromTemplate: (t: unknown) => t,
      setApplicationMenu: (m: unknown) => fake.state.menus.push(m),
    },
    protocol: {
      registerSchemesAsPrivileged: (s: unknown) => fake.state.schemes.push(s),
      handle: () => {},
    },
    screen: { getAllDisplays: () => [{ workArea: { x: 0, y: 0, width: 1920, height: 1080 } }] },
    ipcMain: { handle: () => {}, removeHandler: () => {} },
    dialog: {},
  };
});

let dir: string;
let first: string;
let second: string;
const argv = process.argv;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'heapscope-main-'));
  fake.state.userData = join(dir, 'userData');
  first = join(dir, 'first.pyheap');
  second = join(dir, 'second.pyheap');
  await writeFile(first, '');
  await writeFile(second, '');
  process.argv = ['/opt/electron', '.', first];
  await import('./index');
  fake.state.ready?.();
  await vi.waitFor(() => expect(fake.state.windows).toHaveLength(1));
});

afterAll(async () => {
  process.argv = argv;
  await rm(dir, { recursive: true, force: true });
});

const win = () => fake.state.windows[0]!;
const shellEvents = () =>
  win()
    .webContents.sent.filter(([c]) => c === 'heapscope:shell')
    .map(([, e]) => e);

describe('Electron main', () => {
  it('locks the renderer down and loads the app:// page', () => {
    expect(fake.state.sandboxed).toBe(true);
    expect(fake.state.schemes).toEqual([[expect.objectContaining({ scheme: 'app' })]]);
    expect(win().options.webPreferences).toMatchObject({
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      preload: expect.stringMatching(/preload[\\/]index\.js$/),
    });
    expect(win().loaded).toEqual(['app://heapscope/index.html']);
  });

  it('installs the application menu', () => {
    const menu = fake.state.menus.at(-1) as { label?: string; role?: string }[];
    expect(menu.map((m) => m.label ?? m.role)).toEqual(expect.arrayContaining(['File', 'View', 'help']));
  });

  it('opens the file given on the command line once the page has loaded', () => {
    expect(shellEvents()).toEqual([]);
    win().webContents.emit('did-finish-load');
    expect(shellEvents()).toEqual([{ type: 'open-path', path: first }]);
  });

  it('opens a second launch’s file in the running window and focuses it', async () => {
    const { app } = await import('electron');
    app.emit('second-instance', {}, ['/opt/electron', 'second.pyheap'], dir);
    expect(shellEvents().at(-1)).toEqual({ type: 'open-path', path: second });
    expect(win().focused).toBe(1);
  });

  it('opens a .pyheap dropped on the window instead of navigating to it', () => {
    let prevented = false;
    const event = { preventDefault: () => (prevented = true) };
    win().webContents.emit('will-navigate', event, `file://${second}`);
    expect(prevented).toBe(true);
    expect(shellEvents().at(-1)).toEqual({ type: 'open-path', path: second });
  });

  it('saves the window bounds on close', async () => {
    Object.assign(win(), {
      getNormalBounds: () => ({ x: 10, y: 20, width: 900, height: 700 }),
      isMaximized: () => false,
    });
    win().emit('close');
    const { loadWindowState, stateFile } = await import('./window-state');
    const display = { x: 0, y: 0, width: 1920, height: 1080 };
    expect(loadWindowState(stateFile(fake.state.userData), [display])).toEqual({
      x: 10,
      y: 20,
      width: 900,
      height: 700,
      maximized: false,
    });
  });

  it('quits at once when another instance holds the lock (it gets our files instead)', async () => {
    vi.resetModules();
    fake.state.lock = false;
    fake.state.ready = null;
    await import('./index');
    expect(fake.state.quit).toBe(1);
    expect(fake.state.windows).toHaveLength(1);
  });
});
