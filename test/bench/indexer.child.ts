// One benchmark run, in its own process: index `file`, then time each paged query the UI issues.
// Prints one JSON line (RunResult in indexer.bench.ts).
import { statSync } from 'node:fs';
import { shapeStats } from '../../electron/indexer/graph/shape-stats';
import { type HeapSnapshot, loadSnapshot } from '../../electron/indexer/index';

const REPEAT = 5;

function time(snap: HeapSnapshot, fn: () => unknown): { first: number; median: number } {
  snap.clearCaches(); // "first call" is a cold call: nothing cached by picking arguments or earlier queries
  const t0 = performance.now();
  fn();
  const first = performance.now() - t0;
  const rest: number[] = [];
  for (let i = 0; i < REPEAT; i++) {
    const t = performance.now();
    fn();
    rest.push(performance.now() - t);
  }
  rest.sort((a, b) => a - b);
  return { first, median: rest[Math.floor(rest.length / 2)]! };
}

/** Picks query arguments the way a user would reach them: biggest type, biggest holder, a deep leaf. */
function queries(snap: HeapSnapshot, needles: string[]): Record<string, () => unknown> {
  const page = { start: 0, end: 100 };
  const top = snap.summary({ range: { start: 0, end: 1 } }).rows[0]!;
  const biggest = snap.instances({ typeKey: top.typeKey, range: { start: 0, end: 1 } }).rows[0]!;
  const total = snap.instances({ typeKey: top.typeKey, range: { start: 0, end: 0 } }).total;
  const holder = snap.dominatorChildren({ node: 0, range: { start: 0, end: 1 } }).rows[0]!;
  const g = snap.graph;
  let wide = 7;
  let deep = 7;
  for (let v = 7; v < g.nodeCount; v += 101) {
    if (g.firstEdge[v + 1]! - g.firstEdge[v]! > g.firstEdge[wide + 1]! - g.firstEdge[wide]!) wide = v;
    if (g.distance[v]! > g.distance[deep]!) deep = v;
  }
  const label = g.label[deep] !== 0xffffffff ? g.strings.get(g.label[deep]!).slice(0, 8) : 'value-';
  const address = snap.objectDetails({ node: deep }).row.address;
  const shorter = label.slice(0, -1);
  return {
    'summary (100 rows)': () => snap.summary({ range: page }),
    'summary filtered': () => snap.summary({ range: page, filter: 'model' }),
    [`instances of ${top.type} (first 100)`]: () => snap.instances({ typeKey: top.typeKey, range: page }),
    'instances, page at 50%': () =>
      snap.instances({
        typeKey: top.typeKey,
        range: { start: Math.floor(total / 2), end: Math.floor(total / 2) + 100 },
      }),
    'instances by distance': () =>
      snap.instances({ typeKey: top.typeKey, range: page, sort: { key: 'distance', dir: 'asc' } }),
    'dominatorChildren(super-root)': () => snap.dominatorChildren({ node: 0, range: page }),
    'dominatorChildren(largest holder)': () => snap.dominatorChildren({ node: holder.node, range: page }),
    'dominatorSubtree(depth 3 × 20)': () =>
      snap.dominatorSubtree({ node: 0, depth: 3, maxChildren: 20, minFraction: 0.001 }),
    'dominatorChain(deepest)': () => snap.dominatorChain({ node: deep }),
    'referents(widest)': () => snap.referents({ node: wide, range: page }),
    'referrers(biggest)': () => snap.referrers({ node: biggest.node, range: page }),
    'retainerPaths(deepest, k=5)': () => snap.retainerPaths({ node: deep, k: 5 }),
    objectDetails: () => snap.objectDetails({ node: deep }),
    // Waste analyses (insights/): computed on demand, target ≤ 1 s at 10M objects.
    'insights (all analyses)': () => snap.insights({}),
    // What the Insights view asks: totals (limit 0), a page of findings, then one finding's owners.
    'insights (totals only)': () => snap.insights({ limit: 0 }),
    'insightFindings (records, first 10)': () =>
      snap.insightFindings({ kind: 'dict-records', range: { start: 0, end: 10 } }),
    'insightOwners (largest record finding)': () =>
      snap.insightFindings({ kind: 'dict-records', range: { start: 0, end: 1 } }).total > 0
        ? snap.insightOwners({ kind: 'dict-records', finding: 0, range: { start: 0, end: 10 } })
        : null,
    'search label substring': () =>
      snap.search({ query: `${label}${Math.random()}`.slice(0, label.length), range: page }),
    // One character fewer: many more matches, scattered (one builtin call each, the slowest kind).
    'search label substring, shorter': () => snap.search({ query: shorter, range: page }),
    'search address': () => snap.search({ query: address, range: page }),
    ...Object.fromEntries(
      needles.map((n) => [`search '${n}'`, () => snap.search({ query: n, range: page })]),
    ),
  };
}

export async function runChild(file: string, needles: string[] = []): Promise<void> {
  const t0 = performance.now();
  const cpu0 = process.cpuUsage();
  const snap = await loadSnapshot({ path: file });
  const total = (performance.now() - t0) / 1000;
  const cpu = process.cpuUsage(cpu0);
  const totalCpu = (cpu.user + cpu.system) / 1e6;
  const rssAfterLoad = process.resourceUsage().maxRSS * 1024;
  const timings: Record<string, { first: number; median: number }> = {};
  for (const [name, fn] of Object.entries(queries(snap, needles))) timings[name] = time(snap, fn);
  const info = snap.info('bench', file, file);
  console.log(
    JSON.stringify({
      objects: info.totals.objects,
      edges: info.totals.edges,
      fileBytes: statSync(file).size,
      stages: snap.graph.stageSeconds,
      cpu: snap.graph.stageCpuSeconds,
      faults: snap.graph.stagePageFaults,
      total,
      totalCpu,
      peakRss: process.resourceUsage().maxRSS * 1024,
      rssAfterLoad,
      queries: timings,
      shape: shapeStats(snap.graph),
    }),
  );
}
