// Node numbering shared by every stage and query. Node 0 is the synthetic super-root; nodes 1..6 are
// root groups, one per root kind; objects start at FIRST_OBJECT in file order.
//
// The "unreachable" group is NOT a child of the super-root for dominator purposes: objects no root
// reaches (cyclic garbage) get their own dominator tree under that group, so the super-root's retained
// size is exactly the shallow size reachable from real roots. For navigation only, queries show the
// group as the super-root's last child (its `dominator` entry is 0), but its size is never added to 0.
import type { RootKind } from '../../shared/contract';

export const SUPER_ROOT = 0;
export const GROUP_MODULE = 1;
export const GROUP_THREAD = 2;
export const GROUP_SYS = 3;
export const GROUP_HELD_FROM_C = 4;
export const GROUP_OTHER = 5;
export const GROUP_UNREACHABLE = 6;
export const FIRST_OBJECT = 7;
/** Groups the super-root points to; the unreachable group is not among them. */
export const REAL_GROUPS = [GROUP_MODULE, GROUP_THREAD, GROUP_SYS, GROUP_HELD_FROM_C, GROUP_OTHER] as const;

/** "no node": parent of the roots, dominator of the super-root. */
export const NO_NODE = 0xffffffff;

export const GROUP_NAMES: Record<number, string> = {
  [GROUP_MODULE]: 'modules',
  [GROUP_THREAD]: 'thread stacks',
  [GROUP_SYS]: 'interpreter state (sys)',
  [GROUP_HELD_FROM_C]: 'held from C',
  [GROUP_OTHER]: 'other roots',
  [GROUP_UNREACHABLE]: 'unreachable (cyclic garbage)',
};

export const GROUP_ROOT_KIND: Record<number, RootKind> = {
  [GROUP_MODULE]: 'module',
  [GROUP_THREAD]: 'thread',
  [GROUP_SYS]: 'sys',
  [GROUP_HELD_FROM_C]: 'held-from-c',
  [GROUP_OTHER]: 'other',
  [GROUP_UNREACHABLE]: 'unreachable',
};

/** ROOT section kind (1..5) → group node. The format's kinds and our groups share numbers. */
export function groupOfRootKind(kind: number): number {
  return kind >= GROUP_MODULE && kind <= GROUP_OTHER ? kind : GROUP_OTHER;
}

/** Bit of `nodeIdx2RootGroups` for group g. */
export function groupBit(g: number): number {
  return 1 << (g - 1);
}
