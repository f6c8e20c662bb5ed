// Gathers what a report says from open snapshots: process facts, the leak verdict, top types and the
// dominator breakdown of the newest snapshot. Rendering is elsewhere (./render.ts); this is the only
// part that reads snapshots.
import type { LeakReport } from '@shared/contract';
import type { SnapshotDiff } from '../diff/diff';
import type { GraphView } from '../diff/view';
import { isNamespace, largeHolders } from '../leaks/large-holders';
import {
  REPORT_FORMAT,
  REPORT_VERSION,
  type ReportData,
  type ReportDominator,
  type ReportTypeRow,
} from './model';

const TOP_TYPES = 25;
const TOP_DOMINATORS = 12;
const MAX_EXPANDED = 300;

export interface ReportInputs {
  /** Oldest first. */
  views: GraphView[];
  /** diff(oldest, newest) when there are two or more snapshots. */
  diff: SnapshotDiff | null;
  leaks: LeakReport | null;
  includeValues: boolean;
  now?: number;
}

export function buildReport({ views, diff, leaks, includeValues, now }: ReportInputs): ReportData {
  const newest = views[views.length - 1];
  const heap = newest.nodeIdx2Retained[0];
  return {
    format: REPORT_FORMAT,
    version: REPORT_VERSION,
    generatedAt: now ?? Date.now() / 1000,
    snapshots: views.map((v) => ({
      name: v.info.name,
      process: v.info.process,
      totals: v.info.totals,
      hasTracebacks: v.info.hasTracebacks,
    })),
    warnings: leaks?.warnings ?? diff?.info.warnings ?? [],
    noiseFloor: leaks?.noiseFloor ?? { bytes: 0, count: 0 },
    suspects: leaks?.suspects ?? [],
    largeHolders: leaks?.largeHolders ?? largeHolders(newest),
    types: diff ? grownTypes(diff) : topTypes(newest),
    dominators: dominatorBreakdown(newest, heap),
    insights: newest.insights?.() ?? null,
    valuesIncluded: includeValues,
  };
}

function grownTypes(diff: SnapshotDiff): ReportTypeRow[] {
  return diff.page({ start: 0, end: TOP_TYPES }, { key: 'retainedDelta', dir: 'desc' }).rows.map((r) => ({
    type: r.type,
    count: r.targetCount,
    shallow: r.targetShallow,
    retained: r.targetRetained,
    countDelta: r.countDelta,
    retainedDelta: r.retainedDelta,
  }));
}

function topTypes(view: GraphView): ReportTypeRow[] {
  return (
    view
      .typeRows()
      .sort((a, b) => b.retained - a.retained)
      .slice(0, TOP_TYPES)
      // The model's fields only: the JSON report is a versioned format, and a spread of the query
      // row carried its internal type key (and then its distance) into it.
      .map((t) => ({
        type: t.type,
        count: t.count,
        shallow: t.shallow,
        retained: t.retained,
        countDelta: null,
        retainedDelta: null,
      }))
  );
}

/**
 * The biggest objects below the namespaces (root groups, modules, classes and their dicts, frames):
 * what a user would free. Expands at most a few hundred namespace nodes, largest first.
 */
function dominatorBreakdown(view: GraphView, heap: number): ReportDominator[] {
  const found: number[] = [];
  const queue = [0];
  for (let expanded = 0; queue.length > 0 && expanded < MAX_EXPANDED; expanded++) {
    const u = queue.shift()!;
    for (const c of view.dominatorChildren(u, TOP_DOMINATORS)) {
      if (!view.isReachable(c) || view.nodeIdx2Retained[c] <= 0) continue;
      if (isNamespace(view, c)) queue.push(c);
      else found.push(c);
    }
  }
  return found
    .sort((a, b) => view.nodeIdx2Retained[b] - view.nodeIdx2Retained[a])
    .slice(0, TOP_DOMINATORS)
    .map((v) => {
      const row = view.row(v);
      return {
        label: row.label,
        type: row.type,
        path: view.pathText(v),
        retained: row.retained,
        fraction: heap > 0 ? row.retained / heap : 0,
      };
    });
}
