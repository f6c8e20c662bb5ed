// Stage "aggregates": the indexes queries page over. Dominator-tree children (CSR), objects grouped by
// type name, and per-type totals where retained size counts an object only when no dominator ancestor
// has the same type name (DevTools' rule: nested objects of one type are not counted twice).

import type { StringTable } from '../format/strings';
import type { Helper } from '../parallel/helper';
import { countDominatorChildren, fillDominatorChildren, fillNameNodes } from '../parallel/kernels';
import { prefaulted, sharedUint32 } from '../parallel/shared';
import type { StageContext } from '../progress';
import { FIRST_OBJECT, NO_NODE, SUPER_ROOT } from './layout';

export interface TypeIndex {
  /** Distinct type names; a name's position is its "name index". */
  names: string[];
  nameIndex: Map<string, number>;
  /** typeIdx2NameIdx: TYPE records that share a name merge. */
  typeIdx2Name: Uint32Array;
  /** Objects of name k are nameNodes[nameFirst[k]..nameFirst[k+1]), by retained size descending. */
  nameFirst: Uint32Array;
  nameNodes: Uint32Array;
  /** The same lists in node order (the base of orders by other keys, e.g. instances by distance). */
  nameNodesByIndex: Uint32Array;
  count: Float64Array;
  shallow: Float64Array;
  retained: Float64Array;
}

export interface DominatorTree {
  /** Children of v are domChildren[domFirst[v]..domFirst[v+1]), by retained size descending. */
  domFirst: Uint32Array;
  domChildren: Uint32Array;
}

export interface Aggregates {
  tree: DominatorTree;
  types: TypeIndex;
  labels: LabelIndex;
}

/**
 * Sorting every node by retained size (parallel with the rest) and the dominator tree in that order
 * run on the helper thread; this thread meanwhile builds a second, unsorted copy of the tree for
 * the per-type walk (which does not care about child order), the per-type counts and the label
 * index, then fills the per-type lists once the sort is done. One thread: one tree, in order.
 */
export async function buildAggregates(
  g: {
    strings: StringTable;
    typeName: Uint32Array;
    nodeType: Uint32Array;
    size: Float64Array;
    label: Uint32Array;
    retained: Float64Array;
    nodeIdx2Dominator: Uint32Array;
  },
  ctx: StageContext,
  helper: Helper,
): Promise<Aggregates> {
  const n = g.nodeType.length;
  ctx.begin('aggregates', n);
  const byRetained = sharedUint32(n);
  const sorted = helper.run('sortNodesByRetained', g.retained, FIRST_OBJECT, byRetained);
  // Both copies of the tree have the same row starts; only the order within rows differs.
  const domFirst = prefaulted(sharedUint32(n + 1)); // counted at random
  const children = countDominatorChildren(g.nodeIdx2Dominator, NO_NODE, domFirst);
  const tree = { domFirst, domChildren: prefaulted(sharedUint32(children)) }; // filled at random
  const built = helper.run(
    'fillDominatorChildren',
    g.nodeIdx2Dominator,
    byRetained,
    NO_NODE,
    domFirst,
    tree.domChildren,
  );
  let walkTree = tree;
  if (helper.threads > 1) {
    walkTree = { domFirst, domChildren: prefaulted(sharedUint32(children)) };
    fillDominatorChildren(g.nodeIdx2Dominator, null, NO_NODE, domFirst, walkTree.domChildren);
  }
  const types = typeIndex(g.strings, g.typeName, g.nodeType, g.size);
  retainedOncePerType(types, g.nodeType, g.retained, walkTree);
  walkTree = tree; // the unsorted copy's 4 bytes an object can go: memory peaks in this stage
  const labels = buildLabelIndex(g.label, g.strings.count);
  // Done while the helper is still sorting, so free in wall time.
  fillNameNodes(null, g.nodeType, types.typeIdx2Name, types.nameFirst, FIRST_OBJECT, types.nameNodesByIndex);
  g.strings.prepareSearch();
  await ctx.checkpoint(n / 2, n);
  await sorted;
  fillNameNodes(byRetained, g.nodeType, types.typeIdx2Name, types.nameFirst, FIRST_OBJECT, types.nameNodes);
  await built;
  return { tree, types, labels };
}

/** Type names (TYPE records sharing a name merge), counts and shallow sizes; lists laid out, not filled. */
function typeIndex(
  strings: StringTable,
  typeName: Uint32Array,
  nodeType: Uint32Array,
  size: Float64Array,
): TypeIndex {
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
  return {
    names,
    nameIndex,
    typeIdx2Name,
    nameFirst,
    nameNodes: prefaulted(new Uint32Array(n - FIRST_OBJECT)), // filled at random
    nameNodesByIndex: prefaulted(new Uint32Array(n - FIRST_OBJECT)),
    count,
    shallow,
    retained: new Float64Array(m),
  };
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
  const active = new Uint32Array(index.names.length);
  // Frames of (node, next child position), grown on demand: the tree is rarely deep, but can be.
  let stack = new Uint32Array(1 << 16);
  let sp = 0;
  stack[0] = SUPER_ROOT;
  stack[1] = domFirst[SUPER_ROOT]!;
  sp = 1;
  while (sp > 0) {
    const v = stack[2 * sp - 2]!;
    const pos = stack[2 * sp - 1]!;
    if (pos < domFirst[v + 1]!) {
      stack[2 * sp - 1] = pos + 1;
      const c = domChildren[pos]!;
      if (c >= FIRST_OBJECT) {
        const k = index.typeIdx2Name[nodeType[c]!]!;
        if (active[k] === 0) index.retained[k] += retained[c]!;
        active[k]++;
      }
      if (2 * sp + 2 > stack.length) {
        const grown = new Uint32Array(stack.length * 2);
        grown.set(stack);
        stack = grown;
      }
      stack[2 * sp] = c;
      stack[2 * sp + 1] = domFirst[c]!;
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
