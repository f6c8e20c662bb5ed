// `heapscope summary FILE [--json] [--top N]`: types by retained size, the headline numbers, and the
// process the dump came from. The JSON shape is documented in docs/CLI.md.

import { formatBytes } from '../../indexer/report/format';
import { consistencyNote } from '../../shared/consistency';
import type { Consistency, ProcessFacts, SnapshotTotals, TypeRow } from '../../shared/contract';
import type { CliIO } from '../io';
import { CliError, parseArgs } from './args';
import { loadWithProgress } from './load';

export const SUMMARY_USAGE = 'usage: heapscope summary FILE [--json] [--top N]';

export interface SummaryJson {
  process: ProcessFacts;
  totals: { objects: number; edges: number; shallow: number; unreachable: number };
  types: { type: string; count: number; shallow: number; retained: number }[];
}

export async function runSummary(argv: string[], io: CliIO): Promise<number> {
  const args = parseArgs(argv, { json: 'flag', top: 'value' }, SUMMARY_USAGE);
  if (args.positional.length !== 1) throw new CliError(`expected one FILE; ${SUMMARY_USAGE}`);
  const top = args.options.top === undefined ? undefined : Number(args.options.top);
  if (top !== undefined && !(Number.isSafeInteger(top) && top > 0)) {
    throw new CliError(`--top needs a positive whole number; ${SUMMARY_USAGE}`);
  }
  const file = args.positional[0]!;
  const snap = await loadWithProgress(file, io);
  const info = snap.info('cli', file, file);
  const json = args.flags.has('json');
  const rows = snap.summary({ range: { start: 0, end: top ?? (json ? Number.MAX_SAFE_INTEGER : 25) } });
  if (json) {
    io.stdout(`${JSON.stringify(summaryJson(info.process, info.totals, rows.rows), null, 2)}\n`);
  } else {
    io.stdout(summaryText(file, info.process, info.totals, rows.rows, rows.total, info.indexSeconds));
  }
  // On stderr, as diff's and leaks' warnings, so --json stays parseable.
  const warning = consistencyWarning(info.consistency, info.totals.danglingEdges);
  if (warning) io.stderr(`${warning}\n`);
  return 0;
}

export function summaryJson(process: ProcessFacts, t: SnapshotTotals, rows: TypeRow[]): SummaryJson {
  return {
    process,
    totals: { objects: t.objects, edges: t.edges, shallow: t.shallow, unreachable: t.unreachable },
    types: rows.map((r) => ({ type: r.type, count: r.count, shallow: r.shallow, retained: r.retained })),
  };
}

/** One line when other threads changed the heap mid-read; 'held' is close enough to stay quiet. */
export function consistencyWarning(c: Consistency | undefined, danglingEdges: number): string | null {
  return c === 'shared' ? `warning: ${consistencyNote(c, danglingEdges)}` : null;
}

function summaryText(
  file: string,
  p: ProcessFacts,
  t: SnapshotTotals,
  rows: TypeRow[],
  total: number,
  seconds: number,
): string {
  const who = [
    p.pid !== null ? `pid ${p.pid}` : null,
    p.argv.join(' ') || null,
    p.pythonVersion ? `Python ${p.pythonVersion}` : null,
  ]
    .filter(Boolean)
    .join(' · ');
  const lines = [
    `${file}${who ? `: ${who}` : ''}`,
    `${t.objects.toLocaleString('en-US')} objects, ${t.edges.toLocaleString('en-US')} references, ` +
      `${formatBytes(t.shallow)} shallow (${formatBytes(t.reachableShallow)} reachable)`,
    `${t.unreachable.toLocaleString('en-US')} unreachable (cyclic garbage, ${formatBytes(t.unreachableShallow)}), ` +
      `${t.heldFromC.toLocaleString('en-US')} held from C, ${t.danglingEdges.toLocaleString('en-US')} dangling references` +
      ` · indexed in ${seconds.toFixed(2)} s`,
    '',
    `${'retained'.padStart(12)} ${'shallow'.padStart(12)} ${'count'.padStart(10)}  type`,
  ];
  for (const r of rows) {
    lines.push(
      `${formatBytes(r.retained).padStart(12)} ${formatBytes(r.shallow).padStart(12)} ${r.count.toLocaleString('en-US').padStart(10)}  ${r.type}`,
    );
  }
  if (total > rows.length) lines.push(`… ${total - rows.length} more types (--top N to show more)`);
  return `${lines.join('\n')}\n`;
}
