// How a dominator-tree row is held, so it reads `dict ['CATALOGUE']`, `EventBus .bus` or "globals of
// module __main__" instead of `dict @0x7f…`: the reference from the row's dominator when the dominator
// holds it directly, else the last step of its shortest retainer path, named as the HTML report names
// its dominators (report/html.ts `dominatorName`: the path segment before the type).
import { EDGE_KIND, NONE32 } from '../format/spec';
import type { HeapGraph } from '../graph/heap-graph';
import { FIRST_OBJECT, NO_NODE } from '../graph/layout';
import type { PathFinder } from './paths';
import { edgeLabel, labelOf, typeNameOf } from './rows';

/** Retainers looked at per row: a row with more is named by its path instead. */
const MAX_RETAINERS = 4096;

/** '' for labelled objects (the label says it), synthetic nodes and objects held by no path. */
export function heldAs(g: HeapGraph, paths: PathFinder, v: number): string {
  if (v < FIRST_OBJECT || v >= g.nodeCount || labelOf(g, v) !== '') return '';
  const owner = dictOwner(g, v);
  if (owner !== -1) {
    const type = typeNameOf(g, owner);
    const label = labelOf(g, owner);
    if (type === 'module') return `globals of module ${label}`;
    return label ? `__dict__ of ${type} ${label}` : `__dict__ of ${type}`;
  }
  const dom = g.nodeIdx2Dominator[v]!;
  if (dom !== NO_NODE && dom >= FIRST_OBJECT) {
    const e = edgeFrom(g, dom, v);
    if (e !== -1) return edgeText(g, dom, e);
  }
  return lastStep(paths, v);
}

/** The object whose `__dict__` v is (a module's globals, an instance's attributes), or -1. */
function dictOwner(g: HeapGraph, v: number): number {
  if (typeNameOf(g, v) !== 'dict') return -1;
  const end = Math.min(g.firstRetainer[v + 1]!, g.firstRetainer[v]! + MAX_RETAINERS);
  for (let r = g.firstRetainer[v]!; r < end; r++) {
    const e = g.retainerEdge[r]!;
    const kind = g.edgeKind[e]!;
    if (kind !== EDGE_KIND.INTERNAL && kind !== EDGE_KIND.ATTR) continue;
    const name = g.edgeName[e]!;
    if (name !== NONE32 && g.strings.get(name) === '__dict__') return g.retainerSrc[r]!;
  }
  return -1;
}

/** The first strong edge u → v, or -1 (searched among v's retainers, usually few). */
function edgeFrom(g: HeapGraph, u: number, v: number): number {
  const end = Math.min(g.firstRetainer[v + 1]!, g.firstRetainer[v]! + MAX_RETAINERS);
  for (let r = g.firstRetainer[v]!; r < end; r++) {
    const e = g.retainerEdge[r]!;
    if (g.retainerSrc[r] === u && g.edgeKind[e] !== EDGE_KIND.WEAK) return e;
  }
  return -1;
}

/** `['KEY']`, `.attr`, `[3]`; an entry of an instance's `__dict__` reads as the attribute `.key`. */
function edgeText(g: HeapGraph, from: number, e: number): string {
  const edge = edgeLabel(g, e);
  if (edge.kind === 'dict-value') {
    const owner = dictOwner(g, from);
    const key = /^'([A-Za-z_][A-Za-z0-9_]*)'$/.exec(edge.name);
    if (owner !== -1 && typeNameOf(g, owner) !== 'module' && key) return `.${key[1]}`;
  }
  return edge.kind === 'other' ? '' : edge.text;
}

/** The segment before the type in the shortest path's text (`module app → ['X'] → dict` → `['X']`). */
function lastStep(paths: PathFinder, v: number): string {
  const [path] = paths.paths(v, 1, []);
  if (!path) return '';
  const segments = path.text.split(' → ');
  return segments.length > 2 ? segments[segments.length - 2]! : '';
}
