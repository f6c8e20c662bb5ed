import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { defaultConfigDir, MAX_RECENT, RecentFiles } from './recent-files';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'heapscope-recent-'));
});
afterEach(() => rm(dir, { recursive: true, force: true }));

describe('RecentFiles', () => {
  it('keeps the newest first, without duplicates, at most MAX_RECENT', async () => {
    const recent = new RecentFiles(join(dir, 'nested'));
    for (let i = 0; i < MAX_RECENT + 3; i++) await recent.add(`/x/${i}.pyheap`, i);
    await recent.add('/x/5.pyheap', 100);
    const list = await recent.list();
    expect(list).toHaveLength(MAX_RECENT);
    expect(list[0]).toEqual({ path: '/x/5.pyheap', name: '5.pyheap', openedAt: 100 });
    expect(list.filter((f) => f.path === '/x/5.pyheap')).toHaveLength(1);
    expect(JSON.parse(await readFile(join(dir, 'nested', 'recent-files.json'), 'utf8'))).toEqual(list);
  });

  it('treats a missing or corrupt file as an empty list', async () => {
    const recent = new RecentFiles(dir);
    expect(await recent.list()).toEqual([]);
    await writeFile(join(dir, 'recent-files.json'), '{not json');
    expect(await recent.list()).toEqual([]);
    await writeFile(
      join(dir, 'recent-files.json'),
      JSON.stringify([{ path: 1 }, { path: '/a', name: 'a', openedAt: 1 }]),
    );
    expect(await recent.list()).toEqual([{ path: '/a', name: 'a', openedAt: 1 }]);
  });

  it('does not lose entries when opens finish together', async () => {
    const recent = new RecentFiles(dir);
    await Promise.all(['/a', '/b', '/c'].map((p, i) => recent.add(p, i)));
    expect((await recent.list()).map((f) => f.path).sort()).toEqual(['/a', '/b', '/c']);
  });

  it('lives in HEAPSCOPE_CONFIG_DIR, else the platform config folder', () => {
    expect(defaultConfigDir({ HEAPSCOPE_CONFIG_DIR: '/cfg' }, 'linux')).toBe('/cfg');
    expect(defaultConfigDir({ XDG_CONFIG_HOME: '/xdg' }, 'linux')).toBe(join('/xdg', 'heapscope'));
    expect(defaultConfigDir({ APPDATA: 'C:\\AppData' }, 'win32')).toBe(join('C:\\AppData', 'heapscope'));
  });
});
