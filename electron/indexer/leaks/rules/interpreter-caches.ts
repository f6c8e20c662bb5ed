// Holders inside modules that are the interpreter's own caches: they fill as the program touches new
// code paths (source lines for tracebacks, compiled regexes, typing generics, import finders). A true
// cache fills and then stays or churns; what never evicts keeps growing. So with two or more
// intervals such a holder is kept when it grew by at least the noise floor in *every* interval and
// did not slow down to less than half its first interval's pace (a cache filling decelerates: most
// of its growth comes first). With one interval nothing tells filling from leaking, and it is kept
// only when far above the floor. Kept suspects here rank below the program's own holders.
import { rootModule } from '../signature';
import { BIG_GROWTH_FACTOR } from './noise-floor';
import type { LeakRule } from './rule';

export const INTERPRETER_CACHE_MODULES = [
  'linecache', // source lines read for tracebacks: one entry per file
  're', // compiled-pattern cache, capped at 512
  'sre_compile',
  'typing', // cached generic aliases (functools.lru_cache, bounded)
  'functools', // the module itself; user lru_caches live in the user's module and are judged normally
  'encodings', // codec lookup cache: one entry per codec name
  'importlib._bootstrap',
  'importlib._bootstrap_external', // path finders: one per sys.path entry
  'zipimport',
  'warnings', // the once-per-location registry
  'heapscope', // the dumper itself
  'tracemalloc',
];

/** A slowing-down ratio below this between the last and the first interval reads as a cache filling. */
const STEADY_RATIO = 0.5;

export function isInterpreterCache(signature: string): boolean {
  const module = rootModule(signature);
  if (module === null) return false;
  return INTERPRETER_CACHE_MODULES.some((m) => module === m || module.startsWith(`${m}.`));
}

export const interpreterCachesRule: LeakRule = {
  name: 'interpreter-caches',
  keep(c, floor) {
    if (!isInterpreterCache(c.signature)) return true;
    if (c.intervals.length < 2) return c.bytes >= BIG_GROWTH_FACTOR * floor.bytes;
    const first = c.intervals[0].bytes;
    const last = c.intervals[c.intervals.length - 1].bytes;
    return c.intervals.every((iv) => iv.bytes >= floor.bytes) && last >= STEADY_RATIO * first;
  },
};
