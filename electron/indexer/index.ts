// The indexer's public API: load a .pyheap file into flat typed arrays and answer the per-snapshot
// queries of the contract. Pure TypeScript plus node:fs/node:zlib; runs in a worker, the CLI and tests.
import { indexSnapshot, type LoadOptions, type LoadSource } from './pipeline';
import { HeapSnapshot } from './query/snapshot';

export { SnapshotFormatError } from './errors';
export type { HeapGraph } from './graph/heap-graph';
export type { StageProgress } from './progress';
export type { LoadOptions, LoadSource };
export { HeapSnapshot };

/**
 * Reads and indexes a snapshot. Rejects with ApiError 'bad-snapshot' (a SnapshotFormatError, one line
 * naming file, section and byte offset) for files it refuses, and 'cancelled' when `signal` aborts.
 */
export async function loadSnapshot(source: LoadSource, options: LoadOptions = {}): Promise<HeapSnapshot> {
  return new HeapSnapshot(await indexSnapshot(source, options));
}
