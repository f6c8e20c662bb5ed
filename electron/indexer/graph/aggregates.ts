// Stage "aggregates": the indexes queries page over. Dominator-tree children (CSR), objects grouped by
// type name, and per-type totals where retained size counts an object only when no dominator ancestor
// has the same type name (DevTools' rule: nested objects of one type are not counted twice).

import type { StringTable } from '../format/strings';
import { prefaulted } from '../parallel/shared';
import type { StageContext } from '../progress';
import { FIRST_OBJECT, NO_NODE, SUPER_ROOT } from './layout';
import { sortAll } from './order';

export interface TypeIndex {
  /** Distinct type names; a name's position is its "name index". */
  names: string[];
  nameIndex: Map<string, number>;
  /** typeIdx2NameIdx: TYPE records that share a name merge. */
  typeIdx2Name: Uint32Array;
  /** Objects of name k are nameNodes[nameFirst[k]..nameFirst[k+1]), by retained size descending. */
  nameFirst: Uint32Array;
  nameNodes: Uint32Array;
  count: Float64Array;
  shallow: Float64Array;
  retained: Float64Array;
}

export interface DominatorTree {
  /** Children of v are domChildren[domFirst[v]..domFirst[v+1]), by retained size descending. */
  domFirst: Uint32Array;
  domChildren: Uint32Array;
}

/**
 * Every node by retained size, descending (ties by node index): one radix sort of the whole heap.
 * Filling the dominator children and the per-type lists in this order leaves every one of them
 * sorted, so the default order of every list is a slice at query time, however long the list.
 */
export function nodesByRetained(retained: Float64Array): Uint32Array {
  const n = retained.length;
  const objects = new Uint32Array(n - FIRST_OBJECT);
  for (let i = 0; i < objects.length; i++) objects[i] = FIRST_OBJECT + i;
  const sorted = sortAll(objects, retained, true, true);
  // Merge in the synthetic nodes (few) at their places.
  const synthetic = Array.from({ length: FIRST_OBJECT }, (_, v) => v).sort(
    (a, b) => retained[b]! - retained[a]! || a - b,
  );
  const out = new Uint32Array(n);
  let s = 0;
  let o = 0;
  for (let i = 0; i < n; i++) {
    const takeSynthetic =
      s < synthetic.length && (o >= sorted.length || retained[synthetic[s]!]! >= retained[sorted[o]!]!);
    out[i] = takeSynthetic ? synthetic[s++]! : sorted[o++]!;
  }
  return out;
}

export async function buildDominatorTree(
  nodeIdx2Dominator: Uint32Array,
  byRetained: Uint32Array,
  ctx: StageContext,
): Promise<DominatorTree> {
  const n = nodeIdx2Dominator.length;
  const domFirst = prefaulted(new Uint32Array(n + 1)); // counted and filled at random
  for (let v = 0; v < n; v++) {
    const d = nodeIdx2Dominator[v]!;
    if (d !== NO_NODE) domFirst[d + 1]++;
  }
  for (let v = 0; v < n; v++) domFirst[v + 1] += domFirst[v]!;
  const cursor = domFirst.slice(0, n);
  const domChildren = prefaulted(new Uint32Array(domFirst[n]!));
  for (let i = 0; i < n; i++) {
    const v = byRetained[i]!;
    const d = nodeIdx2Dominator[v]!;
    if (d !== NO_NODE) domChildren[cursor[d]!++] = v;
  }
  await ctx.checkpoint(n / 2, n);
  return { domFirst, domChildren };
}

export async function buildTypeIndex(
  strings: StringTable,
  typeName: Uint32Array,
  nodeType: Uint32Array,
  size: Float64Array,
  retained: Float64Array,
  tree: DominatorTree,
  byRetained: Uint32Array,
  ctx: StageContext,
): Promise<TypeIndex> {
  const n = nodeType.length;
  const names: string[] = [];
  const nameIndex = new Map<string, number>();
  const typeIdx2Name = new Uint32Array(typeName.length);
  for (let t = 0; t < typeName.length; t++) {
    const name = strings.get(typeName[t]!);
    let k = nameIndex.get(name);
    if (k === undefined) {
      k = names.length;
      names.push(name);
      nameIndex.set(name, k);
    }
    typeIdx2Name[t] = k;
  }
  const m = names.length;
  const count = new Float64Array(m);
  const shallow = new Float64Array(m);
  for (let v = FIRST_OBJECT; v < n; v++) {
    const k = typeIdx2Name[nodeType[v]!]!;
    count[k]++;
    shallow[k] += size[v]!;
  }
  const nameFirst = new Uint32Array(m + 1);
  for (let k = 0; k < m; k++) nameFirst[k + 1] = nameFirst[k]! + count[k]!;
  const cursor = nameFirst.slice(0, m);
  // Filled in retained order, so each type's list is sorted by retained size, descending.
  const nameNodes = prefaulted(new Uint32Array(n - FIRST_OBJECT));
  for (let i = 0; i < n; i++) {
    const v = byRetained[i]!;
    if (v >= FIRST_OBJECT) nameNodes[cursor[typeIdx2Name[nodeType[v]!]!]!++] = v;
  }
  await ctx.checkpoint((2 * n) / 3, n);
  const index = {
    names,
    nameIndex,
    typeIdx2Name,
    nameFirst,
    nameNodes,
    count,
    shallow,
    retained: new Float64Array(m),
  };
  retainedOncePerType(index, nodeType, retained, tree);
  return index;
}

/**
 * Adds each object's retained size to its type unless a dominator ancestor has the same type name.
 * Walks the dominator tree depth-first with an explicit stack, keeping per type the number of
 * ancestors of that type on the current path.
 */
function retainedOncePerType(
  index: TypeIndex,
  nodeType: Uint32Array,
  retained: Float64Array,
  tree: DominatorTree,
): void {
  const { domFirst, domChildren } = tree;
  const n = nodeType.length;
  const active = new Uint32Array(index.names.length);
  const stackNode = new Uint32Array(n);
  const stackPos = new Uint32Array(n);
  let sp = 0;
  stackNode[0] = SUPER_ROOT;
  stackPos[0] = domFirst[SUPER_ROOT]!;
  sp = 1;
  while (sp > 0) {
    const v = stackNode[sp - 1]!;
    const pos = stackPos[sp - 1]!;
    if (pos < domFirst[v + 1]!) {
      stackPos[sp - 1] = pos + 1;
      const c = domChildren[pos]!;
      if (c >= FIRST_OBJECT) {
        const k = index.typeIdx2Name[nodeType[c]!]!;
        if (active[k] === 0) index.retained[k] += retained[c]!;
        active[k]++;
      }
      stackNode[sp] = c;
      stackPos[sp] = domFirst[c]!;
      sp++;
    } else {
      sp--;
      if (v >= FIRST_OBJECT) active[index.typeIdx2Name[nodeType[v]!]!]--;
    }
  }
}

/** Objects labelled with string s are labelNodes[labelFirst[s]..labelFirst[s+1]) (label search). */
export interface LabelIndex {
  labelFirst: Uint32Array;
  labelNodes: Uint32Array;
}

export function buildLabelIndex(label: Uint32Array, stringCount: number): LabelIndex {
  const labelFirst = new Uint32Array(stringCount + 1);
  const n = label.length;
  for (let v = FIRST_OBJECT; v < n; v++) {
    const l = label[v]!;
    if (l < stringCount) labelFirst[l + 1]++;
  }
  for (let s = 0; s < stringCount; s++) labelFirst[s + 1] += labelFirst[s]!;
  const cursor = labelFirst.slice(0, stringCount);
  const labelNodes = new Uint32Array(labelFirst[stringCount]!);
  for (let v = FIRST_OBJECT; v < n; v++) {
    const l = label[v]!;
    if (l < stringCount) labelNodes[cursor[l]!++] = v;
  }
  return { labelFirst, labelNodes };
}
