// A window onto a server-side list: fetches fixed-size pages on demand and keeps only a few,
// so the renderer never holds more than the rows near the viewport (DevTools' serializeItemsRange).
import type { Page, Range } from '@shared/contract';
import { errorMessage } from './errors';

export type Fetcher<T> = (range: Range) => Promise<Page<T>>;

export interface PageCacheOptions {
  /** Rows per request. */
  pageSize?: number;
  /** Pages kept before the least recently used is dropped. */
  maxPages?: number;
}

export class PageCache<T> {
  readonly pageSize: number;
  private readonly maxPages: number;
  /** Insertion order is recency order: a touched page is re-inserted at the end. */
  private readonly pages = new Map<number, T[]>();
  private readonly inflight = new Set<number>();
  private readonly listeners = new Set<() => void>();
  /** Bumped by invalidate() so answers to stale requests are dropped. */
  private generation = 0;
  private firstLoad: Promise<void> | null = null;
  total: number | null = null;
  error: string | null = null;

  constructor(
    private readonly fetcher: Fetcher<T>,
    options: PageCacheOptions = {},
  ) {
    this.pageSize = options.pageSize ?? 200;
    this.maxPages = Math.max(2, options.maxPages ?? 12);
  }

  /** Row `i` if its page is here; otherwise undefined and the page is requested. */
  get(i: number): T | undefined {
    const page = Math.floor(i / this.pageSize);
    const rows = this.pages.get(page);
    if (rows === undefined) {
      this.request(page);
      return undefined;
    }
    this.pages.delete(page);
    this.pages.set(page, rows);
    return rows[i - page * this.pageSize];
  }

  /** Row `i` without touching recency or fetching. */
  peek(i: number): T | undefined {
    const page = Math.floor(i / this.pageSize);
    return this.pages.get(page)?.[i - page * this.pageSize];
  }

  /** Resolves once the first page (and so `total`) is known. */
  load(): Promise<void> {
    if (this.firstLoad === null) this.firstLoad = this.fetchPage(0, this.generation);
    return this.firstLoad;
  }

  /** Requests every page overlapping [start, end). */
  ensure(start: number, end: number): void {
    const last = Math.floor(Math.max(start, end - 1) / this.pageSize);
    for (let p = Math.floor(start / this.pageSize); p <= last; p++) {
      if (!this.pages.has(p)) this.request(p);
    }
  }

  /** `k` if there is a row k (its page is requested), else -1. */
  async indexIn(k: number): Promise<number> {
    await this.load();
    if (!Number.isInteger(k) || k < 0 || k >= (this.total ?? 0)) return -1;
    this.ensure(k, k + 1);
    return k;
  }

  /** First index whose row satisfies `match`, scanning at most `limit` rows page by page. */
  async findIndex(match: (row: T) => boolean, limit = 2000): Promise<number> {
    await this.load();
    const total = Math.min(this.total ?? 0, limit);
    for (let page = 0; page * this.pageSize < total; page++) {
      if (!this.pages.has(page)) await this.fetchPage(page, this.generation);
      const rows = this.pages.get(page) ?? [];
      const hit = rows.findIndex(match);
      if (hit >= 0) return page * this.pageSize + hit;
    }
    return -1;
  }

  /** Drops every row; the next get() refetches. Used when sort or filter change. */
  invalidate(): void {
    this.generation++;
    this.pages.clear();
    this.inflight.clear();
    this.firstLoad = null;
    this.total = null;
    this.error = null;
    this.notify();
  }

  subscribe(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Number of pages held; for tests and the memory bound. */
  get pageCount(): number {
    return this.pages.size;
  }

  private request(page: number): void {
    if (this.inflight.has(page) || this.error !== null) return;
    if (this.total !== null && page * this.pageSize >= this.total && page > 0) return;
    void this.fetchPage(page, this.generation);
  }

  private async fetchPage(page: number, generation: number): Promise<void> {
    if (this.inflight.has(page)) return this.waitFor(page);
    this.inflight.add(page);
    try {
      const start = page * this.pageSize;
      const result = await this.fetcher({ start, end: start + this.pageSize });
      if (generation !== this.generation) return;
      this.total = result.total;
      this.pages.set(page, result.rows);
      this.evict(page);
    } catch (e) {
      if (generation !== this.generation) return;
      this.error = errorMessage(e);
    } finally {
      if (generation === this.generation) this.inflight.delete(page);
    }
    this.notify();
  }

  /** Another caller already asked for `page`: poll until it lands (rare; findIndex only). */
  private waitFor(page: number): Promise<void> {
    return new Promise((resolve) => {
      const off = this.subscribe(() => {
        if (!this.inflight.has(page)) {
          off();
          resolve();
        }
      });
    });
  }

  private evict(keep: number): void {
    for (const page of this.pages.keys()) {
      if (this.pages.size <= this.maxPages) break;
      if (page !== keep) this.pages.delete(page);
    }
  }

  private notify(): void {
    for (const listener of [...this.listeners]) listener();
  }
}
