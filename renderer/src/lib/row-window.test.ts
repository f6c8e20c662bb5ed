import { describe, expect, it } from 'vitest';
import { MAX_SCROLL_PX, rowWindow, scrollTopFor } from './row-window';

const H = 22;

describe('rowWindow', () => {
  it('renders only the rows in view plus overscan', () => {
    const w = rowWindow(2200, 440, 1000, H, 2);
    expect(w).toMatchObject({ start: 98, end: 122, scale: 1, height: 22_000 });
    expect(w.top).toBe(98 * H);
  });

  it('clamps at both ends', () => {
    expect(rowWindow(-50, 440, 1000, H, 0)).toMatchObject({ start: 0, end: 20 });
    const last = rowWindow(1e9, 440, 1000, H, 0);
    expect(last.end).toBe(1000);
    expect(last.top + (last.end - 1 - last.start) * H).toBe(22_000 - H);
  });

  it('scales ten million rows into a capped height, reaching the last row exactly', () => {
    const count = 10_000_000;
    const viewport = 440;
    const top = rowWindow(0, viewport, count, H, 0);
    expect(top.height).toBe(MAX_SCROLL_PX);
    expect(top.scale).toBeGreaterThan(27);
    const bottom = rowWindow(MAX_SCROLL_PX - viewport, viewport, count, H, 0);
    expect(bottom.end).toBe(count);
    // The last row's bottom edge sits on the viewport's bottom edge.
    const lastTop = bottom.top + (count - 1 - bottom.start) * H;
    expect(lastTop + H).toBeCloseTo(MAX_SCROLL_PX, 6);
    const middle = rowWindow((MAX_SCROLL_PX - viewport) / 2, viewport, count, H, 0);
    expect(Math.abs(middle.start - count / 2)).toBeLessThan(20);
  });
});

describe('scrollTopFor', () => {
  it('scrolls only as far as needed for "auto"', () => {
    expect(scrollTopFor(10, 'auto', 0, 440, 1000, H)).toBe(0);
    expect(scrollTopFor(25, 'auto', 0, 440, 1000, H)).toBe(26 * H - 440);
    expect(scrollTopFor(3, 'auto', 500, 440, 1000, H)).toBe(3 * H);
  });

  it('centres a row, and lands on it under scaling', () => {
    expect(scrollTopFor(500, 'center', 0, 440, 1000, H)).toBe(500 * H - (440 - H) / 2);
    const count = 10_000_000;
    const st = scrollTopFor(7_654_321, 'start', 0, 440, count, H);
    expect(rowWindow(st, 440, count, H, 0).start).toBe(7_654_321);
  });
});
