// loadSnapshot: runs the indexing stages in order (read → edges → retainers → distances → dominators →
// retained → aggregates → insights), each a function of the previous stages' arrays, each reporting
// progress.
import { basename } from 'node:path';
import type { SnapshotTotals } from '../shared/contract';
import { type RawSnapshot, readSnapshot } from './format/reader';
import { bufferSource, fileSource } from './format/source';
import { buildAggregates, type EarlyAggregates, startAggregates } from './graph/aggregates';
import { startDistances } from './graph/distances';
import { computeDominators, type Dominators, startLeaves } from './graph/dominators';
import { resolveEdges } from './graph/edges';
import type { HeapGraph } from './graph/heap-graph';
import { FIRST_OBJECT, NO_NODE } from './graph/layout';
import { computeRetained, startRetained } from './graph/retained';
import { layoutRetainers, rowsHolding } from './graph/retainers';
import { buildRoots } from './graph/roots';
import { prepareInsights } from './insights/prepare';
import { Helper } from './parallel/helper';
import { collectGarbage } from './parallel/shared';
import { StageContext, type StageProgress } from './progress';

export type LoadSource = { path: string } | { bytes: Uint8Array; name: string };

export interface LoadOptions {
  onProgress?: (p: StageProgress) => void;
  signal?: AbortSignal;
  /**
   * Heaps with fewer objects are indexed on one thread (default PARALLEL_MIN_OBJECTS). Tests set
   * 0 to run the two-thread path on small graphs.
   */
  parallelMinObjects?: number;
  /**
   * Run the `insights` stage (default true): what every insights call reads, made during the load
   * so that the app's first Insights view costs what later ones do. The CLI passes false: a
   * command asks at most once, and `leaks`/`diff` never, so the stage would only add its ~0.25 s
   * and ~35 MB at 10M objects to every snapshot they load (the inputs are made on first use).
   */
  prepareInsights?: boolean;
}

export async function indexSnapshot(source: LoadSource, options: LoadOptions = {}): Promise<HeapGraph> {
  const started = performance.now();
  const ctx = new StageContext(options.onProgress, options.signal);
  ctx.throwIfAborted();
  const bytes = 'path' in source ? fileSource(source.path) : bufferSource(source.bytes);
  const fileName = 'path' in source ? basename(source.path) : source.name;
  // The helper thread starts as soon as the object count is known, and maps the columns' pages in
  // while this thread reads: the first touch of a page is most of what reading costs on some VMs
  // (see parallel/README.md), and the helper is otherwise idle until the edges stage.
  let helper: Helper | null = null;
  try {
    let raw: RawSnapshot;
    try {
      raw = await readSnapshot(bytes, fileName, FIRST_OBJECT, ctx, (objects, columns) => {
        helper = Helper.create(objects, options.parallelMinObjects);
        return helper.mapAhead(columns);
      });
    } finally {
      bytes.close();
    }
    helper ??= Helper.create(raw.objectCount, options.parallelMinObjects);
    return await indexStages(raw, fileName, started, ctx, helper, options.prepareInsights !== false);
  } finally {
    (helper as Helper | null)?.close();
  }
}

async function indexStages(
  raw: RawSnapshot,
  fileName: string,
  started: number,
  ctx: StageContext,
  helper: Helper,
  withInsights: boolean,
): Promise<HeapGraph> {
  const edges = await resolveEdges(raw, ctx, helper);
  // The numbers the header will show (computeTotals): edges kept, not the file's edge records.
  ctx.setCounts({ objects: raw.objectCount, edges: edges.edgeCount });
  const roots = buildRoots(raw, edges);
  const nodeIdx2Traceback = resolveAllocations(raw, edges.allocNodes);
  const leaves = startLeaves(
    raw.firstEdge,
    edges.edgeKind,
    edges.nodeIdx2StrongIn,
    roots.nodeIdx2RootGroups,
    helper,
  );
  // The helper finds the leaves the DFS skips while this thread lays out the retainer index, then
  // computes distances, then fills the retainer rows with the references of the upper sources,
  // while the dominator stage's DFS runs here; this thread then fills in those of the lower
  // sources (`afterDfs`) and waits for the helper (`ready`) before it reads either. The split is by
  // references: filling is paid per reference. 70 % here, between the splits measured at 10M
  // objects (the helper's BFS ~0.58 s, this thread's DFS ~0.44 s, filling them all ~0.45 s): at 80 %
  // this thread ended ~0.1 s after the helper, at 50 % the helper 0.14-0.25 s after this thread.
  collectGarbage(raw.objectCount); // the join's partitions and the edge addresses (~20 bytes an edge)
  const { retainers, fill } = layoutRetainers(raw.firstEdge, edges, FIRST_OBJECT, ctx);
  const split = helper.threads > 1 ? rowsHolding(raw.firstEdge, 0.7) : FIRST_OBJECT;
  const { distance, tier, done } = startDistances(
    raw.firstEdge,
    edges.edgeTarget,
    edges.edgeKind,
    roots.synthetic,
    ctx,
    helper,
    leaves.noOut,
  );
  const typeColumns = {
    strings: raw.strings,
    typeName: raw.typeName,
    nodeType: raw.type,
    size: raw.size,
    label: raw.label,
    distance,
  };
  let early: EarlyAggregates | null = null;
  let retainedStart: Promise<Float64Array> | null = null;
  let dom: Dominators | null = await computeDominators(
    {
      leaves,
      firstEdge: raw.firstEdge,
      edgeTarget: edges.edgeTarget,
      edgeKind: edges.edgeKind,
      retainers,
      nodeIdx2RootGroups: roots.nodeIdx2RootGroups,
      nodeIdx2StrongIn: edges.nodeIdx2StrongIn,
      distance,
      synthetic: roots.synthetic,
    },
    ctx,
    {
      helper,
      afterDfs: () => fill.below(split),
      ready: Promise.all([done, fill.above(split, helper)]),
      helperIdle: () => {
        retainedStart = startRetained(raw.size, helper);
        early = startAggregates(typeColumns, helper);
      },
    },
  );
  // In-degrees were for the retainer rows and the dominator stage: 4 bytes an object, freed before
  // the aggregates stage, where memory peaks.
  edges.nodeIdx2StrongIn = new Uint32Array(0);
  // The dominator tree's rows are built on the helper while this thread sums retained sizes.
  const treeRows = helper.run('dominatorRows', dom.nodeIdx2Dominator, NO_NODE);
  // Then the strings' common prefixes for label search (queued last: nothing waits for them before
  // the end of the aggregates stage).
  const prefixes = helper.run('commonPrefixes', ...raw.strings.prefixInput());
  const retained = await computeRetained(
    raw.size,
    dom,
    ctx,
    (retainedStart as Promise<Float64Array> | null) ?? startRetained(raw.size, helper),
  );
  // Keep only what queries need; the preorder work arrays (16 bytes an object) can go now.
  const { nodeIdx2Dominator, synthetic } = dom;
  dom = null;
  collectGarbage(raw.objectCount); // the dominator stage's work arrays, before the aggregates stage allocates
  // Started by the dominator stage (`helperIdle`, always called); the fallback keeps this right if
  // that ever changes.
  early ??= startAggregates(typeColumns, helper);
  const { tree, types, labels } = await buildAggregates(
    { strings: raw.strings, label: raw.label, nodeType: raw.type, retained },
    await treeRows,
    early,
    prefixes,
    ctx,
    helper,
  );
  const totals = computeTotals(
    raw,
    distance,
    retained,
    edges.edgeCount,
    roots.heldFromC,
    edges.danglingEdges,
  );
  const graph: HeapGraph = {
    fileName,
    fileBytes: raw.fileBytes,
    formatVersion: raw.formatVersion,
    meta: raw.meta,
    info: raw.info,
    nodeCount: raw.size.length,
    address: raw.address,
    size: raw.size,
    type: raw.type,
    label: raw.label,
    refcount: raw.refcount,
    length: raw.length,
    flags: raw.flags,
    firstEdge: raw.firstEdge,
    edgeTarget: edges.edgeTarget,
    edgeName: edges.edgeName,
    edgeKind: edges.edgeKind,
    ...retainers,
    addressMap: edges.addressMap,
    strings: raw.strings,
    nodeIdx2RootGroups: roots.nodeIdx2RootGroups,
    synthetic,
    rootRecordNode: roots.recordNode,
    rootRecordLabel: roots.recordLabel,
    rootRecordGroup: roots.recordGroup,
    distance,
    nodeIdx2RootTier: tier,
    nodeIdx2Dominator,
    retained,
    tree,
    types,
    labels,
    nodeIdx2Traceback,
    tracebackFirstFrame: raw.tracebackFirstFrame,
    frameFile: raw.frameFile,
    frameLine: raw.frameLine,
    totals,
    indexSeconds: 0,
    stageSeconds: {},
    stageCpuSeconds: {},
    stagePageFaults: {},
  };
  // What every insights call reads (value hashes, the namespace bitset, scratch pages): made here,
  // ~0.25 s CPU at 10M objects, so that the first call of a process costs what later calls do.
  if (withInsights) {
    ctx.begin('insights', 1);
    prepareInsights(graph);
  }
  ctx.finishCurrent();
  graph.indexSeconds = (performance.now() - started) / 1000;
  graph.stageSeconds = { ...ctx.stageSeconds };
  graph.stageCpuSeconds = { ...ctx.stageCpuSeconds };
  graph.stagePageFaults = { ...ctx.stagePageFaults };
  return graph;
}

function computeTotals(
  raw: RawSnapshot,
  distance: Int32Array,
  retained: Float64Array,
  edgeCount: number,
  heldFromC: number,
  danglingEdges: number,
): SnapshotTotals {
  let shallow = 0;
  let unreachable = 0;
  let unreachableShallow = 0;
  const n = raw.size.length;
  for (let v = FIRST_OBJECT; v < n; v++) {
    const s = raw.size[v]!;
    shallow += s;
    if (distance[v] === -1) {
      unreachable++;
      unreachableShallow += s;
    }
  }
  return {
    objects: raw.objectCount,
    edges: edgeCount,
    shallow,
    reachableShallow: retained[0]!,
    unreachable,
    unreachableShallow,
    heldFromC,
    danglingEdges,
  };
}

function resolveAllocations(raw: RawSnapshot, allocNodes: Uint32Array): Uint32Array | null {
  if (raw.allocAddress.length === 0) return null;
  const out = new Uint32Array(raw.size.length).fill(0xffffffff);
  for (let i = 0; i < allocNodes.length; i++) {
    const v = allocNodes[i]!;
    if (v !== 0xffffffff) out[v] = raw.allocTraceback[i]!;
  }
  return out;
}
