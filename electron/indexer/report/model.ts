// What a report says, as plain data: built once from the snapshots (./build.ts), redacted
// (./redact.ts), then rendered to HTML, Markdown or JSON by pure functions. The JSON report is this
// object verbatim; its shape is documented in docs/LEAKS.md and only grows additively.
import type { InsightReport, LeakSuspect, ProcessFacts, SnapshotTotals } from '@shared/contract';

export const REPORT_FORMAT = 'heapscope-leak-report';
export const REPORT_VERSION = 1;

export interface ReportSnapshot {
  name: string;
  process: ProcessFacts;
  totals: SnapshotTotals;
  hasTracebacks: boolean;
}

/** A type in the newest snapshot, with its change since the oldest when there are two or more. */
export interface ReportTypeRow {
  type: string;
  count: number;
  shallow: number;
  retained: number;
  /** null for a single-snapshot report. */
  countDelta: number | null;
  retainedDelta: number | null;
}

/** One of the biggest objects in the newest snapshot's dominator tree (below the root groups). */
export interface ReportDominator {
  label: string;
  type: string;
  /** Shortest retainer path, as in the Retainers panel. */
  path: string;
  retained: number;
  /** Share of the reachable heap, 0..1. */
  fraction: number;
}

export interface ReportData {
  format: typeof REPORT_FORMAT;
  version: typeof REPORT_VERSION;
  /** Seconds since the epoch. */
  generatedAt: number;
  /** Oldest first. */
  snapshots: ReportSnapshot[];
  warnings: string[];
  noiseFloor: { bytes: number; count: number };
  /** Growth suspects, most likely first (empty for a single snapshot). */
  suspects: LeakSuspect[];
  /** MAT-style holders retaining ≥ 10% of the newest snapshot. */
  largeHolders: LeakSuspect[];
  /** Top types: by retained growth with two or more snapshots, by retained size with one. */
  types: ReportTypeRow[];
  dominators: ReportDominator[];
  /** The newest snapshot's process accounting and waste analyses (docs/INSIGHTS.md); added in version 1. */
  insights?: InsightReport | null;
  /** false: string values from the heap were replaced by placeholders. */
  valuesIncluded: boolean;
}
