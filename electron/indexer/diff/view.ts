// What the diff and leak algorithms read from one indexed snapshot: flat per-node arrays plus a few
// accessors for the handful of nodes that end up in a report. `./snapshot-view.ts` builds it from the
// indexer's HeapSnapshot; tests may build one by hand. Everything that scales with the heap is a
// typed array indexed by node (`nodeIdx2…`); nothing here allocates per object.
import type {
  InsightReport,
  ObjectRow,
  RootKind,
  SnapshotInfo,
  TracebackFrame,
  TypeRow,
} from '@shared/contract';

export interface GraphView {
  readonly info: SnapshotInfo;
  readonly nodeCount: number;
  /** `id()` of each object as a double; 0 for synthetic nodes (super-root, root groups). */
  readonly nodeIdx2Address: Float64Array;
  /** Address → node index: the snapshot's own hash (the indexer's AddressMap), -1 when absent. */
  addressIndex(): { get(address: number): number };
  /** Index into `typeNames`. */
  readonly nodeIdx2Type: Uint32Array;
  readonly typeNames: readonly string[];
  readonly nodeIdx2Shallow: ArrayLike<number>;
  readonly nodeIdx2Retained: ArrayLike<number>;
  /** false for objects no root reaches (cyclic garbage): they are not retained, so never a leak. */
  isReachable(node: number): boolean;
  /** Immediate dominator; the super-root (0) is its own; unreachable nodes hold -1 or themselves. */
  readonly nodeIdx2Dominator: ArrayLike<number>;
  /** Nodes below this are synthetic (super-root, root groups): the same node means the same in every snapshot. */
  readonly firstObject: number;
  /** Label (str value, module name, function qualname…), '' when none. Only called for report rows. */
  label(node: number): string;
  /** Allocation traceback id of the node, or -1 (only when the snapshot carries tracebacks). */
  tracebackId(node: number): number;
  traceback(id: number): TracebackFrame[];
  row(node: number): ObjectRow;
  /** `row(node).distance` without building the row: for comparing many nodes' depths. */
  distanceOf(node: number): number;
  /** The shortest strong retainer path from a root to `node`, as text: `module app → ._CACHE`. */
  pathText(node: number): string;
  /** One step up that path: the strong retainer at distance − 1 and the edge's label text, or null at a root. */
  parentStep(node: number): { parent: number; edgeText: string; edgeKind: string } | null;
  /** Just the parent of parentStep (no label strings): for walks over many nodes. -1 at a root. */
  parentOf(node: number): number;
  /**
   * parentOf, plus the link's edge in `linkEdge` and a key in `linkKey` equal for edges that read the
   * same (kind and raw name), so callers can cache per label instead of decoding per node.
   */
  parentLink(node: number): number;
  readonly linkEdge: number;
  readonly linkKey: number;
  edgeLabelOf(edge: number): { text: string; kind: string };
  /** The edge's kind ('attr', 'dict-value', 'local', 'other'…), without decoding its name. */
  edgeKindOf(edge: number): string;
  /** A number equal for edges that read the same (kind and raw name), as `linkKey`: cache labels by it. */
  edgeKey(edge: number): number;
  /** The node an edge leads to. */
  edgeTargetOf(edge: number): number;
  /** The objects holding a strong reference to `node` (one entry per edge), written into `out`. */
  strongRetainers(node: number, out: number[]): number[];
  /** Root label when the node is a root directly under a root group ('module app', 'Thread MainThread …'). */
  rootLabel(node: number): string | null;
  /** The root groups `node` is a member of (a module, a thread's frame, held from C…); [] when it is no root. */
  rootKinds(node: number): RootKind[];
  /** The dumper's label of `node`'s root record ('Thread worker-3 (ident …) · wait at …'), or null. */
  rootRecordLabel(node: number): string | null;
  /** Every root record's label, in record order (a thread has one per frame): to list what roots exist. */
  rootRecordLabels(): string[];
  /** The target of `node`'s first strong out-edge named `name` (`__code__`, `__func__`), or -1. */
  childByName(node: number, name: string): number;
  /** The target of `node`'s first weak out-edge (a weakref's referent), or -1. */
  weakReferent(node: number): number;
  /** true for a dict that is some object's `__dict__` (a module's, a class's, an instance's namespace). */
  isAttributeDict(node: number): boolean;
  /** Dominator-tree children of `node`, largest retained first, at most `limit`. */
  dominatorChildren(node: number, limit: number): number[];
  /** Process accounting and waste analyses (insights/), where the view can compute them. */
  insights?(): InsightReport;
  /** Types merged by name (DevTools semantics: nested instances counted once in `retained`). */
  typeRows(): TypeRow[];
}
