// Helpers for the leak tests: index .pyheap bytes with the real pipeline and wrap them as GraphViews.
import type { ProcessFacts, SnapshotInfo } from '@shared/contract';
import { graphView } from '../../electron/indexer/diff/snapshot-view';
import type { GraphView } from '../../electron/indexer/diff/view';
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
