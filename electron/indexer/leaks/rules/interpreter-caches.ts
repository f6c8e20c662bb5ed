// Holders inside modules that are the interpreter's own bounded caches: they fill as the program
// touches new code paths (source lines for tracebacks, compiled regexes, typing generics, import
// finders), never without bound. Growth there is reported only when it is far above the floor.
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

export const interpreterCachesRule: LeakRule = {
  name: 'interpreter-caches',
  keep(c, floor) {
    const module = rootModule(c.signature);
    if (module === null) return true;
    const cache = INTERPRETER_CACHE_MODULES.some((m) => module === m || module.startsWith(`${m}.`));
    return !cache || c.bytes >= BIG_GROWTH_FACTOR * floor.bytes;
  },
};
