// The insights benchmark: CPU seconds of cold `findInsights` calls on the synthetic "python" heap
// (target ≤ 1 s at 10M objects). The snapshot is loaded once; each call gets a fresh view, so
// nothing computed by an earlier call is reused (the first call also pays the JIT's warm-up).
//   node test/bench/run.mjs --only insights [--objects 10000000] [--calls 3] [--limits 0,20] [--file F]
// limit 0 is what the Insights view asks first (analyses + totals); 20 is the CLI's full report
// (owners of 20 findings a kind). Prints per call and the median per limit, and a digest of each
// limit's report (its `seconds` left out): a speed change must leave the digests unchanged.
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, renameSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { graphView } from '../../electron/indexer/diff/snapshot-view';
import { writeSyntheticHeap } from '../../electron/indexer/format/synthetic-heap';
import { fileSink } from '../../electron/indexer/format/writer';
import { loadSnapshot } from '../../electron/indexer/index';
import { findInsights } from '../../electron/indexer/insights/index';

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? (process.argv[i + 1] ?? fallback) : fallback;
}

function syntheticFile(objects: number): string {
  const dir = join(tmpdir(), 'heapscope-bench');
  mkdirSync(dir, { recursive: true });
  const path = join(dir, `insights-python-${objects}.pyheap`);
  if (existsSync(path)) return path;
  const out = fileSink(`${path}.tmp`);
  writeSyntheticHeap(out.sink, { objects, compress: false, shape: 'python' });
  out.close();
  renameSync(`${path}.tmp`, path);
  return path;
}

const cpu = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1e6;
};

const file = arg('file', '') || syntheticFile(Number(arg('objects', '10000000')));
const calls = Number(arg('calls', '3'));
const snap = await loadSnapshot({ path: file });
console.log(`insights: ${file}, ${snap.graph.nodeCount.toLocaleString('en-US')} objects`);
for (const limit of arg('limits', '0,20').split(',').map(Number)) {
  const seconds: number[] = [];
  const digests = new Set<string>();
  for (let c = 0; c < calls; c++) {
    const view = graphView(snap.graph, snap.info(`bench-${limit}-${c}`, file, null));
    const c0 = cpu();
    const report = findInsights(snap.graph, view, limit);
    seconds.push(cpu() - c0);
    const { seconds: _, ...rest } = report;
    digests.add(createHash('sha1').update(JSON.stringify(rest)).digest('hex').slice(0, 12));
  }
  const median = [...seconds].sort((a, b) => a - b)[Math.floor(calls / 2)]!;
  console.log(
    `  limit ${limit}: CPU s per call ${seconds.map((s) => s.toFixed(3)).join(', ')}; median ${median.toFixed(3)}; report ${[...digests].join(' ')}`,
  );
}
