// The indexed snapshot: every array the stages produced, named for what it maps. Queries read it;
// nothing here is a per-object JS object.
import type { SnapshotTotals } from '../../shared/contract';
import type { SnapshotColumns } from '../format/reader';
import type { StringTable } from '../format/strings';
import type { AddressMap } from './address-map';
import type { DominatorTree, LabelIndex, TypeIndex } from './aggregates';
import type { SyntheticEdges } from './roots';

export interface HeapGraph extends SnapshotColumns {
  /** Nodes including the synthetic ones (super-root and groups come first). */
  nodeCount: number;
  // forward edges (CSR) and the reverse index
  firstEdge: Uint32Array;
  edgeTarget: Uint32Array;
  edgeName: Uint32Array;
  edgeKind: Uint8Array;
  firstRetainer: Uint32Array;
  retainerSrc: Uint32Array;
  retainerEdge: Uint32Array;
  addressMap: AddressMap;
  strings: StringTable;
  // roots
  nodeIdx2RootGroups: Uint8Array;
  synthetic: SyntheticEdges;
  rootRecordNode: Uint32Array;
  rootRecordLabel: Uint32Array;
  rootRecordGroup: Uint8Array;
  // derived
  distance: Int32Array;
  /** Which BFS pass reached the node: layout.ts TIER_* (last-resort roots reach only what others do not). */
  nodeIdx2RootTier: Uint8Array;
  nodeIdx2Dominator: Uint32Array;
  retained: Float64Array;
  tree: DominatorTree;
  types: TypeIndex;
  labels: LabelIndex;
  // allocation tracebacks (empty unless the dump was taken with tracemalloc)
  nodeIdx2Traceback: Uint32Array | null;
  tracebackFirstFrame: Uint32Array;
  frameFile: Uint32Array;
  frameLine: Uint32Array;
  totals: SnapshotTotals;
  indexSeconds: number;
  stageSeconds: Record<string, number>;
  stageCpuSeconds: Record<string, number>;
  /** Minor page faults per stage (first touches of new memory). */
  stagePageFaults: Record<string, number>;
}
