// Helpers for the leak tests: index .pyheap bytes with the real pipeline and wrap them as GraphViews,
// and run the fixture programs of test/fixtures/leaks/.

import { execFileSync } from 'node:child_process';
import { join, resolve } from 'node:path';
import type { ProcessFacts, SnapshotInfo } from '@shared/contract';
import { graphView } from '../../electron/indexer/diff/snapshot-view';
import type { GraphView } from '../../electron/indexer/diff/view';
import type { SnapshotBuilder } from '../../electron/indexer/format/builder';
import type { HeapGraph } from '../../electron/indexer/graph/heap-graph';
import { indexSnapshot } from '../../electron/indexer/pipeline';

export async function indexBytes(bytes: Uint8Array, name: string): Promise<HeapGraph> {
  return indexSnapshot({ bytes, name });
}

export async function indexFile(path: string): Promise<HeapGraph> {
  return indexSnapshot({ path });
}

/** SnapshotInfo from the graph's META, as the host would report it (ids are the test's). */
export function infoFor(g: HeapGraph, id: string): SnapshotInfo {
  const meta = g.meta as {
    pid?: number;
    argv?: string[];
    dumpTime?: number;
    python?: { version?: string };
  };
  const process: ProcessFacts = {
    pythonVersion: meta.python?.version ?? null,
    implementation: null,
    platform: null,
    hostname: null,
    pid: meta.pid ?? null,
    argv: meta.argv ?? [],
    dumpTime: meta.dumpTime ?? null,
    processStartTime: null,
    rssBytes: null,
    threads: [],
    dumperVersion: null,
    options: {},
  };
  return {
    id,
    name: g.fileName,
    path: null,
    fileBytes: g.fileBytes,
    formatVersion: g.formatVersion,
    process,
    totals: g.totals,
    hasTracebacks: g.nodeIdx2Traceback !== null,
    indexSeconds: g.indexSeconds,
  };
}

export async function viewOfBytes(bytes: Uint8Array, id: string): Promise<GraphView> {
  const g = await indexBytes(bytes, `${id}.pyheap`);
  return graphView(g, infoFor(g, id));
}

export async function viewOfFile(path: string, id: string): Promise<GraphView> {
  const g = await indexFile(path);
  return graphView(g, infoFor(g, id));
}

export const LEAK_FIXTURES = resolve(__dirname, '../fixtures/leaks');
const DUMPER = resolve(__dirname, '../../python-dumper');

/**
 * The interpreter the fixture programs run under: `HEAPSCOPE_TEST_PYTHON` (a path), else `python3`.
 * `node test/run-leaks-pythons.mjs` runs the real-dump leak tests once under every CPython here.
 */
export const FIXTURE_PYTHON = process.env.HEAPSCOPE_TEST_PYTHON || 'python3';

/** Runs a fixture program, which dumps itself `count` times into `dir`; returns the views, oldest first. */
export async function fixtureDumps(
  program: string,
  dir: string,
  env: Record<string, string> = {},
  count = 3,
): Promise<GraphView[]> {
  execFileSync(FIXTURE_PYTHON, [join(LEAK_FIXTURES, `${program}.py`), dir, String(count)], {
    cwd: LEAK_FIXTURES,
    env: { ...process.env, PYTHONPATH: DUMPER, ...env },
    stdio: 'pipe',
  });
  const files = Array.from({ length: count }, (_, i) => join(dir, `${i + 1}.pyheap`));
  return Promise.all(files.map((f, i) => viewOfFile(f, `${program}-${i + 1}`)));
}

/**
 * A module `name` (root) and its globals dict, the first two nodes of a hand-made heap; returns the
 * dict, where the test hangs its holders as dict values.
 */
export function moduleGlobals(g: SnapshotBuilder, name = 'app'): number {
  const mod = g.node('module', 72, { label: name });
  const ns = g.node('dict', 2000);
  g.root(mod, 'module', name).edge(mod, ns, 'internal', '__dict__');
  return ns;
}
