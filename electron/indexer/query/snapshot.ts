// HeapSnapshot: answers the per-snapshot half of the API contract (shared/queries.ts) from the indexed
// arrays. Every list is paged: only the requested window of rows is built.
import type {
  ApiArgs,
  DominatorTreeNode,
  EdgeRow,
  InsightFinding,
  InsightOwner,
  InsightReport,
  ObjectDetails,
  ObjectRow,
  Page,
  ProcessFacts,
  RetainerPath,
  RootKind,
  SearchTypeRow,
  SnapshotId,
  SnapshotInfo,
  TypeRow,
} from '../../shared/contract';
import { ApiError } from '../../shared/contract';
import type { SnapshotQueries } from '../../shared/queries';
import { graphView } from '../diff/snapshot-view';
import { consistencyOf } from '../format/consistency';
import { EDGE_KIND, NONE32, OBJ_FLAG } from '../format/spec';
import type { HeapGraph } from '../graph/heap-graph';
import { FIRST_OBJECT, GROUP_NAMES, GROUP_ROOT_KIND, groupBit, NO_NODE } from '../graph/layout';
import { processAccounting } from '../insights/accounting';
import { DEFAULT_LIMIT } from '../insights/index';
import { InsightPages } from '../insights/pages';
import { DistanceOrder } from './by-distance';
import { heldAs } from './held-as';
import { PathFinder } from './paths';
import { objectPreview } from './preview';
import { forgetRanks, type Key, rankOf, rankWindow } from './rank';
import { edgeLabel, objectRow, rootEdge } from './rows';
import { type Matches, searchMatches } from './search';
import { dominatorSubtree } from './subtree';

type Args<M extends keyof SnapshotQueries> = Omit<ApiArgs<M>, 'snapshot'>;

let nextInstance = 0;

export class HeapSnapshot implements SnapshotQueries {
  private readonly tag = `s${nextInstance++}:`;
  private pathFinder: PathFinder | null = null;
  /** The last query's matches, and those of the types asked for (a search's groups). */
  private lastSearch: { query: string; matches: Matches; byType: Map<number, Matches> } | null = null;
  private lastInsights: InsightPages | null = null;
  private readonly distanceOrder: DistanceOrder;

  constructor(readonly graph: HeapGraph) {
    this.distanceOrder = new DistanceOrder(graph);
  }

  info(id: SnapshotId, name: string, path: string | null): SnapshotInfo {
    const g = this.graph;
    return {
      id,
      name,
      path,
      fileBytes: g.fileBytes,
      formatVersion: g.formatVersion,
      process: processFacts(g.meta),
      totals: { ...g.totals },
      hasTracebacks: g.nodeIdx2Traceback !== null,
      indexSeconds: g.indexSeconds,
      accounting: processAccounting(g.meta, g.totals.shallow),
      consistency: consistencyOf(g.info),
    };
  }

  /** Releases cached orders; the arrays go with the object. */
  dispose(): void {
    this.clearCaches();
  }

  /** Forgets cached sort orders, the last search and path-search scratch (benchmarks time cold calls). */
  clearCaches(): void {
    forgetRanks(this.tag);
    this.pathFinder = null;
    this.lastSearch = null;
    this.lastInsights = null;
    this.distanceOrder.clear();
  }

  summary(args: Args<'summary'>): Page<TypeRow> {
    const t = this.graph.types;
    const filter = args.filter?.trim().toLowerCase() ?? '';
    let rows: TypeRow[] = [];
    for (let k = 0; k < t.names.length; k++) {
      if (t.count[k] === 0) continue;
      const type = t.names[k]!;
      if (filter && !type.toLowerCase().includes(filter)) continue;
      rows.push({
        typeKey: type,
        type,
        count: t.count[k]!,
        shallow: t.shallow[k]!,
        retained: t.retained[k]!,
        distance: t.distance[k]!,
      });
    }
    const sort = args.sort ?? { key: 'retained', dir: 'desc' };
    const sign = sort.dir === 'desc' ? -1 : 1;
    rows.sort((a, b) => {
      const d = sort.key === 'type' ? a.type.localeCompare(b.type) : a[sort.key] - b[sort.key];
      return d !== 0 ? sign * d : a.type < b.type ? -1 : a.type > b.type ? 1 : 0;
    });
    const total = rows.length;
    const { start, end } = clampRange(args.range, total);
    rows = rows.slice(start, end);
    return { start, end, total, rows };
  }

  instances(args: Args<'instances'>): Page<ObjectRow> {
    const g = this.graph;
    const k = g.types.nameIndex.get(args.typeKey);
    if (k === undefined) throw new ApiError('not-found', `no type ${args.typeKey} in this snapshot`);
    const items = g.types.nameNodes.subarray(g.types.nameFirst[k]!, g.types.nameFirst[k + 1]!);
    const sort = args.sort ?? { key: 'retained', dir: 'desc' };
    if (sort.key === 'retained' && sort.dir === 'desc') return this.slice(items, args.range); // stored so
    if (sort.key === 'distance') {
      const { start, end } = clampRange(args.range, items.length);
      const nodes = this.distanceOrder.window(k, sort.dir === 'desc', start, end);
      return { start, end, total: items.length, rows: Array.from(nodes, (v) => objectRow(g, v)) };
    }
    const key: Key = sort.key === 'retained' ? g.retained : sort.key === 'shallow' ? g.size : g.address;
    return this.page(items, key, sort.dir === 'desc', args.range, `instances:${k}:${sort.key}:${sort.dir}`);
  }

  instanceRank(args: Args<'instanceRank'>): number {
    const g = this.graph;
    const k = g.types.nameIndex.get(args.typeKey);
    if (k === undefined) throw new ApiError('not-found', `no type ${args.typeKey} in this snapshot`);
    const v = this.node(args.node);
    const items = g.types.nameNodes.subarray(g.types.nameFirst[k]!, g.types.nameFirst[k + 1]!);
    const sort = args.sort ?? { key: 'retained', dir: 'desc' };
    if (sort.key === 'retained' && sort.dir === 'desc') return items.indexOf(v); // stored so
    // By distance, `instances` windows ties in node order too: the same order as compare's.
    const key: Key =
      sort.key === 'retained'
        ? g.retained
        : sort.key === 'shallow'
          ? g.size
          : sort.key === 'distance'
            ? g.distance
            : g.address;
    return rankOf(items, key, sort.dir === 'desc', v);
  }

  dominatorChildren(args: Args<'dominatorChildren'>): Page<ObjectRow> {
    const g = this.graph;
    const v = this.node(args.node);
    const items = g.tree.domChildren.subarray(g.tree.domFirst[v]!, g.tree.domFirst[v + 1]!);
    return this.slice(items, args.range); // stored in retained order
  }

  dominatorSubtree(args: Args<'dominatorSubtree'>): DominatorTreeNode {
    const v = this.node(args.node);
    return dominatorSubtree(this.graph, v, args, (items, end) => items.subarray(0, end));
  }

  dominatorChain(args: Args<'dominatorChain'>): ObjectRow[] {
    const g = this.graph;
    const chain: ObjectRow[] = [];
    for (let v = this.node(args.node); v !== NO_NODE; v = g.nodeIdx2Dominator[v]!)
      chain.push(objectRow(g, v));
    return chain.reverse();
  }

  referents(args: Args<'referents'>): Page<EdgeRow> {
    const g = this.graph;
    const v = this.node(args.node);
    if (v < FIRST_OBJECT) {
      const first = g.synthetic.first[v]!;
      const total = g.synthetic.first[v + 1]! - first;
      const { start, end } = clampRange(args.range, total);
      const rows: EdgeRow[] = [];
      for (let i = start; i < end; i++) {
        const t = g.synthetic.target[first + i]!;
        rows.push({
          edge: rootEdge(t < FIRST_OBJECT ? GROUP_NAMES[t]! : this.rootLabel(t, v)),
          weak: false,
          node: objectRow(g, t),
        });
      }
      return { start, end, total, rows };
    }
    const first = g.firstEdge[v]!;
    const total = g.firstEdge[v + 1]! - first;
    const { start, end } = clampRange(args.range, total);
    const rows: EdgeRow[] = [];
    for (let e = first + start; e < first + end; e++) {
      rows.push({
        edge: edgeLabel(g, e),
        weak: g.edgeKind[e] === EDGE_KIND.WEAK,
        node: objectRow(g, g.edgeTarget[e]!),
      });
    }
    return { start, end, total, rows };
  }

  referrers(args: Args<'referrers'>): Page<EdgeRow> {
    const g = this.graph;
    const v = this.node(args.node);
    const groups = this.groupsOf(v);
    const first = v < FIRST_OBJECT ? 0 : g.firstRetainer[v]!;
    const own = v < FIRST_OBJECT ? 0 : g.firstRetainer[v + 1]! - first;
    const total = groups.length + own;
    const { start, end } = clampRange(args.range, total);
    const rows: EdgeRow[] = [];
    for (let i = start; i < end; i++) {
      if (i < groups.length) {
        const gr = groups[i]!;
        const name = gr === 0 ? (GROUP_NAMES[v] ?? '') : this.rootLabel(v, gr);
        rows.push({ edge: rootEdge(name), weak: false, node: objectRow(g, gr) });
        continue;
      }
      const r = first + i - groups.length;
      const e = g.retainerEdge[r]!;
      rows.push({
        edge: edgeLabel(g, e),
        weak: g.edgeKind[e] === EDGE_KIND.WEAK,
        node: objectRow(g, g.retainerSrc[r]!),
      });
    }
    return { start, end, total, rows };
  }

  retainerPaths(args: Args<'retainerPaths'>): RetainerPath[] {
    const v = this.node(args.node);
    const k = Math.max(1, Math.min(args.k ?? 5, 50));
    this.pathFinder ??= new PathFinder(this.graph);
    return this.pathFinder.paths(v, k, args.ignore ?? []);
  }

  objectDetails(args: Args<'objectDetails'>): ObjectDetails {
    const g = this.graph;
    const v = this.node(args.node);
    const object = v >= FIRST_OBJECT;
    const flags = g.flags[v]!;
    const dom = g.nodeIdx2Dominator[v]!;
    const groups = this.groupsOf(v).filter((gr) => gr !== 0);
    return {
      row: objectRow(g, v),
      refcount: g.refcount[v]!,
      length: !object || g.length[v] === NONE32 ? null : g.length[v]!,
      gcTracked: (flags & OBJ_FLAG.GC_TRACKED) !== 0,
      immortal: (flags & OBJ_FLAG.IMMORTAL) !== 0,
      redacted: (flags & OBJ_FLAG.REDACTED) !== 0,
      labelTruncated: (flags & OBJ_FLAG.LABEL_TRUNCATED) !== 0,
      roots: groups.map((gr) => ({ kind: GROUP_ROOT_KIND[gr] as RootKind, label: this.rootLabel(v, gr) })),
      dominator: dom === NO_NODE ? null : objectRow(g, dom),
      referentCount: object
        ? g.firstEdge[v + 1]! - g.firstEdge[v]!
        : g.synthetic.first[v + 1]! - g.synthetic.first[v]!,
      referrerCount: this.groupsOf(v).length + (object ? g.firstRetainer[v + 1]! - g.firstRetainer[v]! : 0),
      traceback: this.traceback(v),
    };
  }

  /** Waste analyses (insights/): computed on first request, kept (pages of findings, owners, objects). */
  insights(args: Args<'insights'>): InsightReport {
    return this.insightPages().report(args.limit ?? DEFAULT_LIMIT);
  }

  insightFindings(args: Args<'insightFindings'>): Page<InsightFinding> {
    return this.insightPages().findings(args.kind, args.range);
  }

  insightOwners(args: Args<'insightOwners'>): Page<InsightOwner> {
    return this.insightPages().owners(args.kind, args.finding, args.range);
  }

  insightObjects(args: Args<'insightObjects'>): Page<ObjectRow> {
    return this.insightPages().objects(args.kind, args.finding, args.owner, args.range);
  }

  private insightPages(): InsightPages {
    if (!this.lastInsights) {
      const view = graphView(this.graph, this.info(`${this.tag}insights`, this.graph.fileName, null));
      this.lastInsights = new InsightPages(this.graph, view);
    }
    return this.lastInsights;
  }

  search(args: Args<'search'>): Page<ObjectRow> {
    let matches = this.matchesOf(args.query);
    if (args.typeKey !== undefined) {
      const k = this.graph.types.nameIndex.get(args.typeKey);
      if (k === undefined) throw new ApiError('not-found', `no type ${args.typeKey} in this snapshot`);
      const byType = this.lastSearch!.byType;
      matches = byType.get(k) ?? matches.ofType(k);
      byType.set(k, matches);
    }
    const { start, end } = clampRange(args.range, matches.total);
    const rows = Array.from(matches.window(start, end), (v) => objectRow(this.graph, v));
    return { start, end, total: matches.total, rows };
  }

  searchTypes(args: Args<'searchTypes'>): Page<SearchTypeRow> {
    const groups = this.matchesOf(args.query).groups();
    const { start, end } = clampRange(args.range, groups.length);
    const { names } = this.graph.types;
    const rows = groups.slice(start, end).map(
      (t): SearchTypeRow => ({
        typeKey: names[t.name]!,
        type: names[t.name]!,
        count: t.count,
        retained: t.best,
      }),
    );
    return { start, end, total: groups.length, rows };
  }

  private matchesOf(query: string): Matches {
    if (this.lastSearch?.query !== query) {
      this.lastSearch = { query, matches: searchMatches(this.graph, query), byType: new Map() };
    }
    return this.lastSearch.matches;
  }

  previews(args: Args<'previews'>): string[] {
    return args.nodes.map((v) => objectPreview(this.graph, this.node(v)));
  }

  heldAs(args: Args<'heldAs'>): string[] {
    this.pathFinder ??= new PathFinder(this.graph);
    const paths = this.pathFinder;
    return args.nodes.map((v) => heldAs(this.graph, paths, this.node(v)));
  }

  /** A window of a list already in the requested order. */
  private slice(items: Uint32Array, range: { start: number; end: number }): Page<ObjectRow> {
    const { start, end } = clampRange(range, items.length);
    const rows = Array.from(items.subarray(start, end), (v) => objectRow(this.graph, v));
    return { start, end, total: items.length, rows };
  }

  private page(
    items: Uint32Array,
    key: Key,
    desc: boolean,
    range: { start: number; end: number },
    cacheKey: string,
  ): Page<ObjectRow> {
    const { start, end } = clampRange(range, items.length);
    const window = rankWindow(items, key, desc, start, end, `${this.tag}${cacheKey}`);
    const rows = Array.from(window, (v) => objectRow(this.graph, v));
    return { start, end, total: items.length, rows };
  }

  private node(v: number): number {
    if (!Number.isInteger(v) || v < 0 || v >= this.graph.nodeCount) {
      throw new ApiError('not-found', `no node ${v} in this snapshot`);
    }
    return v;
  }

  /** Synthetic retainers of v: its root groups, or the super-root for a group. */
  private groupsOf(v: number): number[] {
    if (v === 0) return [];
    if (v < FIRST_OBJECT) return [0];
    const bits = this.graph.nodeIdx2RootGroups[v]!;
    const out: number[] = [];
    for (let gr = 1; gr < FIRST_OBJECT; gr++) if (bits & groupBit(gr)) out.push(gr);
    return out;
  }

  /** The ROOT record's label for v in group gr, or the group's name for derived roots. */
  private rootLabel(v: number, gr: number): string {
    const g = this.graph;
    for (let i = 0; i < g.rootRecordNode.length; i++) {
      if (g.rootRecordNode[i] === v && g.rootRecordGroup[i] === gr) {
        const id = g.rootRecordLabel[i]!;
        return id === NONE32 ? '' : g.strings.get(id);
      }
    }
    return GROUP_NAMES[gr] ?? '';
  }

  private traceback(v: number) {
    const g = this.graph;
    const t = g.nodeIdx2Traceback?.[v] ?? NONE32;
    if (t === NONE32) return null;
    const frames = [];
    for (let f = g.tracebackFirstFrame[t]!; f < g.tracebackFirstFrame[t + 1]!; f++) {
      frames.push({ file: g.strings.get(g.frameFile[f]!), line: g.frameLine[f]! });
    }
    return frames;
  }
}

export function clampRange(
  range: { start: number; end: number },
  total: number,
): { start: number; end: number } {
  const start = Math.max(0, Math.min(Math.floor(range.start), total));
  const end = Math.max(start, Math.min(Math.floor(range.end), total));
  return { start, end };
}

function processFacts(meta: Record<string, unknown>): ProcessFacts {
  const obj = (v: unknown) =>
    typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : {};
  const str = (v: unknown) => (typeof v === 'string' ? v : null);
  const num = (v: unknown) => (typeof v === 'number' && Number.isFinite(v) ? v : null);
  const python = obj(meta.python);
  const options: Record<string, boolean> = {};
  for (const [k, v] of Object.entries(obj(meta.options))) if (typeof v === 'boolean') options[k] = v;
  const threads = Array.isArray(meta.threads) ? meta.threads.map(obj) : [];
  return {
    pythonVersion: str(python.version),
    implementation: str(python.implementation),
    platform: str(meta.platform),
    hostname: str(meta.hostname),
    pid: num(meta.pid),
    argv: Array.isArray(meta.argv) ? meta.argv.filter((a): a is string => typeof a === 'string') : [],
    dumpTime: num(meta.dumpTime),
    processStartTime: num(meta.processStartTime),
    rssBytes: num(meta.rssBytes),
    threads: threads.map((t) => ({ ident: num(t.ident) ?? 0, name: str(t.name) ?? '' })),
    dumperVersion: str(obj(meta.dumper).version),
    options,
    freeThreaded: typeof python.freeThreaded === 'boolean' ? python.freeThreaded : null,
    debugBuild: typeof python.debugBuild === 'boolean' ? python.debugBuild : null,
  };
}
