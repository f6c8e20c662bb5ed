// The application menu. Commands that need the page (open, compare, export, close a tab) are sent to
// the renderer as ShellEvents; the renderer owns what they mean.
import type { RecentFile, ShellEvent } from '@shared/contract';
import type { MenuItemConstructorOptions } from 'electron';

export interface MenuActions {
  /** Sends a command to the focused window's renderer. */
  shell(event: ShellEvent): void;
  about(): void;
  clearRecent?(): void;
}

export function menuTemplate(
  actions: MenuActions,
  recent: RecentFile[],
  platform: NodeJS.Platform = process.platform,
): MenuItemConstructorOptions[] {
  const mac = platform === 'darwin';
  const recentItems: MenuItemConstructorOptions[] =
    recent.length === 0
      ? [{ label: 'No Recent Snapshots', enabled: false }]
      : recent.map((file) => ({
          label: file.name,
          toolTip: file.path,
          click: () => actions.shell({ type: 'open-path', path: file.path }),
        }));
  const file: MenuItemConstructorOptions = {
    label: 'File',
    submenu: [
      {
        label: 'Open Snapshot…',
        accelerator: 'CmdOrCtrl+O',
        click: () => actions.shell({ type: 'open-dialog' }),
      },
      { label: 'Open Recent', submenu: recentItems },
      { label: 'Capture from Running Process…', click: () => actions.shell({ type: 'capture' }) },
      { type: 'separator' },
      {
        label: 'Compare Snapshots…',
        accelerator: 'CmdOrCtrl+Shift+C',
        click: () => actions.shell({ type: 'compare' }),
      },
      {
        label: 'Export Leak Report…',
        accelerator: 'CmdOrCtrl+E',
        click: () => actions.shell({ type: 'export-report' }),
      },
      { type: 'separator' },
      { label: 'Close', accelerator: 'CmdOrCtrl+W', click: () => actions.shell({ type: 'close-tab' }) },
      ...(mac ? [] : [{ type: 'separator' as const }, { label: 'Quit', role: 'quit' as const }]),
    ],
  };
  const view: MenuItemConstructorOptions = {
    label: 'View',
    submenu: [
      { role: 'reload' },
      { role: 'forceReload' },
      { role: 'toggleDevTools' },
      { type: 'separator' },
      { role: 'resetZoom' },
      { role: 'zoomIn' },
      { role: 'zoomOut' },
      { type: 'separator' },
      { role: 'togglefullscreen' },
    ],
  };
  const help: MenuItemConstructorOptions = {
    role: 'help',
    submenu: [{ label: 'About Heapscope', click: () => actions.about() }],
  };
  // macOS puts Quit and About under the app menu; the others keep them in File and Help.
  const appMenu: MenuItemConstructorOptions[] = mac
    ? [
        {
          label: 'Heapscope',
          submenu: [
            { label: 'About Heapscope', click: () => actions.about() },
            { type: 'separator' },
            { role: 'hide' },
            { role: 'hideOthers' },
            { role: 'unhide' },
            { type: 'separator' },
            { role: 'quit' },
          ],
        },
      ]
    : [];
  return [...appMenu, file, { role: 'editMenu' }, view, help];
}
