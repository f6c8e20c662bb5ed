// MAT-style suspects in one snapshot: an object retaining ≥ 10% of the reachable heap, reported at
// its accumulation point — descend the dominator tree while one child holds most (≥ 80%) of its
// parent, so "module app retains 40%" becomes "the dict `_SESSION_CACHE` retains 40%, in 2,000
// Session objects". Namespaces (modules, classes, their dicts, frames) are looked through, never
// reported: a module holding many unrelated things is not an accumulation.
import type { LeakSuspect } from '@shared/contract';
import type { GraphView } from '../diff/view';
import { describeLargeHolder } from './explain';

export const LARGE_HOLDER_FRACTION = 0.1;
const SINGLE_CHILD_FRACTION = 0.8;
const CHILDREN_SCANNED = 64;
const ENTRY_CHILDREN = 500;

const NAMESPACE_TYPES = new Set([
  'module',
  'type',
  'frame',
  'ABCMeta',
  'abc.ABCMeta',
  'EnumType',
  'enum.EnumType',
]);

export function largeHolders(view: GraphView, limit = 5): LeakSuspect[] {
  const heap = view.nodeIdx2Retained[0];
  const threshold = heap * LARGE_HOLDER_FRACTION;
  if (heap <= 0) return [];
  const found: number[] = [];
  const queue = [0];
  // The walk visits namespaces only, each once, and only children above the threshold: at most 10
  // per node, so it is tiny whatever the heap size.
  const seen = new Set<number>();
  while (queue.length > 0 && found.length < limit) {
    const u = queue.shift()!;
    if (seen.has(u)) continue;
    seen.add(u);
    for (const c of view.dominatorChildren(u, CHILDREN_SCANNED)) {
      if (view.nodeIdx2Retained[c] < threshold) break;
      if (isNamespace(view, c)) queue.push(c);
      else found.push(accumulationPoint(view, c));
    }
  }
  return found.slice(0, limit).map((node) => toSuspect(view, node, heap));
}

function typeOf(view: GraphView, v: number): string {
  return view.typeNames[view.nodeIdx2Type[v]];
}

/** Modules, classes, their dicts and frames: containers of unrelated things, looked through. */
export function isNamespace(view: GraphView, v: number): boolean {
  if (v < view.firstObject) return true;
  const type = typeOf(view, v);
  if (NAMESPACE_TYPES.has(type)) return true;
  // A namespace dict (module, class or instance `__dict__`) is looked through: what it holds is named.
  return type === 'dict' && view.isAttributeDict(v);
}

function accumulationPoint(view: GraphView, v: number): number {
  let u = v;
  for (let depth = 0; depth < 10_000; depth++) {
    const [first] = view.dominatorChildren(u, 1);
    if (
      first === undefined ||
      view.nodeIdx2Retained[first] < SINGLE_CHILD_FRACTION * view.nodeIdx2Retained[u]
    )
      break;
    u = first;
  }
  return u;
}

function toSuspect(view: GraphView, node: number, heap: number): LeakSuspect {
  const byType = new Map<string, { count: number; bytes: number }>();
  for (const c of view.dominatorChildren(node, ENTRY_CHILDREN)) {
    const type = typeOf(view, c);
    const t = byType.get(type) ?? { count: 0, bytes: 0 };
    t.count += 1;
    t.bytes += view.nodeIdx2Retained[c];
    byType.set(type, t);
  }
  const types = [...byType.entries()]
    .map(([type, t]) => ({ type, ...t }))
    .sort((a, b) => b.bytes - a.bytes)
    .slice(0, 5);
  const row = view.row(node);
  const suspect: LeakSuspect = {
    path: view.pathText(node),
    signature: '',
    holder: row,
    holderSnapshot: view.info.id,
    holderCount: 1,
    retainedGrowthBytes: 0,
    countGrowth: 0,
    ownGrowthBytes: 0,
    intervals: [],
    types,
    allocationSites: [],
    explanation: '',
    kind: 'dominator',
    heapFraction: row.retained / heap,
  };
  suspect.explanation = describeLargeHolder(suspect, heap);
  return suspect;
}
