// The rules, in the order they are applied. Add a rule: one file, one entry here, one line in docs/LEAKS.md.
import { everyIntervalRule } from './every-interval';
import { interpreterCachesRule } from './interpreter-caches';
import { newRootsRule } from './new-roots';
import { noiseFloorRule } from './noise-floor';
import type { LeakRule, NoiseFloor } from './rule';

export const LEAK_RULES: readonly LeakRule[] = [
  noiseFloorRule,
  everyIntervalRule,
  interpreterCachesRule,
  newRootsRule,
];

/**
 * Whether a holder group that grew `newestBytes` in the newest interval can pass LEAK_RULES at all:
 * the noise floor (one interval: its bytes ≥ the floor) and grew-in-every-interval (several: each
 * ≥ half the floor) both need half the floor in the newest interval. Lets the caller skip joining
 * intervals for the thousands of small groups; may-pass.test.ts checks it against the rules.
 */
export function mayPass(newestBytes: number, floor: NoiseFloor): boolean {
  return newestBytes >= floor.bytes / 2;
}

export type { Candidate, LeakRule, NoiseFloor } from './rule';
