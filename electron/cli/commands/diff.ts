// `heapscope diff BASE TARGET [--json] [--top N] [--sort KEY]`: what changed between two snapshots of
// one process, by type. Also home of `openComparison`, which the leaks and report commands share: it
// loads the files and answers through the same Comparisons class the app's snapshot host uses.

import { basename } from 'node:path';
import { Comparisons, viewOfOpenSnapshot } from '../../indexer/diff/comparisons';
import type { SnapshotDiff } from '../../indexer/diff/diff';
import type { GraphView } from '../../indexer/diff/view';
import {
  formatBytes,
  formatBytesDelta,
  formatCount,
  formatCountDelta,
  formatSeconds,
} from '../../indexer/report/format';
import type { CliIO } from '../io';
import { CliError, parseArgs } from './args';
import { loadWithProgress } from './load';

export const DIFF_USAGE =
  'usage: heapscope diff BASE TARGET [--json] [--top N] [--sort retained|shallow|count|type]';

const SORT_KEYS = {
  retained: 'retainedDelta',
  shallow: 'shallowDelta',
  count: 'countDelta',
  type: 'type',
} as const;

export interface OpenComparison {
  comparisons: Comparisons;
  /** The files as given; each is also its snapshot id. */
  ids: string[];
  views: GraphView[];
}

/** Loads each file once (a file given twice is loaded once) and wraps them for comparison. */
export async function openComparison(files: string[], io: CliIO): Promise<OpenComparison> {
  const views = new Map<string, GraphView>();
  for (const file of files) {
    if (views.has(file)) continue;
    const snapshot = await loadWithProgress(file, io);
    // The id is the path as given (JSON output names it); the name, shown in tables and charts, is short.
    views.set(file, viewOfOpenSnapshot(snapshot, snapshot.info(file, basename(file), file)));
  }
  const comparisons = new Comparisons((id) => views.get(id)!);
  return { comparisons, ids: files, views: files.map((f) => views.get(f)!) };
}

export function parseTop(value: string | undefined, usage: string): number | undefined {
  if (value === undefined) return undefined;
  const top = Number(value);
  if (!(Number.isSafeInteger(top) && top > 0))
    throw new CliError(`--top needs a positive whole number; ${usage}`);
  return top;
}

export function printWarnings(warnings: string[], io: CliIO): void {
  for (const w of warnings) io.stderr(`warning: ${w}\n`);
}

export async function runDiff(argv: string[], io: CliIO): Promise<number> {
  const args = parseArgs(argv, { json: 'flag', top: 'value', sort: 'value' }, DIFF_USAGE);
  if (args.positional.length !== 2) throw new CliError(`expected BASE and TARGET; ${DIFF_USAGE}`);
  const top = parseTop(args.options.top, DIFF_USAGE);
  const sortName = args.options.sort ?? 'retained';
  if (!Object.hasOwn(SORT_KEYS, sortName))
    throw new CliError(`--sort must be one of ${Object.keys(SORT_KEYS).join(', ')}; ${DIFF_USAGE}`);
  const key = SORT_KEYS[sortName as keyof typeof SORT_KEYS];
  const { comparisons, ids } = await openComparison(args.positional, io);
  const diff = comparisons.getDiff(ids[0], ids[1]);
  const json = args.flags.has('json');
  const page = diff.page(
    { start: 0, end: top ?? (json ? Number.MAX_SAFE_INTEGER : 25) },
    { key, dir: key === 'type' ? 'asc' : 'desc' },
  );
  if (json) {
    io.stdout(`${JSON.stringify({ info: diff.info, types: page.rows }, null, 2)}\n`);
    return 0;
  }
  printWarnings(diff.info.warnings, io);
  io.stdout(diffText(diff, page.rows, page.total));
  return 0;
}

function diffText(diff: SnapshotDiff, rows: SnapshotDiff['rows'], total: number): string {
  const { info } = diff;
  const apart = info.seconds === null ? '' : ` · ${formatSeconds(Math.abs(info.seconds))} apart`;
  const lines = [
    `${diff.base.info.name} → ${diff.target.info.name}${apart}`,
    `reachable ${formatBytes(diff.base.nodeIdx2Retained[0])} → ${formatBytes(diff.target.nodeIdx2Retained[0])} ` +
      `(${formatBytesDelta(diff.target.nodeIdx2Retained[0] - diff.base.nodeIdx2Retained[0])})`,
    `new ${formatCount(info.newObjects)} objects (${formatBytesDelta(info.newBytes)}) · ` +
      `freed ${formatCount(info.freedObjects)} (${formatBytesDelta(-info.freedBytes)}) · ` +
      `survived and grew ${formatCount(info.grownObjects)} (${formatBytesDelta(info.grownBytes)})`,
    '',
    `${'Δ retained'.padStart(12)} ${'Δ shallow'.padStart(12)} ${'Δ count'.padStart(10)} ${'new'.padStart(9)} ${'freed'.padStart(9)}  type`,
  ];
  for (const r of rows) {
    lines.push(
      `${formatBytesDelta(r.retainedDelta).padStart(12)} ${formatBytesDelta(r.shallowDelta).padStart(12)} ` +
        `${formatCountDelta(r.countDelta).padStart(10)} ${formatCount(r.newCount).padStart(9)} ${formatCount(r.freedCount).padStart(9)}  ${r.type}`,
    );
  }
  if (total > rows.length)
    lines.push(`… ${formatCount(total - rows.length)} more types (--top N to show more)`);
  return `${lines.join('\n')}\n`;
}
