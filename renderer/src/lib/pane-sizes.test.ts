import { describe, expect, it } from 'vitest';
import {
  clampBottom,
  clampSide,
  DEFAULT_PANES,
  loadPaneSizes,
  MAIN_MIN,
  PANES_KEY,
  SIDE_MIN,
  savePaneSizes,
} from './pane-sizes';

class MemoryStorage {
  readonly items = new Map<string, string>();
  getItem = (k: string) => this.items.get(k) ?? null;
  setItem = (k: string, v: string) => void this.items.set(k, v);
  removeItem = (k: string) => void this.items.delete(k);
}

describe('pane sizes', () => {
  it('leave the main pane its numeric columns: the inspector gives way on a narrow window', () => {
    expect(clampSide(700, 1400)).toBe(700);
    expect(clampSide(700, 1024)).toBe(1024 - MAIN_MIN);
    expect(clampSide(380, 1024)).toBe(380);
    // Never thinner than a readable inspector, even when the window is too narrow for both.
    expect(clampSide(100, 1400)).toBe(SIDE_MIN);
    expect(clampSide(500, 800)).toBe(SIDE_MIN);
    // At 1024 px both fit.
    expect(1024 - MAIN_MIN).toBeGreaterThanOrEqual(SIDE_MIN);
  });

  it('keep room above the retainers panel', () => {
    expect(clampBottom(200, 800)).toBe(200);
    expect(clampBottom(600, 668)).toBe(668 - 300);
    expect(clampBottom(20, 800)).toBe(80);
    expect(clampBottom(300, 200)).toBe(80);
  });

  it('are remembered, and a reset or foreign value reads as the defaults', () => {
    const storage = new MemoryStorage();
    expect(loadPaneSizes(storage)).toEqual(DEFAULT_PANES);
    savePaneSizes(storage, { side: 512, bottom: 240 });
    expect(loadPaneSizes(storage)).toEqual({ side: 512, bottom: 240 });
    savePaneSizes(storage, DEFAULT_PANES);
    expect(storage.items.has(PANES_KEY)).toBe(false);
    storage.setItem(PANES_KEY, '{"side":"wide","bottom":-3}');
    expect(loadPaneSizes(storage)).toEqual(DEFAULT_PANES);
    storage.setItem(PANES_KEY, 'not json');
    expect(loadPaneSizes(storage)).toEqual(DEFAULT_PANES);
    expect(loadPaneSizes(undefined)).toEqual(DEFAULT_PANES);
  });
});
