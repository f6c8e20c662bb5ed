// mayPass lets growth-suspects skip small groups before joining intervals: it must never skip a
// group the rules would keep, or a speed-up would silently drop suspects.
import { describe, expect, it } from 'vitest';
import { type Candidate, LEAK_RULES, mayPass } from './index';

const floor = { bytes: 64 * 1024, count: 32 };

function candidate(intervals: number[], rootKind: string | null): Candidate {
  const ivs = intervals.map((bytes) => ({ bytes, count: 1000 }));
  return {
    signature: 'module app › ._CACHE:dict',
    intervals: ivs,
    bytes: intervals.reduce((a, b) => a + b, 0),
    count: 1000 * intervals.length,
    ownBytes: 0,
    replaced: 0,
    rootKind,
    roots: intervals.map(() => 5),
  };
}

describe('mayPass', () => {
  it('is false only for groups that every rule set would drop', () => {
    const sizes = [
      -floor.bytes,
      0,
      1,
      floor.bytes / 4,
      floor.bytes / 2 - 1,
      floor.bytes / 2,
      floor.bytes,
      20 * floor.bytes,
    ];
    let skipped = 0;
    for (const rootKind of [null, 'new threads']) {
      for (const newest of sizes) {
        for (const older of [null, ...sizes]) {
          const c = candidate(older === null ? [newest] : [older, newest], rootKind);
          if (mayPass(newest, floor)) continue;
          skipped++;
          expect(LEAK_RULES.every((rule) => rule.keep(c, floor))).toBe(false);
        }
      }
    }
    expect(skipped).toBeGreaterThan(0);
  });

  it('lets a group at half the floor in the newest interval through to the rules', () => {
    expect(mayPass(floor.bytes / 2, floor)).toBe(true);
    // Two intervals, each at half the floor or more, summing past it: the rules keep it.
    const c = candidate([floor.bytes, floor.bytes / 2], null);
    expect(LEAK_RULES.every((rule) => rule.keep(c, floor))).toBe(true);
  });
});
