// The self-contained HTML report: one file, inline CSS, charts as inline SVG, no script and no
// network, so it opens from disk in any browser and can be attached to a ticket. Pure function.
import type { LeakSuspect } from '@shared/contract';
import { nameFromPath } from '../leaks/explain';
import { escapeHtml as e } from './escape';
import { formatBytes, formatBytesDelta, formatCount, formatCountDelta, formatPercent } from './format';
import { insightsHtml } from './insights';
import type { ReportData, ReportSnapshot } from './model';
import { columns, horizontalBars } from './svg';
import { describeFrame, describeSnapshotTime, reportTitle, verdict } from './text';

const CSS = `
:root { color-scheme: light dark; --fg:#1d2330; --muted:#5f6b7a; --bg:#fff; --card:#f5f7fa; --line:#dde3ea; --bad:#c9302c; --code:#eef1f5; }
@media (prefers-color-scheme: dark) { :root { --fg:#e6e9ef; --muted:#9aa5b4; --bg:#161a20; --card:#1f252d; --line:#2f3742; --bad:#ff6b66; --code:#252c35; } }
* { box-sizing: border-box; }
body { font: 14px/1.45 system-ui, -apple-system, "Segoe UI", sans-serif; color: var(--fg); background: var(--bg); margin: 0; padding: 24px 32px 48px; max-width: 1100px; }
h1 { font-size: 22px; margin: 0 0 4px; } h2 { font-size: 17px; margin: 28px 0 10px; border-bottom: 1px solid var(--line); padding-bottom: 4px; }
h3 { font-size: 15px; margin: 0 0 6px; }
.muted { color: var(--muted); } .bad { color: var(--bad); } .verdict { font-size: 16px; font-weight: 600; margin: 14px 0; }
.warning { background: #fff3cd; color: #664d03; border: 1px solid #ffe69c; padding: 8px 12px; border-radius: 6px; margin: 6px 0; }
table { border-collapse: collapse; width: 100%; margin: 6px 0 12px; } th, td { text-align: left; padding: 4px 8px; border-bottom: 1px solid var(--line); vertical-align: top; }
th { font-weight: 600; color: var(--muted); } td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
code, .path { font: 12.5px/1.4 ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; background: var(--code); border-radius: 4px; padding: 1px 4px; overflow-wrap: anywhere; }
.path { display: block; padding: 8px 10px; margin: 6px 0; }
.suspect { background: var(--card); border: 1px solid var(--line); border-radius: 8px; padding: 12px 16px; margin: 12px 0; }
.suspect .rank { color: var(--bad); font-weight: 700; margin-right: 6px; }
.chart { max-width: 100%; height: auto; } .chart-label { font: 12px system-ui, sans-serif; fill: var(--fg); } .chart-value { font: 11px system-ui, sans-serif; fill: var(--muted); }
`;

export function renderHtml(data: ReportData): string {
  const parts = [
    `<header><h1>${e(reportTitle(data))}</h1><div class="muted">Generated ${e(new Date(data.generatedAt * 1000).toISOString())} by Heapscope · ${
      data.valuesIncluded
        ? 'string values from the heap are included'
        : 'string values from the heap are redacted'
    }</div></header>`,
    ...data.warnings.map((w) => `<div class="warning">⚠ ${e(w)}</div>`),
    `<p class="verdict${data.suspects.length > 0 ? ' bad' : ''}" id="verdict">${e(verdict(data))}</p>`,
    processSection(data.snapshots),
    suspectsSection(data),
    largeHoldersSection(data),
    typesSection(data),
    dominatorSection(data),
    insightsHtml(data.insights),
  ];
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${e(reportTitle(data))}</title><style>${CSS}</style></head>
<body>
${parts.filter((p) => p !== '').join('\n')}
</body></html>
`;
}

function processSection(snapshots: ReportSnapshot[]): string {
  const head = [
    'snapshot',
    'taken',
    'python',
    'pid',
    'argv',
    'RSS',
    'objects',
    'reachable',
    'cyclic garbage',
  ];
  const rows = snapshots.map((s) => {
    const p = s.process;
    return `<tr><td>${e(s.name)}</td><td>${e(describeSnapshotTime(s))}</td><td>${e(p.pythonVersion ?? '?')}</td><td class="num">${p.pid ?? '?'}</td><td><code>${e(p.argv.join(' '))}</code></td><td class="num">${p.rssBytes === null ? '?' : e(formatBytes(p.rssBytes))}</td><td class="num">${e(formatCount(s.totals.objects))}</td><td class="num">${e(formatBytes(s.totals.reachableShallow))}</td><td class="num">${e(formatCount(s.totals.unreachable))} (${e(formatBytes(s.totals.unreachableShallow))})</td></tr>`;
  });
  const chart =
    snapshots.length > 1
      ? `<div>${columns(snapshots.map((s) => ({ label: s.name, value: s.totals.reachableShallow, text: formatBytes(s.totals.reachableShallow) })))}</div>`
      : '';
  return `<section id="process"><h2>Process</h2><table><thead><tr>${head.map((h) => `<th>${h}</th>`).join('')}</tr></thead><tbody>${rows.join('')}</tbody></table>${chart}</section>`;
}

function suspectsSection(data: ReportData): string {
  if (data.snapshots.length < 2) return '';
  const floor = `Noise floor: ${formatBytes(data.noiseFloor.bytes)} and ${formatCount(data.noiseFloor.count)} objects per suspect.`;
  if (data.suspects.length === 0) {
    return `<section id="suspects"><h2>Leak suspects</h2><p>None. ${e(floor)}</p></section>`;
  }
  const chart = horizontalBars(
    data.suspects.map((s) => ({
      label: holderName(s),
      value: s.retainedGrowthBytes,
      text: formatBytesDelta(s.retainedGrowthBytes),
    })),
  );
  const cards = data.suspects.map((s, i) => suspectCard(s, i + 1, data.snapshots.length));
  return `<section id="suspects"><h2>Leak suspects</h2><p class="muted">${e(floor)} Growth per suspect:</p>${chart}${cards.join('')}</section>`;
}

function holderName(s: LeakSuspect): string {
  return `${s.holder.type} ${nameFromPath(s.path, s.holder.type).name}`;
}

/** Escaped text with the explanations' `code` spans rendered as <code> (after escaping, so still safe). */
function prose(text: string): string {
  return e(text).replace(/`([^`]+)`/g, '<code>$1</code>');
}

function suspectCard(s: LeakSuspect, rank: number, snapshots: number): string {
  const intervalNames = snapshots > 2 ? ['1 → 2', '2 → 3'] : ['1 → 2'];
  const intervals = s.intervals
    .map(
      (iv, i) =>
        `<tr><td>${e(intervalNames[i] ?? String(i + 1))}</td><td class="num">${e(formatBytesDelta(iv.bytes))}</td><td class="num">${e(formatCountDelta(iv.count))}</td></tr>`,
    )
    .join('');
  const types = s.types
    .map(
      (t) =>
        `<tr><td><code>${e(t.type)}</code></td><td class="num">${e(formatCountDelta(t.count))}</td><td class="num">${e(formatBytesDelta(t.bytes))}</td></tr>`,
    )
    .join('');
  const sites = s.allocationSites
    .map(
      (site) =>
        `<tr><td><code>${e(site.traceback.slice(-3).reverse().map(describeFrame).join(' ← '))}</code></td><td class="num">${e(formatCount(site.count))}</td><td class="num">${e(formatBytes(site.bytes))}</td></tr>`,
    )
    .join('');
  return `<article class="suspect" data-rank="${rank}">
<h3><span class="rank">#${rank}</span>${prose(s.explanation)}</h3>
<div class="path">${e(s.path)}</div>
<div class="muted">holder: <code>${e(s.holder.type)}</code> at <code>${e(s.holder.address || '—')}</code>${s.holder.label ? ` · <code>${e(s.holder.label)}</code>` : ''} · retains ${e(formatBytes(s.holder.retained))}${s.holderCount > 1 ? ` · ${e(formatCount(s.holderCount))} holders share this path` : ''}</div>
<table><thead><tr><th>interval</th><th class="num">bytes</th><th class="num">objects</th></tr></thead><tbody>${intervals}</tbody></table>
${types ? `<table><thead><tr><th>accumulating type</th><th class="num">objects</th><th class="num">bytes</th></tr></thead><tbody>${types}</tbody></table>` : ''}
${sites ? `<table><thead><tr><th>allocated at (most recent first)</th><th class="num">objects</th><th class="num">bytes</th></tr></thead><tbody>${sites}</tbody></table>` : ''}
</article>`;
}

function largeHoldersSection(data: ReportData): string {
  if (data.largeHolders.length === 0) return '';
  const items = data.largeHolders
    .map((s) => `<li>${prose(s.explanation)}<div class="path">${e(s.path)}</div></li>`)
    .join('');
  return `<section id="large-holders"><h2>Large holders (≥ 10% of the heap)</h2><ul>${items}</ul></section>`;
}

function typesSection(data: ReportData): string {
  if (data.types.length === 0) return '';
  const diff = data.types[0].retainedDelta !== null;
  const chart = horizontalBars(
    data.types.slice(0, 15).map((t) => {
      const value = diff ? (t.retainedDelta ?? 0) : t.retained;
      return { label: t.type, value, text: diff ? formatBytesDelta(value) : formatBytes(value) };
    }),
    760,
    '#6c8ebf',
  );
  const head = diff
    ? '<th>type</th><th class="num">count</th><th class="num">Δ count</th><th class="num">retained</th><th class="num">Δ retained</th>'
    : '<th>type</th><th class="num">count</th><th class="num">shallow</th><th class="num">retained</th>';
  const rows = data.types.map((t) =>
    diff
      ? `<tr><td><code>${e(t.type)}</code></td><td class="num">${e(formatCount(t.count))}</td><td class="num">${e(formatCountDelta(t.countDelta ?? 0))}</td><td class="num">${e(formatBytes(t.retained))}</td><td class="num">${e(formatBytesDelta(t.retainedDelta ?? 0))}</td></tr>`
      : `<tr><td><code>${e(t.type)}</code></td><td class="num">${e(formatCount(t.count))}</td><td class="num">${e(formatBytes(t.shallow))}</td><td class="num">${e(formatBytes(t.retained))}</td></tr>`,
  );
  // The interval by snapshot number, as the app's Compare view and the suspects name it.
  const title = diff
    ? `Types that grew most, 1 → ${data.snapshots.length} (oldest to newest)`
    : 'Top types by retained size';
  return `<section id="types"><h2>${title}</h2>${chart}<table><thead><tr>${head}</tr></thead><tbody>${rows.join('')}</tbody></table></section>`;
}

function dominatorSection(data: ReportData): string {
  if (data.dominators.length === 0) return '';
  const chart = horizontalBars(
    data.dominators.map((d) => ({
      label: dominatorName(d),
      value: d.retained,
      text: `${formatBytes(d.retained)} · ${formatPercent(d.fraction)}`,
    })),
    760,
    '#8e6cbf',
  );
  const rows = data.dominators
    .map(
      (d) =>
        `<tr><td><code>${e(d.type)}</code>${d.label ? ` <code>${e(d.label)}</code>` : ''}</td><td><code>${e(d.path)}</code></td><td class="num">${e(formatBytes(d.retained))}</td><td class="num">${e(formatPercent(d.fraction))}</td></tr>`,
    )
    .join('');
  return `<section id="dominators"><h2>Dominator breakdown (newest snapshot)</h2><p class="muted">The objects that keep the most memory alive: freeing one frees everything it retains.</p>${chart}<table><thead><tr><th>object</th><th>path</th><th class="num">retained</th><th class="num">share</th></tr></thead><tbody>${rows}</tbody></table></section>`;
}

/** "dict ['_CACHE']": the type and the last step of its path, which names it better than a label. */
export function dominatorName(d: { type: string; path: string; label: string }): string {
  const segments = d.path.split(' → ');
  const named = segments.length > 2 ? segments[segments.length - 2] : d.label;
  return named ? `${d.type} ${named}` : d.type;
}
