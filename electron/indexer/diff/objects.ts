// The objects behind one row of the type-delta table (DevTools' Comparison view, expanded): the new
// and the grown objects of a type live in the target, the freed ones in the base. Each list is the
// node indices of one (type, change), found in one pass over the snapshot's arrays and sorted once;
// pages are slices of it, so paging through 100,000 new dicts scans the heap once, not per page.
import type { DiffChange, DiffObjectRow, Page, Range } from '@shared/contract';
import type { NodeMatch } from './match';
import type { GraphView } from './view';

/**
 * (type, change) lists kept: the table has a few rows open at a time. Bounded by entries too, as a
 * list can hold millions (new `str` in a 10M-object heap): 4M node indices are 16 MB.
 */
const CACHED_LISTS = 8;
const CACHED_ENTRIES = 4_000_000;

export class DiffObjects {
  private readonly lists = new Map<string, Int32Array>();
  private nameIds: Map<string, number> | null = null;

  constructor(
    private readonly base: GraphView,
    private readonly target: GraphView,
    private readonly match: NodeMatch,
  ) {}

  /** Lists held, for tests of the memory bound. */
  get cachedLists(): number {
    return this.lists.size;
  }

  /** The snapshot a change's objects are in: freed objects exist only in the base. */
  viewOf(change: DiffChange): GraphView {
    return change === 'freed' ? this.base : this.target;
  }

  /**
   * New and freed objects largest retained first (the big ones are what a user looks for), grown
   * ones by how much they grew; ties by node index, so pages never overlap.
   */
  page(type: string, change: DiffChange, range: Range): Page<DiffObjectRow> {
    const nodes = this.list(type, change);
    const start = Math.max(0, Math.min(range.start, nodes.length));
    const end = Math.max(start, Math.min(range.end, nodes.length));
    const view = this.viewOf(change);
    const rows: DiffObjectRow[] = [];
    for (let i = start; i < end; i++) {
      const node = nodes[i];
      rows.push({ object: view.row(node), sizeDelta: this.sizeDelta(change, node) });
    }
    return { start, end, total: nodes.length, rows };
  }

  private sizeDelta(change: DiffChange, node: number): number {
    if (change === 'new') return this.target.nodeIdx2Shallow[node];
    if (change === 'freed') return -this.base.nodeIdx2Shallow[node];
    const b = this.match.targetIdx2BaseIdx[node];
    return this.target.nodeIdx2Shallow[node] - this.base.nodeIdx2Shallow[b];
  }

  private list(type: string, change: DiffChange): Int32Array {
    const key = `${change}\u0000${type}`;
    let nodes = this.lists.get(key);
    if (nodes !== undefined) {
      this.lists.delete(key); // re-inserted below: Map order is least recently used first
    } else {
      nodes = this.collect(type, change);
    }
    this.lists.set(key, nodes);
    // Least recently used first; the list just asked for always stays.
    let entries = 0;
    for (const list of this.lists.values()) entries += list.length;
    for (const [k, list] of this.lists) {
      if (k === key || (this.lists.size <= CACHED_LISTS && entries <= CACHED_ENTRIES)) break;
      this.lists.delete(k);
      entries -= list.length;
    }
    return nodes;
  }

  /** The same classification as SnapshotDiff's counts, so a row's "New 120" expands to 120 objects. */
  private collect(type: string, change: DiffChange): Int32Array {
    this.nameIds ??= new Map(this.match.typeNames.map((name, id) => [name, id]));
    const id = this.nameIds.get(type);
    if (id === undefined) return new Int32Array(0);
    const { base, target, match } = this;
    const found: number[] = [];
    if (change === 'freed') {
      const names = match.baseTypeIdx2Name;
      for (let b = base.firstObject; b < base.nodeCount; b++) {
        if (match.baseIdx2TargetIdx[b] < 0 && names[base.nodeIdx2Type[b]] === id) found.push(b);
      }
    } else {
      const names = match.targetTypeIdx2Name;
      const tShallow = target.nodeIdx2Shallow;
      const bShallow = base.nodeIdx2Shallow;
      for (let t = target.firstObject; t < target.nodeCount; t++) {
        if (names[target.nodeIdx2Type[t]] !== id) continue;
        const b = match.targetIdx2BaseIdx[t];
        if (change === 'new' ? b < 0 : b >= 0 && tShallow[t] > bShallow[b]) found.push(t);
      }
    }
    const nodes = Int32Array.from(found);
    // Sort positions by a key array (typed, one per object) rather than looking keys up per compare.
    const key = new Float64Array(nodes.length);
    const retained = this.viewOf(change).nodeIdx2Retained;
    for (let i = 0; i < nodes.length; i++) {
      key[i] = change === 'grown' ? this.sizeDelta('grown', nodes[i]) : retained[nodes[i]];
    }
    const order = nodes.map((_, i) => i).sort((a, b) => key[b] - key[a] || nodes[a] - nodes[b]);
    return order.map((i) => nodes[i]);
  }
}
