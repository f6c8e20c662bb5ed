// The rules, in the order they are applied. Add a rule: one file, one entry here, one line in docs/LEAKS.md.
import { everyIntervalRule } from './every-interval';
import { interpreterCachesRule } from './interpreter-caches';
import { newRootsRule } from './new-roots';
import { noiseFloorRule } from './noise-floor';
import type { LeakRule } from './rule';

export const LEAK_RULES: readonly LeakRule[] = [
  noiseFloorRule,
  everyIntervalRule,
  interpreterCachesRule,
  newRootsRule,
];

export type { Candidate, LeakRule, NoiseFloor } from './rule';
