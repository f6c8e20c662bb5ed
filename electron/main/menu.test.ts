import type { ShellEvent } from '@shared/contract';
import type { MenuItemConstructorOptions } from 'electron';
import { describe, expect, it, vi } from 'vitest';
import { menuTemplate } from './menu';

function find(items: MenuItemConstructorOptions[], label: string): MenuItemConstructorOptions {
  const item = items.find((i) => i.label === label);
  if (!item) throw new Error(`no menu item ${label}`);
  return item;
}

function submenu(item: MenuItemConstructorOptions): MenuItemConstructorOptions[] {
  return item.submenu as MenuItemConstructorOptions[];
}

function click(item: MenuItemConstructorOptions): void {
  (item.click as () => void)();
}

describe('application menu', () => {
  const recent = [{ path: '/data/a.pyheap', name: 'a.pyheap', openedAt: 1 }];

  it('sends File commands to the renderer as ShellEvents', () => {
    const sent: ShellEvent[] = [];
    const about = vi.fn();
    const file = submenu(find(menuTemplate({ shell: (e) => sent.push(e), about }, recent, 'linux'), 'File'));
    click(find(file, 'Open Snapshot…'));
    click(submenu(find(file, 'Open Recent'))[0]!);
    click(find(file, 'Compare Snapshots…'));
    click(find(file, 'Export Leak Report…'));
    click(find(file, 'Close'));
    expect(sent).toEqual([
      { type: 'open-dialog' },
      { type: 'open-path', path: '/data/a.pyheap' },
      { type: 'compare' },
      { type: 'export-report' },
      { type: 'close-tab' },
    ]);
    expect(find(file, 'Quit').role).toBe('quit');
  });

  it('has View roles and Help ▸ About', () => {
    const about = vi.fn();
    const template = menuTemplate({ shell: () => {}, about }, [], 'linux');
    const roles = submenu(find(template, 'View')).map((i) => i.role);
    expect(roles).toEqual(
      expect.arrayContaining([
        'reload',
        'toggleDevTools',
        'zoomIn',
        'zoomOut',
        'resetZoom',
        'togglefullscreen',
      ]),
    );
    const help = template.find((i) => i.role === 'help')!;
    click(find(submenu(help), 'About Heapscope'));
    expect(about).toHaveBeenCalledOnce();
    expect(submenu(find(submenu(find(template, 'File')), 'Open Recent'))[0]).toMatchObject({
      enabled: false,
    });
  });

  it('moves Quit to the app menu on macOS', () => {
    const template = menuTemplate({ shell: () => {}, about: () => {} }, [], 'darwin');
    expect(template[0]!.label).toBe('Heapscope');
    expect(submenu(find(template, 'File')).some((i) => i.label === 'Quit')).toBe(false);
  });
});
