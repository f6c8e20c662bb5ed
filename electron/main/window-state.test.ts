import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DEFAULT_STATE, loadWindowState, sanitize, saveWindowState, stateFile } from './window-state';

const display = { x: 0, y: 0, width: 1920, height: 1080 };
let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'heapscope-window-'));
});
afterEach(() => rm(dir, { recursive: true, force: true }));

describe('window state', () => {
  it('round-trips bounds and the maximized flag', () => {
    const file = stateFile(dir);
    saveWindowState(file, { x: 100, y: 50, width: 1000, height: 700, maximized: true });
    expect(loadWindowState(file, [display])).toEqual({
      x: 100,
      y: 50,
      width: 1000,
      height: 700,
      maximized: true,
    });
  });

  it('falls back to defaults for a missing or corrupt file', () => {
    expect(loadWindowState(join(dir, 'none.json'), [display])).toEqual(DEFAULT_STATE);
    expect(sanitize('junk', [display])).toEqual(DEFAULT_STATE);
  });

  it('drops a position on a display that is gone, and enforces a minimum size', () => {
    expect(sanitize({ x: 5000, y: 5000, width: 10, height: 10 }, [display])).toEqual({
      width: 640,
      height: 400,
      maximized: false,
    });
  });
});
