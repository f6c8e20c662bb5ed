// Growth that hangs from new modules or new threads must come from several of them: one module
// imported lazily between two dumps (json, asyncio) or one long-lived thread started is how programs
// warm up, while `plugin_#` modules registered per request or `worker-#` threads that never exit
// accumulate. So a module or thread group is kept only with at least MIN_NEW_ROOTS more roots in every
// interval. Objects held only from C are judged like any holder (the noise floor's object count).
import { NEW_MODULES, NEW_THREADS } from '../new-roots';
import type { LeakRule } from './rule';

export const MIN_NEW_ROOTS = 3;

export const newRootsRule: LeakRule = {
  name: 'several-new-roots',
  keep(c) {
    if (c.rootKind !== NEW_MODULES && c.rootKind !== NEW_THREADS) return true;
    return c.roots.every((n) => n >= MIN_NEW_ROOTS);
  },
};
