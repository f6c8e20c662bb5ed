// Human units for sizes and counts; exact values go into `title` so hovering shows the real bytes.

import { scaleBytes } from '@shared/units';

/** 1536 → "1.50 KiB": three significant digits, so a table column stays aligned and comparable. */
export function formatBytes(bytes: number): string {
  if (!Number.isFinite(bytes)) return '—';
  const sign = bytes < 0 ? '-' : '';
  const { value, unit } = scaleBytes(bytes);
  if (unit === 'B') return `${sign}${Math.round(value)} B`;
  const digits = value >= 100 ? 0 : value >= 10 ? 1 : 2;
  return `${sign}${value.toFixed(digits)} ${unit}`;
}

/** 1234567 → "1,234,567 bytes", for tooltips. */
export function exactBytes(bytes: number): string {
  return `${formatCount(bytes)} ${Math.abs(bytes) === 1 ? 'byte' : 'bytes'}`;
}

/** Thousands separators, fixed to en-US so screenshots and tests do not depend on the locale. */
export function formatCount(n: number): string {
  return Math.round(n).toLocaleString('en-US');
}

/** Share of `total` as a percent string with precision that still separates small rows. */
export function formatPercent(part: number, total: number): string {
  if (total <= 0) return '—';
  const p = (part / total) * 100;
  if (p === 0) return '0 %';
  if (p < 0.01) return '<0.01 %';
  return `${p >= 10 ? p.toFixed(1) : p.toFixed(2)} %`;
}

/** Epoch seconds → "2026-11-25 09:51:45 UTC"; null → "—". */
export function formatTime(seconds: number | null): string {
  if (seconds === null) return '—';
  const iso = new Date(seconds * 1000).toISOString();
  return `${iso.slice(0, 10)} ${iso.slice(11, 19)} UTC`;
}

/** Seconds → "1.23 s" / "450 ms". */
export function formatDuration(seconds: number): string {
  return seconds < 1 ? `${Math.round(seconds * 1000)} ms` : `${seconds.toFixed(2)} s`;
}
