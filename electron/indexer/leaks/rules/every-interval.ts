// With three snapshots, a leak keeps growing: MemLab's "allocated between base and target, still
// alive in final" becomes, per holder, "grew base → target AND grew target → final". A cache that
// filled once and stays full grows in the first interval only and is dropped here. Each interval
// must grow by at least half the noise floor (the floor itself applies to the total).
import type { LeakRule } from './rule';

export const everyIntervalRule: LeakRule = {
  name: 'grew-in-every-interval',
  keep(c, floor) {
    if (c.intervals.length < 2) return true;
    return c.intervals.every((iv) => iv.bytes >= floor.bytes / 2);
  },
};
