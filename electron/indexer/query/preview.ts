// A short preview of an object from what the file already holds, so that 12,000 rows of one type can
// be told apart: `rid=227 path='/api/orders/…'` for an instance (its first named edges to labelled
// objects), `'a': 1, 'b': 'x'` for a dict, the function's qualname for a bound method. Built for one
// row at a time and bounded (a few dozen edges), so a page of rows costs a page of work.
import { EDGE_KIND, NONE32 } from '../format/spec';
import type { HeapGraph } from '../graph/heap-graph';
import { FIRST_OBJECT } from '../graph/layout';
import { labelOf, typeNameOf } from './rows';

/** Fields shown, edges looked at, characters per value and in all. */
const MAX_FIELDS = 3;
const MAX_EDGES = 48;
const MAX_VALUE = 24;
const MAX_TEXT = 72;

/** The preview of node v, '' when the file holds nothing that would tell it apart. */
export function objectPreview(g: HeapGraph, v: number): string {
  if (v < FIRST_OBJECT || v >= g.nodeCount) return '';
  const type = typeNameOf(g, v);
  // A bound method says which function it binds; its own label (if any) is the dumper's.
  if (type === 'method') return methodName(g, v);
  if (labelOf(g, v) !== '') return ''; // modules, functions, classes, strings: the label says it
  const fields = namedFields(g, v, type === 'dict' ? 'dict' : 'attrs');
  if (fields.length > 0 || type === 'dict') return clip(fields.join(type === 'dict' ? ', ' : ' '));
  // Instances before 3.11 (and those with a materialised dict) hold their attributes in __dict__.
  const dict = edgeNamed(g, v, '__dict__');
  return dict === -1 ? '' : clip(namedFields(g, dict, 'attrs').join(' '));
}

function methodName(g: HeapGraph, v: number): string {
  const fn = edgeNamed(g, v, '__func__');
  return fn === -1 ? '' : labelOf(g, fn);
}

/** The target of v's first attribute or internal edge called `name`, or -1. */
function edgeNamed(g: HeapGraph, v: number, name: string): number {
  const end = Math.min(g.firstEdge[v + 1]!, g.firstEdge[v]! + MAX_EDGES);
  for (let e = g.firstEdge[v]!; e < end; e++) {
    const kind = g.edgeKind[e]!;
    if (kind !== EDGE_KIND.ATTR && kind !== EDGE_KIND.INTERNAL) continue;
    const id = g.edgeName[e]!;
    if (id !== NONE32 && g.strings.get(id) === name) return g.edgeTarget[e]!;
  }
  return -1;
}

/**
 * `name=value` for v's first attribute edges (style 'attrs'; dict entries count as attributes of an
 * instance's __dict__), or `key: value` for a dict's entries (style 'dict'), where the target has a label.
 */
function namedFields(g: HeapGraph, v: number, style: 'attrs' | 'dict'): string[] {
  const out: string[] = [];
  const end = Math.min(g.firstEdge[v + 1]!, g.firstEdge[v]! + MAX_EDGES);
  for (let e = g.firstEdge[v]!; e < end && out.length < MAX_FIELDS; e++) {
    const kind = g.edgeKind[e]!;
    if (kind !== EDGE_KIND.ATTR && kind !== EDGE_KIND.DICT_VALUE) continue;
    const id = g.edgeName[e]!;
    if (id === NONE32) continue;
    const value = valueText(g, g.edgeTarget[e]!);
    if (value === '') continue;
    const name = g.strings.get(id);
    if (style === 'dict') out.push(`${name}: ${value}`);
    else if (kind === EDGE_KIND.ATTR) out.push(`${name}=${value}`);
    else out.push(`${unquote(name)}=${value}`);
  }
  return out;
}

/** A labelled target as a value: strings quoted, everything shortened; '' for unlabelled ones. */
function valueText(g: HeapGraph, t: number): string {
  if (t < FIRST_OBJECT) return '';
  const label = labelOf(g, t);
  if (label === '') return '';
  const type = typeNameOf(g, t);
  const short = label.length > MAX_VALUE ? `${label.slice(0, MAX_VALUE - 1)}…` : label;
  return type === 'str' ? `'${short}'` : short;
}

/** `'rid'` (a dict key as the indexer renders it) → `rid`; anything else unchanged. */
function unquote(key: string): string {
  const m = /^(['"])(.*)\1$/.exec(key);
  return m ? m[2]! : key;
}

function clip(text: string): string {
  return text.length > MAX_TEXT ? `${text.slice(0, MAX_TEXT - 1)}…` : text;
}
