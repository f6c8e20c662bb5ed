// `heapscope insights FILE [--json] [--top N]`: where one snapshot wastes memory — duplicate
// strings, empty and shrunk collections, missing `__slots__`, dicts as records, boxed numbers — each
// with its owners, bytes and remedy. The JSON (the contract's InsightReport) is documented in
// docs/INSIGHTS.md.

import { formatBytes } from '../../indexer/report/format';
import { INSIGHT_KIND_TITLES, type InsightReport } from '../../shared/contract';
import type { CliIO } from '../io';
import { CliError, parseArgs } from './args';
import { loadWithProgress } from './load';

export const INSIGHTS_USAGE = 'usage: heapscope insights FILE [--json] [--top N]';

/** Version of the --json shape: bumped when a field changes meaning or goes away (never for additions). */
export const INSIGHTS_JSON_VERSION = 1;

export async function runInsights(argv: string[], io: CliIO): Promise<number> {
  const args = parseArgs(argv, { json: 'flag', top: 'value' }, INSIGHTS_USAGE);
  if (args.positional.length !== 1) throw new CliError(`expected one FILE; ${INSIGHTS_USAGE}`);
  const top = args.options.top === undefined ? undefined : Number(args.options.top);
  if (top !== undefined && !(Number.isSafeInteger(top) && top > 0)) {
    throw new CliError(`--top needs a positive whole number; ${INSIGHTS_USAGE}`);
  }
  const file = args.positional[0]!;
  const snap = await loadWithProgress(file, io);
  const report = snap.insights({ limit: top ?? 20 });
  if (args.flags.has('json')) {
    io.stdout(`${JSON.stringify({ insightsVersion: INSIGHTS_JSON_VERSION, file, ...report }, null, 2)}\n`);
  } else {
    io.stdout(insightsText(file, report, top ?? 5));
  }
  return 0;
}

function accountingText(a: InsightReport['accounting']): string[] {
  if (!a)
    return [
      'Process memory: the snapshot records no RSS (dumped by an older dumper or on a platform without one).',
    ];
  const lines = [`Process memory: RSS ${formatBytes(a.rssBytes)} (${a.rssSource})`, `  ${a.verdict}`];
  for (const s of a.segments) {
    lines.push(`  ${formatBytes(s.bytes).padStart(10)}  ${s.label}  [${s.source}]`);
  }
  const t = a.tracemalloc;
  if (t && t.tracedBytes !== null) {
    const peak = t.peakBytes !== null ? `, peak ${formatBytes(t.peakBytes)}` : '';
    lines.push(`  tracemalloc: ${formatBytes(t.tracedBytes)} traced${peak}  [${t.source}]`);
  } else if (t) lines.push(`  ${t.note}`);
  for (const u of a.unmeasured) lines.push(`  not measured: ${u}`);
  return lines;
}

export function insightsText(file: string, r: InsightReport, perKind: number): string {
  const total = r.totals.reduce((s, t) => s + t.wastedBytes, 0);
  const lines = [...accountingText(r.accounting), ''];
  lines.push(
    `${file}: ${formatBytes(total)} could be saved${r.pythonVersion ? ` (Python ${r.pythonVersion} sizes)` : ''} · analysed in ${r.seconds.toFixed(2)} s`,
  );
  for (const t of r.totals) {
    lines.push(
      '',
      `${INSIGHT_KIND_TITLES[t.kind]}: ${formatBytes(t.wastedBytes)} in ${t.findings.toLocaleString('en-US')} finding${t.findings === 1 ? '' : 's'}`,
    );
    const findings = r.findings.filter((f) => f.kind === t.kind).slice(0, perKind);
    for (const f of findings) {
      lines.push(`  ${formatBytes(f.wastedBytes).padStart(10)}  ${f.title}`);
      lines.push(`              = ${f.estimate}`);
      for (const o of f.owners.slice(0, 3)) {
        lines.push(`              ${o.count.toLocaleString('en-US')} in ${o.path}`);
      }
      // The rest, so that the lines add up to the finding's count.
      const rest = f.owners.slice(3);
      const holders = rest.length + (f.otherOwners?.owners ?? 0);
      if (holders > 0) {
        const count = rest.reduce((s, o) => s + o.count, 0) + (f.otherOwners?.count ?? 0);
        lines.push(
          `              ${count.toLocaleString('en-US')} in ${holders.toLocaleString('en-US')} other holder${holders === 1 ? '' : 's'}`,
        );
      }
      lines.push(`              fix: ${f.remedy}`);
    }
  }
  lines.push('', 'Not counted:', ...r.notCounted.map((n) => `  - ${n}`));
  lines.push('Assumptions:', ...r.assumptions.map((a) => `  - ${a}`));
  return `${lines.join('\n')}\n`;
}
