// The most specific name of an object that the dump can give without its values: a function by its
// qualname and where its code starts (`handle.<locals>.<lambda> (svc.py:13)`, from its `__code__`,
// whose label is `qualname file:firstline`), a bound method by its function's qualname
// (`AuditHandler.on_commit`), a class by its name; other objects by their type. Suspects name what
// accumulates this way, so "4,000 `function` entries" says which function.
import type { GraphView } from '../diff/view';

const CLASS_TYPES = new Set(['type', 'ABCMeta', 'abc.ABCMeta', 'EnumType', 'enum.EnumType', 'EnumMeta']);

/** `code_label` of the dumper: `qualname /path/file.py:firstline` → `qualname (file.py:firstline)`. */
export function codeName(label: string): string | null {
  const m = /^(\S+) (.*):(\d+)$/.exec(label);
  if (!m) return null;
  const file = m[2].split(/[\\/]/).pop();
  return `${m[1]} (${file}:${m[3]})`;
}

/**
 * A function's qualname (its own label) with its code's place. Before 3.11 code objects have no
 * qualname (their label starts with `<lambda>`), so the function's label gives the name.
 */
function functionName(view: GraphView, fn: number): string | null {
  const label = view.label(fn);
  const code = view.childByName(fn, '__code__');
  const fromCode = code >= 0 ? codeName(view.label(code)) : null;
  if (!fromCode) return label || null;
  if (!label) return fromCode;
  return `${label}${fromCode.slice(fromCode.lastIndexOf(' ('))}`;
}

/**
 * What an object is beyond its type, or null when its type says it all: `function …`, `method …`,
 * `class …`. Reads a few out-edges of this one object: call it for few objects or memoise.
 */
export function specificName(view: GraphView, node: number): string | null {
  const type = view.typeNames[view.nodeIdx2Type[node]];
  if (!hasSpecificName(type)) return null;
  if (type === 'function') return functionName(view, node);
  if (type === 'method') {
    const fn = view.childByName(node, '__func__');
    const label = fn >= 0 ? view.label(fn) : '';
    return label || null;
  }
  if (type === 'builtin_function_or_method' || type === 'code') return view.label(node) || null;
  if (CLASS_TYPES.has(type) || type.endsWith('Meta')) return foldNumbered(view.label(node)) || null;
  return null;
}

/**
 * Classes made at run time are numbered (`type(f"Order_v{n}", …)`): each is one of a kind, and
 * "300 `type` entries" named one by one read as 300 kinds of one object each, below the keys that
 * register them. A number ending the name or after `_`, `-` or `v` reads `*`: `Order_v*`, once, with
 * its count (`Base64Encoder` keeps its digits).
 */
export function foldNumbered(name: string): string {
  return name.replace(/(?<=[_\-v])\d+|\d+$/g, '*');
}

/** Whether objects of this type can have a specific name (else specificName is null for all of them). */
export function hasSpecificName(type: string): boolean {
  return (
    type === 'function' ||
    type === 'method' ||
    type === 'builtin_function_or_method' ||
    type === 'code' ||
    CLASS_TYPES.has(type) ||
    type.endsWith('Meta')
  );
}

/** Type plus specific name: `function handle.<locals>.<lambda> (svc.py:13)`, `app.Connection`. */
export function describeObject(view: GraphView, node: number): string {
  const type = view.typeNames[view.nodeIdx2Type[node]];
  const name = specificName(view, node);
  return name ? `${type} ${name}` : type;
}
