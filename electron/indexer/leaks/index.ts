// Leak detection over two or three snapshots: growth suspects (./growth-suspects.ts) plus MAT-style
// large holders of the newest snapshot (./large-holders.ts), with the noise floor applied.
import type { LeakReport } from '@shared/contract';
import type { SnapshotDiff } from '../diff/diff';
import { growthSuspects } from './growth-suspects';
import { holderGrowth } from './holders';
import { largeHolders } from './large-holders';
import { defaultNoiseFloor } from './rules/noise-floor';

export interface LeakOptions {
  /** Override the noise floor (tests, `--floor`); default: defaultNoiseFloor(newest heap). */
  floor?: { bytes: number; count: number };
  limit?: number;
}

/** `diffs`: [base→target] or [base→target, target→final] (the second's base is the first's target). */
export function findLeaks(diffs: SnapshotDiff[], options: LeakOptions = {}): LeakReport {
  const newest = diffs[diffs.length - 1].target;
  const floor = options.floor ?? defaultNoiseFloor(newest.nodeIdx2Retained[0]);
  const intervals = diffs.map(holderGrowth);
  const warnings = [...new Set(diffs.flatMap((d) => d.info.warnings))];
  return {
    snapshots: [diffs[0].base.info.id, ...diffs.map((d) => d.target.info.id)],
    suspects: growthSuspects(intervals, floor, options.limit),
    largeHolders: largeHolders(newest),
    warnings,
    noiseFloor: floor,
  };
}
