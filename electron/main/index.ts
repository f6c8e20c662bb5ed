// Electron main process: app and window life-cycle only. The contract is served by HeapService over
// IPC (./ipc.ts); the menu, file arguments, a second launch and dropped files all become ShellEvents
// the renderer acts on.
import { join } from 'node:path';
import type { ShellEvent } from '@shared/contract';
import { app, type BrowserWindow, dialog, Menu } from 'electron';
import { createHeapService } from '../service/index';
import { snapshotArgs } from './args';
import { registerIpc, sendShellEvent } from './ipc';
import { menuTemplate } from './menu';
import { APP_ORIGIN, handleAppScheme, registerAppScheme } from './protocol';
import { createMainWindow, preloadPath } from './window';

const devUrl = process.env.ELECTRON_RENDERER_URL;
const pageUrl = devUrl ?? `${APP_ORIGIN}/index.html`;
let mainWindow: BrowserWindow | null = null;
let pageReady = false;
// Files to open once the page can hear about them (first launch, or before the window exists).
const pending: string[] = [];

registerAppScheme();
app.enableSandbox();

if (!app.requestSingleInstanceLock()) {
  // The running instance receives our argv in 'second-instance' and opens the files.
  app.quit();
} else {
  pending.push(...snapshotArgs(process.argv, process.cwd()));
  app.on('second-instance', (_event, argv, cwd) => {
    openPaths(snapshotArgs(argv, cwd));
    if (mainWindow) {
      if (mainWindow.isMinimized()) mainWindow.restore();
      mainWindow.focus();
    }
  });
  // macOS delivers double-clicked files here, possibly before 'ready'.
  app.on('open-file', (event, path) => {
    event.preventDefault();
    openPaths([path]);
  });
  app.whenReady().then(start);
  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit();
  });
}

function shell(event: ShellEvent): void {
  if (mainWindow && pageReady) sendShellEvent(mainWindow.webContents, event);
}

function openPaths(paths: string[]): void {
  if (mainWindow && pageReady) for (const path of paths) shell({ type: 'open-path', path });
  else pending.push(...paths);
}

async function start(): Promise<void> {
  handleAppScheme(join(__dirname, '..', 'renderer'));
  const service = createHeapService({
    transport: 'electron',
    nativeDialogs: true,
    configDir: app.getPath('userData'),
    version: app.getVersion(),
  });
  const refreshMenu = async () => {
    const recent = await service.call('recentFiles', {});
    Menu.setApplicationMenu(Menu.buildFromTemplate(menuTemplate({ shell, about }, recent)));
  };
  registerIpc({
    service,
    isTrustedUrl: (url) =>
      url.startsWith(`${APP_ORIGIN}/`) || (devUrl !== undefined && url.startsWith(devUrl)),
    windows: () => (mainWindow ? [mainWindow.webContents] : []),
    afterCall: (method) => {
      if (method === 'open' || method === 'openDemo') refreshMenu();
    },
  });
  await refreshMenu();
  createWindow();
  app.on('activate', () => {
    if (!mainWindow) createWindow();
  });
  app.on('will-quit', () => {
    service.dispose();
  });
}

function createWindow(): void {
  pageReady = false;
  const win = createMainWindow({
    userData: app.getPath('userData'),
    preload: preloadPath(),
    url: pageUrl,
    onDropPath: (path) => openPaths([path]),
  });
  win.webContents.on('did-finish-load', () => {
    pageReady = true;
    openPaths(pending.splice(0));
  });
  win.on('closed', () => {
    mainWindow = null;
    pageReady = false;
  });
  mainWindow = win;
}

function about(): void {
  const { electron, chrome, node } = process.versions;
  const detail = `Version ${app.getVersion()}\nElectron ${electron} · Chromium ${chrome} · Node ${node}`;
  const options = { type: 'info' as const, title: 'About Heapscope', message: 'Heapscope', detail };
  if (mainWindow) dialog.showMessageBox(mainWindow, options);
  else dialog.showMessageBox(options);
}
