// Plain rows for the contract, built one node at a time for the requested window only.
import type { EdgeKind, EdgeLabel, ObjectRow } from '../../shared/contract';
import { EDGE_KIND, EDGE_KIND_NAMES, NONE32 } from '../format/spec';
import type { HeapGraph } from '../graph/heap-graph';
import {
  FIRST_OBJECT,
  GROUP_HELD_FROM_C,
  GROUP_NAMES,
  GROUP_UNREACHABLE,
  groupBit,
  SUPER_ROOT,
} from '../graph/layout';

export function hexAddress(addr: number): string {
  return `0x${addr.toString(16)}`;
}

export function typeNameOf(g: HeapGraph, v: number): string {
  if (v === SUPER_ROOT) return '(roots)';
  if (v < FIRST_OBJECT) return '(root group)';
  return g.types.names[g.types.typeIdx2Name[g.type[v]!]!]!;
}

export function labelOf(g: HeapGraph, v: number): string {
  if (v === SUPER_ROOT) return 'all roots';
  if (v < FIRST_OBJECT) return GROUP_NAMES[v]!;
  const id = g.label[v]!;
  return id === NONE32 ? '' : g.strings.get(id);
}

export function objectRow(g: HeapGraph, v: number): ObjectRow {
  const synthetic = v < FIRST_OBJECT;
  const row: ObjectRow = {
    node: v,
    kind: v === SUPER_ROOT ? 'super-root' : synthetic ? 'root-group' : 'object',
    address: synthetic ? '' : hexAddress(g.address[v]!),
    type: typeNameOf(g, v),
    label: labelOf(g, v),
    shallow: g.size[v]!,
    retained: g.retained[v]!,
    distance: g.distance[v]!,
    dominatedCount: g.tree.domFirst[v + 1]! - g.tree.domFirst[v]!,
    unreachable: v === GROUP_UNREACHABLE || (!synthetic && g.distance[v] === -1),
  };
  if (!synthetic && g.nodeIdx2RootGroups[v]! & groupBit(GROUP_HELD_FROM_C)) {
    row.heldFromC = g.refcount[v]! - strongRetainerCount(g, v);
  }
  return row;
}

/**
 * Strong references to v found in the file. Each retainer row lists strong references first, so
 * the count is where the weak ones begin: a binary search (types have millions of retainers).
 */
export function strongRetainerCount(g: HeapGraph, v: number): number {
  const first = g.firstRetainer[v]!;
  let lo = first;
  let hi = g.firstRetainer[v + 1]!;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (g.edgeKind[g.retainerEdge[mid]!] === EDGE_KIND.WEAK) hi = mid;
    else lo = mid + 1;
  }
  return lo - first;
}

/** The label of edge `e` as users read it: `.x`, `['req-5']`, `[3]`, `local request`. */
export function edgeLabel(g: HeapGraph, e: number): EdgeLabel {
  const kindValue = g.edgeKind[e]!;
  const kind: EdgeKind = EDGE_KIND_NAMES[kindValue] ?? 'other';
  const raw = g.edgeName[e]!;
  const name = kindValue === EDGE_KIND.INDEX ? String(raw) : raw === NONE32 ? '' : g.strings.get(raw);
  return { kind, name, text: renderEdge(kind, name) };
}

export function renderEdge(kind: EdgeKind, name: string): string {
  switch (kind) {
    case 'attr':
    case 'internal':
      return `.${name || '?'}`;
    case 'dict-value':
      return `[${name || '?'}]`;
    case 'dict-key':
      return `key [${name || '?'}]`;
    case 'index':
      return `[${name}]`;
    case 'set-member':
      return '{member}';
    case 'closure':
      return name ? `closure ${name}` : 'closure';
    case 'local':
      return name ? `local ${name}` : 'local';
    case 'weak':
      return name ? `weakref ${name}` : 'weakref →';
    case 'root':
      return name;
    default:
      return '→';
  }
}

/** The edge from a root group to one of its members. */
export function rootEdge(name: string): EdgeLabel {
  return { kind: 'root', name, text: name };
}
