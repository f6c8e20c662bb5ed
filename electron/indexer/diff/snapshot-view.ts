// GraphView over the indexer's HeapGraph: the diff and leak code read the indexer's arrays directly
// (no copies) and borrow its row and path rendering, so a suspect's path reads exactly like the
// Retainers panel. Views are cached per graph: building one is O(1).
import type { InsightReport, RootKind, SnapshotInfo, TracebackFrame, TypeRow } from '@shared/contract';
import { EDGE_KIND, EDGE_KIND_NAMES, NONE32 } from '../format/spec';
import type { HeapGraph } from '../graph/heap-graph';
import { FIRST_OBJECT, GROUP_ROOT_KIND, groupBit, isPathRoot, REAL_GROUPS } from '../graph/layout';
import { findInsights } from '../insights/index';
import { PathFinder } from '../query/paths';
import { edgeLabel, labelOf, objectRow, typeNameOf } from '../query/rows';
import type { GraphView } from './view';

const PATH_SEPARATOR = ' → ';
/** Findings of each kind a report lists (it shows the top 3; the JSON keeps a few more). */
const REPORT_INSIGHTS = 5;

const views = new WeakMap<HeapGraph, Map<string, GraphView>>();

export function graphView(g: HeapGraph, info: SnapshotInfo): GraphView {
  let byId = views.get(g);
  if (!byId) {
    byId = new Map();
    views.set(g, byId);
  }
  let view = byId.get(info.id);
  if (!view) {
    view = new HeapGraphView(g, info);
    byId.set(info.id, view);
  }
  return view;
}

class HeapGraphView implements GraphView {
  readonly nodeCount: number;
  readonly firstObject = FIRST_OBJECT;
  readonly nodeIdx2Address: Float64Array;
  readonly nodeIdx2Type: Uint32Array;
  readonly typeNames: readonly string[];
  readonly nodeIdx2Shallow: Float64Array;
  readonly nodeIdx2Retained: Float64Array;
  readonly nodeIdx2Dominator: Int32Array;
  private pathFinder: PathFinder | null = null;
  private insightReport: InsightReport | null = null;
  /** Root record per node, built on first use (one entry per ROOT record: small). */
  private recordOf: Map<number, number> | null = null;

  constructor(
    private readonly g: HeapGraph,
    readonly info: SnapshotInfo,
  ) {
    this.nodeCount = g.nodeCount;
    this.nodeIdx2Address = g.address;
    // Types merged by name: a class defined twice is one row and matches across snapshots by name.
    this.nodeIdx2Type = g.type;
    this.typeNames = rawTypeNames(g);
    this.nodeIdx2Shallow = g.size;
    this.nodeIdx2Retained = g.retained;
    // NO_NODE (0xffffffff) reads as -1 through an Int32Array view of the same memory.
    const d = g.nodeIdx2Dominator;
    this.nodeIdx2Dominator = new Int32Array(d.buffer, d.byteOffset, d.length);
  }

  insights() {
    this.insightReport ??= findInsights(this.g, this, REPORT_INSIGHTS);
    return this.insightReport;
  }

  addressIndex() {
    return this.g.addressMap;
  }

  isReachable(node: number): boolean {
    return node < FIRST_OBJECT || this.g.distance[node] !== -1;
  }

  label(node: number): string {
    return labelOf(this.g, node);
  }

  tracebackId(node: number): number {
    const t = this.g.nodeIdx2Traceback;
    if (!t) return -1;
    const id = t[node];
    return id === NONE32 ? -1 : id;
  }

  traceback(id: number): TracebackFrame[] {
    const g = this.g;
    const frames: TracebackFrame[] = [];
    for (let f = g.tracebackFirstFrame[id]; f < g.tracebackFirstFrame[id + 1]; f++) {
      frames.push({ file: g.strings.get(g.frameFile[f]), line: g.frameLine[f] });
    }
    return frames;
  }

  row(node: number) {
    return objectRow(this.g, node);
  }

  distanceOf(node: number): number {
    return this.g.distance[node];
  }

  /**
   * The shortest path, named by its module when it starts at a module's globals dict: the running
   * script's globals are also "held from C" (its executing frame holds them), and
   * `module __main__ → ['_CACHE']` names the holder where `dict (held from C) → ['_CACHE']` does not.
   */
  pathText(node: number): string {
    this.pathFinder ??= new PathFinder(this.g);
    const [path] = this.pathFinder.paths(node, 1, []);
    if (!path) return `${typeNameOf(this.g, node)} (no path from a root)`;
    const module = path.steps.length > 1 ? this.moduleOwning(path.steps[0].node.node) : null;
    if (module === null) return path.text;
    const rest = path.text.split(PATH_SEPARATOR).slice(1);
    return [`module ${labelOf(this.g, module)}`, ...rest].join(PATH_SEPARATOR);
  }

  rootKinds(node: number): RootKind[] {
    if (node < FIRST_OBJECT) return [];
    const bits = this.g.nodeIdx2RootGroups[node];
    return REAL_GROUPS.filter((gr) => bits & groupBit(gr)).map((gr) => GROUP_ROOT_KIND[gr]);
  }

  rootRecordLabel(node: number): string | null {
    const g = this.g;
    if (!this.recordOf) {
      this.recordOf = new Map();
      for (let i = 0; i < g.rootRecordNode.length; i++) {
        if (!this.recordOf.has(g.rootRecordNode[i])) this.recordOf.set(g.rootRecordNode[i], i);
      }
    }
    const i = this.recordOf.get(node);
    return i === undefined || g.rootRecordLabel[i] === NONE32 ? null : g.strings.get(g.rootRecordLabel[i]);
  }

  rootRecordLabels(): string[] {
    const g = this.g;
    const labels: string[] = [];
    for (let i = 0; i < g.rootRecordLabel.length; i++) {
      if (g.rootRecordLabel[i] !== NONE32) labels.push(g.strings.get(g.rootRecordLabel[i]));
    }
    return labels;
  }

  childByName(node: number, name: string): number {
    const g = this.g;
    if (node < FIRST_OBJECT) return -1;
    for (let e = g.firstEdge[node]; e < g.firstEdge[node + 1]; e++) {
      if (g.edgeKind[e] === EDGE_KIND.WEAK || g.edgeName[e] === NONE32 || g.edgeKind[e] === EDGE_KIND.INDEX)
        continue;
      if (g.strings.get(g.edgeName[e]) === name) return g.edgeTarget[e];
    }
    return -1;
  }

  weakReferent(node: number): number {
    const g = this.g;
    if (node < FIRST_OBJECT) return -1;
    for (let e = g.firstEdge[node]; e < g.firstEdge[node + 1]; e++)
      if (g.edgeKind[e] === EDGE_KIND.WEAK) return g.edgeTarget[e];
    return -1;
  }

  isAttributeDict(node: number): boolean {
    const g = this.g;
    if (node < FIRST_OBJECT || typeNameOf(g, node) !== 'dict') return false;
    for (let r = g.firstRetainer[node]; r < g.firstRetainer[node + 1]; r++) {
      const e = g.retainerEdge[r];
      if (g.edgeKind[e] === EDGE_KIND.INTERNAL && edgeLabel(g, e).name === '__dict__') return true;
    }
    return false;
  }

  /** The module whose `__dict__` the dict `v` is, or null. */
  private moduleOwning(v: number): number | null {
    const g = this.g;
    if (v < FIRST_OBJECT || typeNameOf(g, v) !== 'dict') return null;
    for (let r = g.firstRetainer[v]; r < g.firstRetainer[v + 1]; r++) {
      const src = g.retainerSrc[r];
      const e = g.retainerEdge[r];
      if (
        g.edgeKind[e] === EDGE_KIND.INTERNAL &&
        typeNameOf(g, src) === 'module' &&
        edgeLabel(g, e).name === '__dict__'
      ) {
        return src;
      }
    }
    return null;
  }

  parentStep(node: number) {
    const g = this.g;
    if (node < FIRST_OBJECT || isPathRoot(g.distance, node)) return null;
    const want = g.distance[node] - 1;
    if (want < 0) return null;
    for (let r = g.firstRetainer[node]; r < g.firstRetainer[node + 1]; r++) {
      const e = g.retainerEdge[r];
      if (g.edgeKind[e] === EDGE_KIND.WEAK || !this.isParent(g.retainerSrc[r], node, want)) continue;
      const label = edgeLabel(g, e);
      return { parent: g.retainerSrc[r], edgeText: label.text, edgeKind: label.kind };
    }
    return null;
  }

  /**
   * A BFS parent: one step nearer, reached by the same pass of the BFS (a retainer reached only
   * from held-from-C roots is not on the way to a module-held object, whatever its distance).
   */
  private isParent(src: number, node: number, want: number): boolean {
    const g = this.g;
    return g.distance[src] === want && g.nodeIdx2RootTier[src] === g.nodeIdx2RootTier[node];
  }

  linkEdge = -1;

  /** Computed when read: most walks need only the edge, and this is a double (no store per step). */
  get linkKey(): number {
    return this.linkEdge < 0 ? -1 : this.edgeKey(this.linkEdge);
  }

  parentLink(node: number): number {
    const g = this.g;
    this.linkEdge = -1;
    if (node < FIRST_OBJECT || isPathRoot(g.distance, node)) return -1;
    const want = g.distance[node] - 1;
    if (want < 0) return -1;
    for (let r = g.firstRetainer[node]; r < g.firstRetainer[node + 1]; r++) {
      const e = g.retainerEdge[r];
      if (g.edgeKind[e] !== EDGE_KIND.WEAK && this.isParent(g.retainerSrc[r], node, want)) {
        this.linkEdge = e;
        return g.retainerSrc[r];
      }
    }
    return -1;
  }

  edgeLabelOf(edge: number): { text: string; kind: string } {
    const label = edgeLabel(this.g, edge);
    return { text: label.text, kind: label.kind };
  }

  edgeKindOf(edge: number): string {
    return EDGE_KIND_NAMES[this.g.edgeKind[edge]] ?? 'other';
  }

  edgeKey(edge: number): number {
    return this.g.edgeKind[edge] * 0x100000000 + this.g.edgeName[edge];
  }

  edgeTargetOf(edge: number): number {
    return this.g.edgeTarget[edge];
  }

  strongRetainers(node: number, out: number[]): number[] {
    const g = this.g;
    out.length = 0;
    if (node < FIRST_OBJECT) return out;
    for (let r = g.firstRetainer[node]; r < g.firstRetainer[node + 1]; r++) {
      if (g.edgeKind[g.retainerEdge[r]] !== EDGE_KIND.WEAK) out.push(g.retainerSrc[r]);
    }
    return out;
  }

  parentOf(node: number): number {
    const g = this.g;
    if (node < FIRST_OBJECT || isPathRoot(g.distance, node)) return -1;
    const want = g.distance[node] - 1;
    if (want < 0) return -1;
    for (let r = g.firstRetainer[node]; r < g.firstRetainer[node + 1]; r++) {
      if (g.edgeKind[g.retainerEdge[r]] !== EDGE_KIND.WEAK && this.isParent(g.retainerSrc[r], node, want)) {
        return g.retainerSrc[r];
      }
    }
    return -1;
  }

  rootLabel(node: number): string | null {
    if (node < FIRST_OBJECT) return null;
    const label = labelOf(this.g, node);
    const type = typeNameOf(this.g, node);
    return label ? `${type} ${label}` : type;
  }

  dominatorChildren(node: number, limit: number): number[] {
    const { domFirst, domChildren } = this.g.tree;
    const retained = this.g.retained;
    // Top-k by a small insertion-sorted buffer: a dict with a million children costs one scan.
    const top: number[] = [];
    for (let i = domFirst[node]; i < domFirst[node + 1]; i++) {
      const c = domChildren[i];
      if (top.length === limit && retained[c] <= retained[top[limit - 1]]) continue;
      let at = Math.min(top.length, limit - 1);
      if (top.length < limit) top.push(c);
      while (at > 0 && retained[top[at - 1]] < retained[c]) {
        top[at] = top[at - 1];
        at--;
      }
      top[at] = c;
    }
    return top;
  }

  typeRows(): TypeRow[] {
    const t = this.g.types;
    return t.names.map((type, k) => ({
      typeKey: String(k),
      type,
      count: t.count[k],
      shallow: t.shallow[k],
      retained: t.retained[k],
      distance: t.distance[k],
    }));
  }
}

/** TYPE-record index → name, so `nodeIdx2Type` can stay the indexer's own column. */
function rawTypeNames(g: HeapGraph): string[] {
  const names: string[] = [];
  for (let t = 0; t < g.types.typeIdx2Name.length; t++) names.push(g.types.names[g.types.typeIdx2Name[t]]);
  return names;
}
