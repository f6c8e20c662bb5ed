// A lazily expanded tree over paged server lists, flattened for a virtualized table. Only expanded
// levels exist here, each a PageCache holding a few pages, so a tree with a million children under
// one node still costs a few hundred rows of memory. Row i is found by walking the expanded levels
// (O(expanded nodes)), never by materialising the flat list.
import { type Fetcher, PageCache } from './page-cache';

export interface TreeRow<R> {
  /** Path of child positions from the top level; stable while the tree is not re-sorted. */
  path: number[];
  key: string;
  depth: number;
  /** Undefined while its page is loading, or for a placeholder row. */
  row: R | undefined;
  /** 'loading' before a level's first page arrives; 'error' when it failed (message in `error`). */
  placeholder: 'loading' | 'error' | null;
  error: string | null;
  expanded: boolean;
  expandable: boolean;
  /** Index among its siblings and the number of siblings. */
  index: number;
  siblings: number;
}

export interface TreeSource<R> {
  top: Fetcher<R>;
  /** Children of `row` at `depth`, or null when it has none. */
  children: (row: R, depth: number) => Fetcher<R> | null;
  pageSize?: number;
}

interface Level<R> {
  cache: PageCache<R>;
  expanded: Map<number, Level<R>>;
  /** Ascending keys of `expanded`, rebuilt on change. */
  order: number[];
  unsubscribe: () => void;
}

export class TreeModel<R> {
  private readonly root: Level<R>;
  private readonly listeners = new Set<() => void>();
  /** Changes on every visible change; React subscribes to it. */
  version = 0;

  constructor(private readonly source: TreeSource<R>) {
    this.root = this.makeLevel(source.top, 16);
  }

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  getVersion = (): number => this.version;

  /** Resolves when the top level's first page is in. */
  load(): Promise<void> {
    return this.root.cache.load();
  }

  get topTotal(): number | null {
    return this.root.cache.total;
  }

  rowCount(): number {
    return this.levelRows(this.root);
  }

  rowAt(i: number): TreeRow<R> {
    let level = this.root;
    const path: number[] = [];
    for (;;) {
      const placeholder = this.placeholderOf(level);
      if (placeholder !== null) return this.placeholderRow(path, placeholder, level.cache.error);
      let extra = 0;
      let descended = false;
      for (const k of level.order) {
        const start = k + extra;
        if (i < start) break;
        if (i === start) return this.realRow(level, [...path, k], k);
        const sub = level.expanded.get(k)!;
        const subRows = this.levelRows(sub);
        if (i <= start + subRows) {
          i -= start + 1;
          path.push(k);
          level = sub;
          descended = true;
          break;
        }
        extra += subRows;
      }
      if (!descended) return this.realRow(level, [...path, i - extra], i - extra);
    }
  }

  /** Flat index of the row at `path`, or -1 when an ancestor is collapsed. */
  indexOfPath(path: number[]): number {
    let level: Level<R> | undefined = this.root;
    let index = 0;
    for (let d = 0; d < path.length; d++) {
      if (level === undefined) return -1;
      const k = path[d];
      index += k;
      for (const e of level.order) {
        if (e >= k) break;
        index += this.levelRows(level.expanded.get(e)!);
      }
      if (d < path.length - 1) {
        index += 1;
        level = level.expanded.get(k);
      }
    }
    return index;
  }

  isExpanded(path: number[]): boolean {
    return this.levelAt(path) !== undefined && path.length > 0;
  }

  /** Expands the node at `path` when it has children; returns whether it is now expanded. */
  expand(path: number[]): boolean {
    const parent = this.levelAt(path.slice(0, -1));
    if (parent === undefined) return false;
    const k = path[path.length - 1];
    if (parent.expanded.has(k)) return true;
    const row = parent.cache.peek(k);
    if (row === undefined) return false;
    const fetcher = this.source.children(row, path.length - 1);
    if (fetcher === null) return false;
    parent.expanded.set(k, this.makeLevel(fetcher, 6));
    parent.order = [...parent.expanded.keys()].sort((a, b) => a - b);
    this.changed();
    return true;
  }

  collapse(path: number[]): void {
    const parent = this.levelAt(path.slice(0, -1));
    const k = path[path.length - 1];
    const level = parent?.expanded.get(k);
    if (parent === undefined || level === undefined) return;
    this.dispose(level);
    parent.expanded.delete(k);
    parent.order = parent.order.filter((e) => e !== k);
    this.changed();
  }

  toggle(path: number[]): void {
    if (this.isExpanded(path)) this.collapse(path);
    else this.expand(path);
  }

  /**
   * Expands down a chain of steps (one per level) and returns the path of the last, or null. A
   * step is a row index the caller knows (asked of the indexer), or a matcher: each level is then
   * scanned page by page up to `limit` rows (children are sorted by size, so the rows a chart
   * shows are near the top).
   */
  async reveal(steps: (((row: R) => boolean) | number)[], limit = 2000): Promise<number[] | null> {
    const path: number[] = [];
    let level: Level<R> | undefined = this.root;
    for (let d = 0; d < steps.length; d++) {
      if (level === undefined) return null;
      const step = steps[d]!;
      const k =
        typeof step === 'number' ? await level.cache.indexIn(step) : await level.cache.findIndex(step, limit);
      if (k < 0) return null;
      path.push(k);
      if (d < steps.length - 1) {
        if (!this.expand(path)) return null;
        level = level.expanded.get(k);
      }
    }
    this.changed();
    return path;
  }

  /** Releases the page caches' listeners. */
  destroy(): void {
    this.dispose(this.root);
    this.listeners.clear();
  }

  private makeLevel(fetcher: Fetcher<R>, maxPages: number): Level<R> {
    const cache = new PageCache(fetcher, { pageSize: this.source.pageSize ?? 200, maxPages });
    const level: Level<R> = { cache, expanded: new Map(), order: [], unsubscribe: () => {} };
    level.unsubscribe = cache.subscribe(() => this.changed());
    void cache.load();
    return level;
  }

  private dispose(level: Level<R>): void {
    // An explicit stack: expanded chains can be deep after a long drill-down.
    const stack = [level];
    while (stack.length > 0) {
      const l = stack.pop()!;
      l.unsubscribe();
      stack.push(...l.expanded.values());
    }
  }

  private levelAt(path: number[]): Level<R> | undefined {
    let level: Level<R> | undefined = this.root;
    for (const k of path) level = level?.expanded.get(k);
    return level;
  }

  private placeholderOf(level: Level<R>): 'loading' | 'error' | null {
    if (level.cache.error !== null) return 'error';
    if (level.cache.total === null) {
      level.cache.get(0);
      return 'loading';
    }
    return null;
  }

  private levelRows(level: Level<R>): number {
    if (this.placeholderOf(level) !== null) return 1;
    let rows = level.cache.total ?? 0;
    for (const sub of level.expanded.values()) rows += this.levelRows(sub);
    return rows;
  }

  private realRow(level: Level<R>, path: number[], index: number): TreeRow<R> {
    const row = level.cache.get(index);
    const expanded = level.expanded.has(index);
    const expandable = expanded || (row !== undefined && this.source.children(row, path.length - 1) !== null);
    return {
      path,
      key: path.join('/'),
      depth: path.length - 1,
      row,
      placeholder: null,
      error: null,
      expanded,
      expandable,
      index,
      siblings: level.cache.total ?? 0,
    };
  }

  private placeholderRow(path: number[], kind: 'loading' | 'error', error: string | null): TreeRow<R> {
    return {
      path: [...path, -1],
      key: `${path.join('/')}/${kind}`,
      depth: path.length,
      row: undefined,
      placeholder: kind,
      error,
      expanded: false,
      expandable: false,
      index: -1,
      siblings: 0,
    };
  }

  private changed(): void {
    this.version++;
    for (const listener of [...this.listeners]) listener();
  }
}
