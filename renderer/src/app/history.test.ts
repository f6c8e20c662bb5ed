import { describe, expect, it } from 'vitest';
import { History } from './history';

describe('History', () => {
  it('goes back and forward through pushed entries', () => {
    const h = new History<number>();
    h.push(1);
    h.push(2);
    h.push(3);
    expect(h.back()).toBe(2);
    expect(h.back()).toBe(1);
    expect(h.canBack).toBe(false);
    expect(h.back()).toBeUndefined();
    expect(h.forward()).toBe(2);
  });

  it('drops forward entries when a new selection is made after going back', () => {
    const h = new History<number>();
    h.push(1);
    h.push(2);
    h.push(3);
    h.back();
    h.push(9);
    expect(h.canForward).toBe(false);
    expect(h.back()).toBe(2);
  });

  it('ignores a repeat of the current entry and keeps only the newest `limit`', () => {
    const h = new History<{ n: number }>((a, b) => a.n === b.n, 3);
    for (const n of [1, 1, 2, 3, 4]) h.push({ n });
    expect(h.current).toEqual({ n: 4 });
    expect(h.back()).toEqual({ n: 3 });
    expect(h.back()).toEqual({ n: 2 });
    expect(h.canBack).toBe(false);
  });
});
