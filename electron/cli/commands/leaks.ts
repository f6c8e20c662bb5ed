// `heapscope leaks BASE TARGET [FINAL] [--json] [--fail-on-leak] [--top N]`: leak suspects, most likely
// first. With --fail-on-leak the exit code is 1 when there is a suspect, for CI gates. The JSON is the
// contract's LeakReport, documented in docs/LEAKS.md.

import { formatBytes, formatBytesDelta, formatCount, formatCountDelta } from '../../indexer/report/format';
import type { LeakReport, LeakSuspect } from '../../shared/contract';
import type { CliIO } from '../io';
import { CliError, parseArgs } from './args';
import { openComparison, parseTop, printWarnings } from './diff';

export const LEAKS_USAGE = 'usage: heapscope leaks BASE TARGET [FINAL] [--json] [--fail-on-leak] [--top N]';

export async function runLeaks(argv: string[], io: CliIO): Promise<number> {
  const args = parseArgs(argv, { json: 'flag', 'fail-on-leak': 'flag', top: 'value' }, LEAKS_USAGE);
  const n = args.positional.length;
  if (n < 2 || n > 3)
    throw new CliError(`expected BASE TARGET [FINAL], got ${n} file${n === 1 ? '' : 's'}; ${LEAKS_USAGE}`);
  const top = parseTop(args.options.top, LEAKS_USAGE);
  const { comparisons, ids } = await openComparison(args.positional, io);
  const full = comparisons.leaks({ base: ids[0], target: ids[1], final: ids[2] });
  const report: LeakReport = { ...full, suspects: full.suspects.slice(0, top ?? full.suspects.length) };
  if (args.flags.has('json')) io.stdout(`${JSON.stringify(report, null, 2)}\n`);
  else {
    printWarnings(report.warnings, io);
    io.stdout(leaksText(report));
  }
  return args.flags.has('fail-on-leak') && full.suspects.length > 0 ? 1 : 0;
}

function leaksText(report: LeakReport): string {
  const floor = `noise floor ${formatBytes(report.noiseFloor.bytes)} / ${formatCount(report.noiseFloor.count)} objects`;
  const lines: string[] = [];
  if (report.suspects.length === 0) {
    lines.push(`No leak suspects (${floor}).`);
  } else {
    const n = report.suspects.length;
    lines.push(`${formatCount(n)} leak suspect${n === 1 ? '' : 's'}, most likely first (${floor}):`);
    report.suspects.forEach((s, i) => {
      lines.push('', ...suspectLines(s, i + 1));
    });
  }
  if (report.largeHolders.length > 0) {
    lines.push('', 'Large holders in the newest snapshot (≥ 10% of the heap; not a verdict):');
    for (const s of report.largeHolders) lines.push(`  ${s.explanation}`, `    ${s.path}`);
  }
  return `${lines.join('\n')}\n`;
}

function suspectLines(s: LeakSuspect, rank: number): string[] {
  const lines = [
    `#${rank} ${s.explanation}`,
    `   path:    ${s.path}`,
    `   holder:  ${s.holder.type} at ${s.holder.address} (retains ${formatBytes(s.holder.retained)})` +
      (s.holderCount > 1 ? `, one of ${formatCount(s.holderCount)} with this path` : ''),
    `   growth:  ${s.intervals.map((iv) => `${formatBytesDelta(iv.bytes)} / ${formatCountDelta(iv.count)} objects`).join(', then ')}`,
  ];
  if (s.types.length > 0) {
    lines.push(
      `   entries: ${s.types.map((t) => `${formatCountDelta(t.count)} ${t.type} (${formatBytes(t.bytes)})`).join(', ')}`,
    );
  }
  for (const site of s.allocationSites.slice(0, 3)) {
    const frames = site.traceback
      .slice(-3)
      .reverse()
      .map((f) => `${f.file}:${f.line}`)
      .join(' ← ');
    lines.push(`   allocated at ${frames}: ${formatCount(site.count)} objects, ${formatBytes(site.bytes)}`);
  }
  return lines;
}
