// The Markdown report, for pasting into an issue tracker: the verdict, the suspects with their paths
// in code blocks, and the top types. Pure function; every heap string is escaped.
import type { LeakSuspect } from '@shared/contract';
import { escapeMarkdownCell as cell, escapeMarkdownCode as code, escapeMarkdownText as text } from './escape';
import { formatBytes, formatBytesDelta, formatCount, formatCountDelta, formatPercent } from './format';
import { insightsMarkdown } from './insights';
import type { ReportData } from './model';
import { describeFrame, describeSnapshotTime, reportTitle, verdict } from './text';

export function renderMarkdown(data: ReportData): string {
  const out: string[] = [`# ${text(reportTitle(data))}`, ''];
  out.push(`**${text(verdict(data))}**`, '');
  for (const w of data.warnings) out.push(`> ⚠ ${text(w)}`, '');
  out.push('| snapshot | taken | python | pid | objects | reachable |', '|---|---|---|---:|---:|---:|');
  for (const s of data.snapshots) {
    const p = s.process;
    out.push(
      `| ${cell(s.name)} | ${cell(describeSnapshotTime(s))} | ${cell(p.pythonVersion ?? '?')} | ${p.pid ?? '?'} | ${formatCount(s.totals.objects)} | ${formatBytes(s.totals.reachableShallow)} |`,
    );
  }
  out.push('');
  if (data.snapshots.length > 1) {
    out.push('## Leak suspects', '');
    if (data.suspects.length === 0) out.push('None above the noise floor.', '');
    data.suspects.forEach((s, i) => {
      out.push(...suspect(s, i + 1));
    });
  }
  if (data.largeHolders.length > 0) {
    out.push('## Large holders (≥ 10% of the heap)', '');
    for (const s of data.largeHolders) out.push(`- ${prose(s.explanation)}`, '', fence(s.path), '');
  }
  if (data.types.length > 0) out.push(...types(data));
  if (data.dominators.length > 0) {
    out.push(
      '## Dominator breakdown (newest snapshot)',
      '',
      '| object | retained | share |',
      '|---|---:|---:|',
    );
    for (const d of data.dominators) {
      out.push(
        `| \`${code(d.label ? `${d.type} ${d.label}` : d.type)}\` | \`${code(d.path)}\` | ${formatBytes(d.retained)} | ${formatPercent(d.fraction)} |`,
      );
    }
    out.push('');
  }
  out.push(...insightsMarkdown(data.insights));
  out.push(
    `<sub>Heapscope · noise floor ${formatBytes(data.noiseFloor.bytes)} / ${formatCount(data.noiseFloor.count)} objects · ${data.valuesIncluded ? 'values included' : 'heap string values redacted'}</sub>`,
    '',
  );
  return out.join('\n');
}

/** The explanations' `name` spans stay code spans (their content escaped as code); the rest is prose. */
function prose(explanation: string): string {
  return explanation
    .split(/`([^`]+)`/)
    .map((part, i) => (i % 2 === 1 ? `\`${code(part)}\`` : text(part)))
    .join('');
}

/** A code fence longer than any backtick run in the content, so a heap string cannot close it. */
function fence(content: string): string {
  const longest = Math.max(2, ...(content.match(/`+/g) ?? []).map((run) => run.length));
  const ticks = '`'.repeat(longest + 1);
  return `${ticks}\n${content.replace(/[\r\n]+/g, ' ')}\n${ticks}`;
}

function suspect(s: LeakSuspect, rank: number): string[] {
  const out = [`### ${rank}. ${prose(s.explanation)}`, '', fence(s.path), ''];
  const growth = s.intervals
    .map((iv) => `${formatBytesDelta(iv.bytes)} / ${formatCountDelta(iv.count)} objects`)
    .join(', then ');
  out.push(
    `- holder: \`${code(s.holder.type)}\` at \`${code(s.holder.address || '—')}\`, retains ${formatBytes(s.holder.retained)}`,
  );
  out.push(`- growth: ${growth}`);
  if (s.types.length > 0) {
    out.push(
      `- accumulating: ${s.types.map((t) => `${formatCountDelta(t.count)} \`${code(t.type)}\` (${formatBytesDelta(t.bytes)})`).join(', ')}`,
    );
  }
  for (const site of s.allocationSites.slice(0, 3)) {
    const frames = site.traceback.slice(-3).reverse().map(describeFrame).join(' ← ');
    out.push(
      `- allocated at \`${code(frames)}\`: ${formatCount(site.count)} objects, ${formatBytes(site.bytes)}`,
    );
  }
  out.push('');
  return out;
}

function types(data: ReportData): string[] {
  const diff = data.types[0].retainedDelta !== null;
  const over = `1 → ${data.snapshots.length}`;
  const out = [diff ? `## Types that grew most, ${over}` : '## Top types by retained size', ''];
  if (diff) {
    out.push('| type | count | Δ count | retained | Δ retained |', '|---|---:|---:|---:|---:|');
    for (const t of data.types) {
      out.push(
        `| \`${code(t.type)}\` | ${formatCount(t.count)} | ${formatCountDelta(t.countDelta ?? 0)} | ${formatBytes(t.retained)} | ${formatBytesDelta(t.retainedDelta ?? 0)} |`,
      );
    }
  } else {
    out.push('| type | count | shallow | retained |', '|---|---:|---:|---:|');
    for (const t of data.types) {
      out.push(
        `| \`${code(t.type)}\` | ${formatCount(t.count)} | ${formatBytes(t.shallow)} | ${formatBytes(t.retained)} |`,
      );
    }
  }
  out.push('');
  return out;
}
