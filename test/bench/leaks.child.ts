// One leak-finding run, in its own process: index two or three snapshots, then time the diffs and
// the leak suspects on them, cold (the graph views' caches start empty, as for a user's first `leaks` call).
// Prints one JSON line (LeakRunResult in indexer.bench.ts). CPU time, not wall: the bench machine is
// shared, and another process's load shows in wall time but hardly in our own CPU time.
import { createHash } from 'node:crypto';
import { SnapshotDiff } from '../../electron/indexer/diff/diff';
import { graphView } from '../../electron/indexer/diff/snapshot-view';
import type { GraphView } from '../../electron/indexer/diff/view';
import { loadSnapshot } from '../../electron/indexer/index';
import { findLeaks } from '../../electron/indexer/leaks/index';

function cpuSeconds(since: NodeJS.CpuUsage): number {
  const c = process.cpuUsage(since);
  return (c.user + c.system) / 1e6;
}

export async function runLeaksChild(files: string[]): Promise<void> {
  const views: GraphView[] = [];
  for (const [i, file] of files.entries()) {
    const snap = await loadSnapshot({ path: file });
    views.push(graphView(snap.graph, snap.info(`s${i}`, file, file)));
  }
  let t = process.cpuUsage();
  const diffs = views.slice(1).map((target, i) => new SnapshotDiff(views[i], target));
  const diffCpu = cpuSeconds(t);
  t = process.cpuUsage();
  const report = findLeaks(diffs);
  const leaksCpu = cpuSeconds(t);
  console.log(
    JSON.stringify({
      diffCpu,
      leaksCpu,
      suspects: report.suspects.length,
      // Same digest = same report: lets a speed change be checked for unchanged results.
      digest: createHash('sha1').update(JSON.stringify(report)).digest('hex').slice(0, 12),
    }),
  );
}
