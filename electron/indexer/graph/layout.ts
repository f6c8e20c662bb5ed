// Node numbering shared by every stage and query. Node 0 is the synthetic super-root; nodes 1..7 are
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
/** Immortal objects (static builtin types, their descriptors, ...): the interpreter itself keeps them. */
export const GROUP_INTERPRETER = 7;
export const FIRST_OBJECT = 8;
/** Groups the super-root points to; the unreachable group is not among them. */
export const REAL_GROUPS = [
  GROUP_MODULE,
  GROUP_THREAD,
  GROUP_SYS,
  GROUP_HELD_FROM_C,
  GROUP_OTHER,
  GROUP_INTERPRETER,
] as const;

/**
 * Roots of last resort, in the order they are tried: membership is a fact about an object (C code or
 * the interpreter keeps it alive, so these stay roots for dominators), but "who holds this" is
 * answered through them only for objects no other root reaches. Distances (graph/distances.ts) reach
 * from these groups only after the BFS from the other roots is over, so a member reached through
 * Python references gets its distance, its parent and its paths through its Python owners.
 */
export const LAST_RESORT_GROUPS = [GROUP_HELD_FROM_C, GROUP_INTERPRETER] as const;

/** "no node": parent of the roots, dominator of the super-root. */
export const NO_NODE = 0xffffffff;

/** The groups that are roots of first resort: modules, thread stacks, sys, other. */
export const FIRST_RESORT_MASK =
  groupBit(GROUP_MODULE) | groupBit(GROUP_THREAD) | groupBit(GROUP_SYS) | groupBit(GROUP_OTHER);

/** Distance of every path root: super-root → group → root. */
export const ROOT_DISTANCE = 2;

/**
 * `nodeIdx2RootTier`: which pass of the distances BFS reached a node. 0: the roots proper (modules,
 * thread stacks, sys, other); 1 + i: LAST_RESORT_GROUPS[i], for nodes the earlier passes did not
 * reach. A node's retainers of another tier are never on a path to it from the roots of its tier.
 */
export const TIER_ROOTS = 0;
export const TIER_HELD_FROM_C = 1;
export const TIER_INTERPRETER = 2;

/**
 * Whether v starts retainer paths: a root reached first as a root, at ROOT_DISTANCE (a held-from-C
 * or immortal object that Python references reach is further away, and its paths go through them).
 */
export function isPathRoot(distance: Int32Array, v: number): boolean {
  return v >= FIRST_OBJECT && distance[v] === ROOT_DISTANCE;
}

export const GROUP_NAMES: Record<number, string> = {
  [GROUP_MODULE]: 'modules',
  [GROUP_THREAD]: 'thread stacks',
  [GROUP_SYS]: 'interpreter state (sys)',
  [GROUP_HELD_FROM_C]: 'held from C',
  [GROUP_OTHER]: 'other roots',
  [GROUP_UNREACHABLE]: 'unreachable (cyclic garbage)',
  [GROUP_INTERPRETER]: 'interpreter (static and immortal objects)',
};

export const GROUP_ROOT_KIND: Record<number, RootKind> = {
  [GROUP_MODULE]: 'module',
  [GROUP_THREAD]: 'thread',
  [GROUP_SYS]: 'sys',
  [GROUP_HELD_FROM_C]: 'held-from-c',
  [GROUP_OTHER]: 'other',
  [GROUP_UNREACHABLE]: 'unreachable',
  [GROUP_INTERPRETER]: 'interpreter',
};

/** ROOT section kind (1..5) → group node. The format's kinds and our groups share numbers. */
export function groupOfRootKind(kind: number): number {
  return kind >= GROUP_MODULE && kind <= GROUP_OTHER ? kind : GROUP_OTHER;
}

/** Bit of `nodeIdx2RootGroups` for group g. */
export function groupBit(g: number): number {
  return 1 << (g - 1);
}
