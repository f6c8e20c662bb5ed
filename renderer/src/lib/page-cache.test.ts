import type { Page, Range } from '@shared/contract';
import { describe, expect, it } from 'vitest';
import { PageCache } from './page-cache';

/** A server-side list of `total` numbers that records the ranges asked for. */
function source(total: number) {
  const asked: Range[] = [];
  const fetcher = async (range: Range): Promise<Page<number>> => {
    asked.push(range);
    const end = Math.min(range.end, total);
    const rows = [];
    for (let i = range.start; i < end; i++) rows.push(i * 10);
    return { start: range.start, end, total, rows };
  };
  return { asked, fetcher };
}

const settle = () => new Promise((r) => setTimeout(r, 0));

describe('PageCache', () => {
  it('fetches the page holding a row once, then serves it from memory', async () => {
    const { asked, fetcher } = source(1000);
    const cache = new PageCache(fetcher, { pageSize: 100 });
    expect(cache.get(250)).toBeUndefined();
    expect(cache.get(251)).toBeUndefined();
    await settle();
    expect(asked).toEqual([{ start: 200, end: 300 }]);
    expect(cache.get(250)).toBe(2500);
    expect(cache.total).toBe(1000);
  });

  it('keeps at most maxPages pages, dropping the least recently used', async () => {
    const { fetcher } = source(100_000);
    const cache = new PageCache(fetcher, { pageSize: 100, maxPages: 3 });
    for (const row of [0, 100, 200]) cache.get(row);
    await settle();
    cache.get(0); // touch page 0 so page 1 is now the oldest
    cache.get(300);
    await settle();
    expect(cache.pageCount).toBe(3);
    expect(cache.peek(0)).toBe(0);
    expect(cache.peek(100)).toBeUndefined();
    expect(cache.peek(300)).toBe(3000);
  });

  it('drops answers that arrive after invalidate()', async () => {
    let release: () => void = () => {};
    const gate = new Promise<void>((r) => {
      release = r;
    });
    const cache = new PageCache<number>(async (range) => {
      await gate;
      return { start: range.start, end: range.start + 1, total: 1, rows: [42] };
    });
    cache.get(0);
    cache.invalidate();
    release();
    await settle();
    expect(cache.peek(0)).toBeUndefined();
    expect(cache.total).toBeNull();
  });

  it('finds a row by scanning pages in order', async () => {
    const { asked, fetcher } = source(1000);
    const cache = new PageCache(fetcher, { pageSize: 100 });
    expect(await cache.findIndex((v) => v >= 4560)).toBe(456);
    expect(asked.length).toBe(5);
    expect(await cache.findIndex((v) => v < 0, 300)).toBe(-1);
  });

  it('reports a failed fetch as one line and stops asking', async () => {
    let calls = 0;
    const cache = new PageCache<number>(async () => {
      calls++;
      throw new Error('snapshot s1 is not open');
    });
    const notified: number[] = [];
    cache.subscribe(() => notified.push(1));
    cache.get(0);
    await settle();
    cache.get(0);
    await settle();
    expect(cache.error).toBe('snapshot s1 is not open');
    expect(calls).toBe(1);
    expect(notified.length).toBe(1);
  });
});
