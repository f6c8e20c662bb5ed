// Stage "aggregates": the indexes queries page over. Dominator-tree children (CSR), objects grouped by
// type name, and per-type totals where retained size counts an object only when no dominator ancestor
// has the same type name (DevTools' rule: nested objects of one type are not counted twice).

import type { StringTable } from '../format/strings';
import type { Helper } from '../parallel/helper';
import { fillLabelRetained } from '../parallel/kernels';
import { sharedFloat64, sharedUint32 } from '../parallel/shared';
import type { StageContext } from '../progress';
import { FIRST_OBJECT, SUPER_ROOT } from './layout';
import { sortGroups } from './order';

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
  /** The least distance of an object of each name; -1 when none is reachable (DevTools' "Distance"). */
  distance: Int32Array;
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

/** The parts of the aggregates that need no dominators: started early (`startAggregates`). */
export interface EarlyAggregates {
  types: TypeIndex;
  /** Per-type counts, shallow sizes and lists in node order are filled. */
  typesIndexed: Promise<unknown>;
  labels: Promise<{ labelFirst: Uint32Array; labelNodes: Uint32Array; labelType: Uint32Array }>;
}

/**
 * Queues, on the helper thread, what the aggregates stage can do before retained sizes exist: the
 * per-type counts and lists in node order, and the label index. The pipeline calls this when the
 * helper would otherwise sit idle (while this thread computes semidominators, ~0.7 s at 10M
 * objects). One thread: the same calls, run now.
 */
export function startAggregates(
  g: {
    strings: StringTable;
    typeName: Uint32Array;
    nodeType: Uint32Array;
    size: Float64Array;
    label: Uint32Array;
    /** Complete: the BFS was awaited before (the dominator stage's `ready`). */
    distance: Int32Array;
  },
  helper: Helper,
): EarlyAggregates {
  const n = g.nodeType.length;
  const types = layoutTypes(g.strings, g.typeName, n);
  const typesIndexed = helper.run(
    'indexTypes',
    g.nodeType,
    types.typeIdx2Name,
    g.size,
    g.distance,
    FIRST_OBJECT,
    types.count,
    types.shallow,
    types.distance,
    types.nameFirst,
    types.nameNodesByIndex,
  );
  const labels = helper.run(
    'indexLabels',
    g.label,
    g.nodeType,
    types.typeIdx2Name,
    FIRST_OBJECT,
    g.strings.count,
  );
  return { types, typesIndexed, labels };
}

/**
 * The rest, once retained sizes are known: the helper sorts each per-type list by retained size,
 * while this thread walks the dominator tree (its rows built on the helper during the retained
 * stage) for per-type retained sizes, sorts each row by retained size, and then fills the label
 * index's retained sizes (the helper's sort is the longer job: at 10M objects it ended 0.2–0.37 s
 * after this thread's part, and filling took ~0.1 s more there). One thread: the same calls.
 */
export async function buildAggregates(
  g: {
    strings: StringTable;
    label: Uint32Array;
    nodeType: Uint32Array;
    retained: Float64Array;
  },
  /** From parallel/kernels.ts `dominatorRows`, each row in node order. */
  tree: DominatorTree,
  early: EarlyAggregates,
  /** The strings' common prefixes for label search (parallel/kernels.ts commonPrefixes). */
  prefixes: Promise<Uint8Array>,
  ctx: StageContext,
  helper: Helper,
): Promise<Aggregates> {
  const n = g.nodeType.length;
  ctx.begin('aggregates', n);
  const { types } = early;
  await early.typesIndexed;
  const { labelFirst, labelNodes, labelType } = await early.labels;
  const labelRetained = sharedFloat64(labelNodes.length);
  const blocks = Math.ceil(labelNodes.length / (1 << LABEL_BLOCK_BITS));
  const blockRetained = sharedFloat64(blocks);
  const blockNode = sharedUint32(blocks);
  const helped = helper.run(
    'sortGroups',
    g.retained,
    true,
    types.nameFirst,
    types.nameNodesByIndex,
    types.nameNodes,
  );
  // Walked while each row is still in node order: children then lie close together in memory, and
  // the walk took twice as long (~0.4 s at 10M objects) over rows sorted by retained size.
  retainedOncePerType(types, g.nodeType, g.retained, tree);
  sortGroups(g.retained, true, tree.domFirst, tree.domChildren, tree.domChildren);
  g.strings.prepareSearch();
  fillLabelRetained(
    g.label,
    g.retained,
    labelFirst,
    labelNodes,
    FIRST_OBJECT,
    labelRetained,
    LABEL_BLOCK_BITS,
    blockRetained,
    blockNode,
  );
  g.strings.setPrefixes(await prefixes);
  await ctx.checkpoint(n / 2, n);
  await helped;
  return {
    tree,
    types,
    labels: {
      labelFirst,
      labelNodes,
      labelType,
      labelRetained,
      blockBits: LABEL_BLOCK_BITS,
      blockRetained,
      blockNode,
    },
  };
}

/**
 * Type names (TYPE records sharing a name merge) and the per-type arrays, shared and zeroed: the
 * helper fills them (parallel/kernels.ts indexTypes, graph/order.ts sortGroups).
 */
function layoutTypes(strings: StringTable, typeName: Uint32Array, n: number): TypeIndex {
  const names: string[] = [];
  const nameIndex = new Map<string, number>();
  const typeIdx2Name = sharedUint32(typeName.length);
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
  return {
    names,
    nameIndex,
    typeIdx2Name,
    nameFirst: sharedUint32(m + 1),
    nameNodes: sharedUint32(n - FIRST_OBJECT),
    nameNodesByIndex: sharedUint32(n - FIRST_OBJECT),
    count: sharedFloat64(m),
    shallow: sharedFloat64(m),
    retained: new Float64Array(m),
    distance: new Int32Array(sharedUint32(m).buffer).fill(-1),
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
  /** The type name of labelNodes[j] at j: a search that matches types skips those objects here. */
  labelType: Uint32Array;
  /**
   * retained[labelNodes[j]] at j: a search that matches millions of labels ranks them by retained
   * size, and reads this in order where retained would be read at random (~70 ns a match when the
   * matches are sparse).
   */
  labelRetained: Float64Array;
  /**
   * The best entry (largest retained size, ties by lowest node) of each block of 2^blockBits
   * entries: a search whose matches fill its first page early skips whole blocks whose best entry
   * would not make it (all 2.7M labels match "value-" at 10M objects: ranking them took 21 ms
   * cold, 7.6 warm; skipping blocks, 9 and 1).
   */
  blockBits: number;
  blockRetained: Float64Array;
  blockNode: Uint32Array;
}

/**
 * Label index entries per block summary: 2^6 keeps blocks small enough that most of a dense
 * match's blocks hold nothing for its first page (a block of 1,024 random sizes would hold one of
 * the top 2,000 of 2.7M three times in four), at 12 bytes a block.
 */
const LABEL_BLOCK_BITS = 6;
