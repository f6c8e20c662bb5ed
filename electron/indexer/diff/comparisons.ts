// The contract's `diff`, `leaks` and `exportReport`, over snapshots the host has open. Runs where the
// snapshots live (the indexer worker), so only pages and reports cross to the service. Diffs are
// cached per (base, target) pair — the UI pages through one diff many times — and forgotten when a
// snapshot closes.
import {
  type ApiArgs,
  ApiError,
  type ApiResult,
  type LeakReport,
  type SnapshotId,
  type SnapshotInfo,
} from '@shared/contract';
import type { HeapGraph } from '../graph/heap-graph';
import { findLeaks } from '../leaks/index';
import { buildReport } from '../report/build';
import { renderReport } from '../report/render';
import { SnapshotDiff } from './diff';
import { graphView } from './snapshot-view';
import type { GraphView } from './view';

const CACHED_DIFFS = 4;

export class Comparisons {
  private readonly diffs = new Map<string, SnapshotDiff>();

  /** `resolve` throws ApiError('not-found') for an id that is not open. */
  constructor(private readonly resolve: (id: SnapshotId) => GraphView) {}

  diff(args: ApiArgs<'diff'>): ApiResult<'diff'> {
    const d = this.getDiff(args.base, args.target);
    return { info: d.info, page: d.page(args.range, args.sort, args.filter) };
  }

  diffObjects(args: ApiArgs<'diffObjects'>): ApiResult<'diffObjects'> {
    const objects = this.getDiff(args.base, args.target).objects;
    const snapshot = objects.viewOf(args.change).info.id;
    return { snapshot, page: objects.page(args.type, args.change, args.range) };
  }

  leaks(args: ApiArgs<'leaks'>): LeakReport {
    const diffs = [this.getDiff(args.base, args.target)];
    if (args.final !== undefined) diffs.push(this.getDiff(args.target, args.final));
    return findLeaks(diffs);
  }

  exportReport(args: ApiArgs<'exportReport'>): ApiResult<'exportReport'> {
    const ids = args.snapshots;
    if (ids.length < 1 || ids.length > 3) {
      throw new ApiError(
        'bad-argument',
        `a report covers 1 to 3 snapshots (oldest first), got ${ids.length}`,
      );
    }
    const views = ids.map((id) => this.resolve(id));
    const leaks = ids.length >= 2 ? this.leaks({ base: ids[0], target: ids[1], final: ids[2] }) : null;
    const diff = ids.length >= 2 ? this.getDiff(ids[0], ids[ids.length - 1]) : null;
    const data = buildReport({ views, diff, leaks, includeValues: args.includeValues });
    const newest = views[views.length - 1].info.name.replace(/\.pyheap$/i, '');
    return renderReport(data, args.format, `heapscope-report-${newest}`);
  }

  /** Drop cached diffs that involve a closed snapshot. */
  forget(id: SnapshotId): void {
    for (const key of [...this.diffs.keys()]) if (key.split('\u0000').includes(id)) this.diffs.delete(key);
  }

  getDiff(base: SnapshotId, target: SnapshotId): SnapshotDiff {
    const key = `${base}\u0000${target}`;
    let d = this.diffs.get(key);
    if (d) {
      // Re-insert: Map order is the eviction order (least recently used first).
      this.diffs.delete(key);
    } else {
      d = new SnapshotDiff(this.resolve(base), this.resolve(target));
      if (this.diffs.size >= CACHED_DIFFS) this.diffs.delete(this.diffs.keys().next().value!);
    }
    this.diffs.set(key, d);
    return d;
  }
}

/**
 * The GraphView of an open snapshot as the host holds it. Comparison reads the indexer's arrays, so
 * it needs a snapshot loaded by the indexer (one with a `graph`); anything else is refused clearly.
 */
export function viewOfOpenSnapshot(snapshot: object, info: SnapshotInfo): GraphView {
  const graph = (snapshot as { graph?: unknown }).graph;
  if (typeof graph !== 'object' || graph === null || !('nodeIdx2Dominator' in graph)) {
    throw new ApiError(
      'unavailable',
      `${info.name} was not indexed by Heapscope's indexer, so it cannot be compared`,
    );
  }
  return graphView(graph as HeapGraph, info);
}
