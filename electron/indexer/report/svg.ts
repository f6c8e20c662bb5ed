// Charts as inline SVG strings, so the HTML report needs no script and no network. Every label is
// escaped; sizes come from the data only.
import { escapeHtml } from './escape';

export interface Bar {
  label: string;
  value: number;
  /** Text drawn after the bar (e.g. "+4.1 MB"). */
  text: string;
}

const ROW = 22;
const LABEL_W = 300;
const TEXT_W = 110;

function truncate(label: string, max: number): string {
  return label.length > max ? `${label.slice(0, max - 1)}…` : label;
}

/** Horizontal bars, one per item, scaled to the largest absolute value. */
export function horizontalBars(bars: Bar[], width = 760, colour = '#d9534f'): string {
  if (bars.length === 0) return '';
  const max = Math.max(1, ...bars.map((b) => Math.abs(b.value)));
  const barSpace = width - LABEL_W - TEXT_W;
  const height = bars.length * ROW + 4;
  const rows = bars.map((bar, i) => {
    const y = i * ROW + 2;
    const w = Math.max(1, Math.round((Math.abs(bar.value) / max) * barSpace));
    const fill = bar.value < 0 ? '#5b9bd5' : colour;
    return (
      `<g><title>${escapeHtml(bar.label)}: ${escapeHtml(bar.text)}</title>` +
      `<text x="${LABEL_W - 8}" y="${y + 15}" text-anchor="end" class="chart-label">${escapeHtml(truncate(bar.label, 44))}</text>` +
      `<rect x="${LABEL_W}" y="${y + 3}" width="${w}" height="${ROW - 6}" rx="2" fill="${fill}"/>` +
      `<text x="${LABEL_W + w + 6}" y="${y + 15}" class="chart-value">${escapeHtml(bar.text)}</text></g>`
    );
  });
  return `<svg class="chart" role="img" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}">${rows.join('')}</svg>`;
}

export interface Column {
  label: string;
  value: number;
  text: string;
}

/** Vertical columns over time (heap size per snapshot). */
export function columns(cols: Column[], width = 420, height = 180, colour = '#6c8ebf'): string {
  if (cols.length === 0) return '';
  const max = Math.max(1, ...cols.map((c) => c.value));
  const slot = width / cols.length;
  const plot = height - 40;
  const parts = cols.map((col, i) => {
    const h = Math.max(1, Math.round((col.value / max) * plot));
    const x = Math.round(i * slot + slot * 0.2);
    const w = Math.round(slot * 0.6);
    const y = 18 + plot - h;
    return (
      `<g><title>${escapeHtml(col.label)}: ${escapeHtml(col.text)}</title>` +
      `<rect x="${x}" y="${y}" width="${w}" height="${h}" rx="2" fill="${colour}"/>` +
      `<text x="${x + w / 2}" y="${y - 4}" text-anchor="middle" class="chart-value">${escapeHtml(col.text)}</text>` +
      `<text x="${x + w / 2}" y="${height - 6}" text-anchor="middle" class="chart-label">${escapeHtml(truncate(col.label, 24))}</text></g>`
    );
  });
  return `<svg class="chart" role="img" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}">${parts.join('')}</svg>`;
}
