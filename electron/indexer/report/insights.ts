// The report's "Process memory" and "Where memory could be saved" sections (newest snapshot):
// the accounting breakdown with its sources, a stacked bar in HTML, and the largest findings of each
// kind with the formula, the top owner and the remedy. Redaction of heap strings in findings too.
import {
  INSIGHT_KIND_TITLES,
  type InsightFinding,
  type InsightReport,
  type ProcessAccounting,
} from '@shared/contract';
import { escapeMarkdownCell as cell, escapeHtml as e, escapeMarkdownText as text } from './escape';
import { formatBytes, formatCount, formatPercent } from './format';
import { keepKey, REDACTED_VALUE, redactLabel, redactPathText } from './redact';

const PER_KIND = 3;
const SEGMENT_COLOURS: Record<string, string> = {
  objects: '#4e79a7',
  'pymalloc-free': '#f28e2b',
  'malloc-free': '#e15759',
  'file-backed': '#76b7b2',
  other: '#bab0ac',
};

/** A quoted literal in a title or remedy ('key', "value"); kept when redact.ts's keepKey keeps it. */
const QUOTED = /(['"])((?:\\.|(?!\1)[^\\])*)\1/g;

function redactText(s: string): string {
  return redactPathText(s).replace(QUOTED, (whole, _q: string, body: string) =>
    keepKey(body) ? whole : REDACTED_VALUE,
  );
}

export function redactInsights(r: InsightReport): InsightReport {
  const finding = (f: InsightFinding): InsightFinding => ({
    ...f,
    // A duplicate's title starts with its value: `"tok-8f2a" (str, 57 B): 3 copies`.
    title:
      f.kind === 'duplicate-values'
        ? f.title.replace(/^.* \((str|bytes), /s, `${REDACTED_VALUE} ($1, `)
        : redactText(f.title),
    remedy: redactText(f.remedy),
    owners: f.owners.map((o) => ({
      ...o,
      path: redactPathText(o.path),
      holder: o.holder ? { ...o.holder, label: redactLabel(o.holder.type, o.holder.label) } : null,
    })),
  });
  return { ...r, findings: r.findings.map(finding) };
}

/** `; 120 more by 9 other holders` when the first owner does not hold all of a finding's objects. */
function otherHolders(f: InsightFinding): string {
  const rest = f.count - (f.owners[0]?.count ?? 0);
  const holders = f.owners.length - 1 + (f.otherOwners?.owners ?? 0);
  return rest > 0 && holders > 0
    ? `; ${formatCount(rest)} more by ${formatCount(holders)} other holder${holders === 1 ? '' : 's'}`
    : '';
}

function topFindings(r: InsightReport) {
  return r.totals.map((t) => ({
    total: t,
    findings: r.findings.filter((f) => f.kind === t.kind).slice(0, PER_KIND),
  }));
}

export function insightsMarkdown(r: InsightReport | null | undefined): string[] {
  if (!r) return [];
  const out: string[] = [];
  out.push(...accountingMarkdown(r.accounting));
  const saved = r.totals.reduce((s, t) => s + t.wastedBytes, 0);
  out.push('## Where memory could be saved (newest snapshot)', '', `${formatBytes(saved)} in all.`, '');
  out.push('| kind | findings | objects | could save |', '|---|---:|---:|---:|');
  for (const t of r.totals) {
    out.push(
      `| ${cell(INSIGHT_KIND_TITLES[t.kind])} | ${formatCount(t.findings)} | ${formatCount(t.count)} | ${formatBytes(t.wastedBytes)} |`,
    );
  }
  out.push('');
  for (const { total, findings } of topFindings(r)) {
    if (findings.length === 0) continue;
    out.push(`### ${text(INSIGHT_KIND_TITLES[total.kind])}`, '');
    for (const f of findings) {
      out.push(`- **${text(formatBytes(f.wastedBytes))}** ${text(f.title)} — ${text(f.estimate)}`);
      const o = f.owners[0];
      if (o)
        out.push(`  - ${formatCount(o.count)} held by \`${o.path.replace(/`/g, "'")}\`${otherHolders(f)}`);
      out.push(`  - fix: ${text(f.remedy)}`);
    }
    out.push('');
  }
  if (r.notCounted.length > 0) out.push('Not counted:', '', ...r.notCounted.map((n) => `- ${text(n)}`), '');
  return out;
}

function accountingMarkdown(a: ProcessAccounting | null): string[] {
  if (!a)
    return [
      '## Process memory',
      '',
      'The snapshot records no RSS (older dumper, or a platform without one).',
      '',
    ];
  const out = [
    '## Process memory',
    '',
    `RSS ${formatBytes(a.rssBytes)} (${text(a.rssSource)}). ${text(a.verdict)}`,
    '',
  ];
  out.push('| part | bytes | share | source |', '|---|---:|---:|---|');
  for (const s of a.segments) {
    out.push(
      `| ${cell(s.label)} | ${formatBytes(s.bytes)} | ${formatPercent(s.bytes / a.rssBytes)} | ${cell(s.source)} |`,
    );
  }
  out.push('', `- ${text(tracemallocLine(a))}`, ...a.unmeasured.map((u) => `- not measured: ${text(u)}`), '');
  return out;
}

export function insightsHtml(r: InsightReport | null | undefined): string {
  if (!r) return '';
  const parts = [accountingHtml(r.accounting)];
  const saved = r.totals.reduce((s, t) => s + t.wastedBytes, 0);
  parts.push(`<h2>Where memory could be saved (newest snapshot)</h2><p>${e(formatBytes(saved))} in all.</p>`);
  for (const { total, findings } of topFindings(r)) {
    if (findings.length === 0) continue;
    parts.push(
      `<h3>${e(INSIGHT_KIND_TITLES[total.kind])}: ${e(formatBytes(total.wastedBytes))} in ${e(formatCount(total.findings))}</h3><ul>`,
    );
    for (const f of findings) {
      const o = f.owners[0];
      parts.push(
        `<li><b>${e(formatBytes(f.wastedBytes))}</b> ${e(f.title)} <span class="muted">= ${e(f.estimate)}</span>` +
          (o
            ? `<span class="path">${e(formatCount(o.count))} held by ${e(o.path)}${e(otherHolders(f))}</span>`
            : '') +
          `<div>fix: ${e(f.remedy)}</div></li>`,
      );
    }
    parts.push('</ul>');
  }
  if (r.notCounted.length > 0)
    parts.push(`<p class="muted">Not counted: ${r.notCounted.map(e).join(' ')}</p>`);
  return parts.join('\n');
}

function accountingHtml(a: ProcessAccounting | null): string {
  if (!a) return '<h2>Process memory</h2><p class="muted">The snapshot records no RSS.</p>';
  const bar = a.segments
    .filter((s) => s.bytes > 0)
    .map((s) => {
      const pct = ((100 * s.bytes) / a.rssBytes).toFixed(2);
      return `<div title="${e(`${s.label}: ${formatBytes(s.bytes)} (${s.source})`)}" style="width:${pct}%;background:${SEGMENT_COLOURS[s.key] ?? '#999'}"></div>`;
    })
    .join('');
  const rows = a.segments
    .map(
      (s) =>
        `<tr><td><span style="display:inline-block;width:10px;height:10px;background:${SEGMENT_COLOURS[s.key] ?? '#999'}"></span> ${e(s.label)}</td><td class="num">${e(formatBytes(s.bytes))}</td><td class="num">${e(formatPercent(s.bytes / a.rssBytes))}</td><td class="muted">${e(s.source)}</td></tr>`,
    )
    .join('');
  return `<h2>Process memory</h2><p>RSS ${e(formatBytes(a.rssBytes))} <span class="muted">(${e(a.rssSource)})</span>. ${e(a.verdict)}</p>
<div class="stacked" id="accounting-bar" style="display:flex;height:18px;border-radius:4px;overflow:hidden">${bar}</div>
<table><tr><th>part</th><th class="num">bytes</th><th class="num">share</th><th>source</th></tr>${rows}</table>
<div id="tracemalloc">${e(tracemallocLine(a))}</div>
${a.unmeasured.map((u) => `<div class="muted">not measured: ${e(u)}</div>`).join('')}`;
}

/** tracemalloc's traced total with its source, or why there is none (said plainly, never left out). */
function tracemallocLine(a: ProcessAccounting): string {
  const t = a.tracemalloc;
  if (!t) return 'tracemalloc: not recorded';
  if (t.tracedBytes === null) return t.note;
  const peak = t.peakBytes !== null ? `, peak ${formatBytes(t.peakBytes)}` : '';
  return `tracemalloc: ${formatBytes(t.tracedBytes)} traced${peak} (${t.source})`;
}
