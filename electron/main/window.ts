// Creates the main window with the locked-down web preferences, remembers its bounds, and turns a
// .pyheap dropped anywhere on it into an "open" command instead of a navigation.
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { BrowserWindow, screen } from 'electron';
import { loadWindowState, saveWindowState, stateFile } from './window-state';

export interface WindowOptions {
  userData: string;
  preload: string;
  url: string;
  /** A file was dropped on the window (and the page did not handle the drop itself). */
  onDropPath(path: string): void;
}

export function createMainWindow(options: WindowOptions): BrowserWindow {
  const file = stateFile(options.userData);
  const displays = screen.getAllDisplays().map((d) => d.workArea);
  const state = loadWindowState(file, displays);
  const win = new BrowserWindow({
    ...state,
    minWidth: 640,
    minHeight: 400,
    show: false,
    title: 'Heapscope',
    backgroundColor: '#1e1f22',
    webPreferences: {
      preload: options.preload,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      webSecurity: true,
      spellcheck: false,
    },
  });
  if (state.maximized) win.maximize();
  win.once('ready-to-show', () => win.show());

  // Chromium navigates to a dropped file the page did not claim; take the path and stay put.
  win.webContents.on('will-navigate', (event, url) => {
    if (url.startsWith(options.url)) return;
    event.preventDefault();
    if (url.startsWith('file:')) options.onDropPath(fileURLToPath(url));
  });
  win.webContents.setWindowOpenHandler(() => ({ action: 'deny' }));

  win.on('close', () => {
    const bounds = win.getNormalBounds();
    saveWindowState(file, { ...bounds, maximized: win.isMaximized() });
  });
  win.loadURL(options.url);
  return win;
}

export function preloadPath(): string {
  return join(__dirname, '..', 'preload', 'index.js');
}
