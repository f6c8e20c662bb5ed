// Number formatting shared by the explanations, the CLI tables and the reports, so a size reads the
// same everywhere ("+4.1 MiB", "2,000").
import { scaleBytes } from '../../shared/units';

/**
 * Binary multiples with the units of shared/units.ts, as the app's tables (renderer/src/lib/format.ts)
 * show them, so a number in a report or the CLI reads the same as in the UI: 4,194,304 → "4.0 MiB".
 */
export function formatBytes(bytes: number): string {
  const { value, unit } = scaleBytes(bytes);
  if (unit === 'B') return `${bytes} B`;
  return `${bytes < 0 ? '-' : ''}${value.toFixed(value < 100 ? 1 : 0)} ${unit}`;
}

/** Always signed: "+4.1 MiB", "-12 B", "0 B". */
export function formatBytesDelta(bytes: number): string {
  return bytes > 0 ? `+${formatBytes(bytes)}` : formatBytes(bytes);
}

export function formatCount(n: number): string {
  return Math.round(n).toLocaleString('en-US');
}

export function formatCountDelta(n: number): string {
  return n > 0 ? `+${formatCount(n)}` : formatCount(n);
}

export function formatPercent(fraction: number): string {
  return `${(fraction * 100).toFixed(fraction < 0.1 ? 1 : 0)}%`;
}

/** A human duration for "between snapshots (3.2 s apart)". */
export function formatSeconds(seconds: number): string {
  if (seconds < 120) return `${seconds.toFixed(seconds < 10 ? 1 : 0)} s`;
  if (seconds < 7200) return `${(seconds / 60).toFixed(0)} min`;
  return `${(seconds / 3600).toFixed(1)} h`;
}
