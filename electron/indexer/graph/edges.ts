// Stage "edges": map every address to its node, resolve edge targets, drop dangling edges (counted),
// and count in-degrees for the retainer index and for held-from-C roots.
//
// The address table is the indexer's largest random-access job (one probe per object to fill it,
// one per edge to read it), so both threads share it (parallel/kernels.ts), with no locking: each
// fills only the slots in its half of the table (a probe that would leave it is finished alone
// afterwards), then each resolves half of the edges, counting references in its own 16 bits of
// each slot's count word.
import { formatError } from '../errors';
import type { RawSnapshot } from '../format/reader';
import { EDGE_KIND, TAG } from '../format/spec';
import type { Helper } from '../parallel/helper';
import { insertAddresses, type ResolveResult, resolveChunks } from '../parallel/kernels';
import { prefaulted, sharedUint8, sharedUint32 } from '../parallel/shared';
import type { StageContext } from '../progress';
import { AddressMap, ResolveTable } from './address-map';

export interface ResolvedEdges {
  /** Lazy address → node map kept for queries. */
  addressMap: AddressMap;
  /** The fast table the stage resolved with; roots and allocations use it, then it is dropped. */
  resolve: ResolveTable | null;
  /** edgeIdx2TargetNodeIdx, after dangling edges were removed (firstEdge rewritten to match). */
  edgeTarget: Uint32Array;
  edgeName: Uint32Array;
  edgeKind: Uint8Array;
  edgeCount: number;
  /**
   * Weak references to each node. Kept apart from the strong count because weak edges are rare:
   * one random write per edge instead of two. Row lengths of the retainer index are the sum.
   */
  nodeIdx2WeakIn: Uint32Array;
  /** Strong (non-weak) references to each node, duplicates counted: compared with refcount. */
  nodeIdx2StrongIn: Uint32Array;
  danglingEdges: number;
}

const CHUNK = 1 << 18;

export async function resolveEdges(
  raw: RawSnapshot,
  ctx: StageContext,
  helper: Helper,
): Promise<ResolvedEdges> {
  const n = raw.nodeBase + raw.objectCount;
  const total = raw.objectCount + raw.edgeCount;
  ctx.begin('edges', total);
  const table = new ResolveTable(raw.objectCount);
  const targets = sharedUint32(raw.edgeCount);
  await insertAll(raw, table, helper);
  await ctx.checkpoint(raw.objectCount, total);
  const results = await resolveAll(raw, table, helper, targets);
  await ctx.checkpoint(raw.objectCount + raw.edgeCount / 2, total);
  const weakIn = prefaulted(sharedUint32(n));
  const strongIn = prefaulted(sharedUint32(n));
  for (const r of results) for (const t of r.weakTargets) weakIn[t]++;
  table.strongCounts(
    strongIn,
    results.flatMap((r) => r.overflow),
  );
  let kept = raw.edgeCount;
  if (results.some((r) => r.dangling > 0)) {
    // Rare (references to the dumper's own objects, say): compact them away, rewriting row starts.
    const state: CompactState = { node: raw.nodeBase, write: 0, readStart: 0 };
    while (state.node < n) {
      compactNodes(raw, targets, state, Math.min(n, state.node + CHUNK));
      await ctx.checkpoint(raw.objectCount + raw.edgeCount / 2 + state.readStart / 2, total);
    }
    raw.firstEdge[n] = state.write;
    kept = state.write;
  }
  raw.edgeTargetAddress = new Float64Array(0);
  return {
    addressMap: new AddressMap(raw.address, raw.nodeBase),
    resolve: table,
    edgeTarget: targets.subarray(0, kept),
    edgeName: kept === raw.edgeCount ? raw.edgeName : raw.edgeName.slice(0, kept),
    edgeKind: kept === raw.edgeCount ? raw.edgeKind : sharedCopy(raw.edgeKind, kept),
    edgeCount: kept,
    nodeIdx2WeakIn: weakIn,
    nodeIdx2StrongIn: strongIn,
    danglingEdges: raw.edgeCount - kept,
  };
}

/** Fills the table: the helper takes the upper half of the slots, this thread the lower half. */
async function insertAll(raw: RawSnapshot, table: ResolveTable, helper: Helper): Promise<void> {
  const n = raw.nodeBase + raw.objectCount;
  const { keys, cells, shift, slotCount } = table;
  const half = helper.threads > 1 ? slotCount >>> 1 : slotCount;
  const other =
    half < slotCount
      ? helper.run('insertAddresses', keys, cells, raw.address, raw.nodeBase, n, shift, half, slotCount)
      : null;
  const results = [insertAddresses(keys, cells, raw.address, raw.nodeBase, n, shift, 0, half)];
  if (other) results.push(await other);
  const duplicates = results.map((r) => r.duplicate).filter((v) => v >= 0);
  if (duplicates.length) throw duplicateError(raw, Math.min(...duplicates));
  const deferred = results.flatMap((r) => r.deferred).sort((a, b) => a - b);
  for (const v of deferred) if (table.insert(raw.address[v]!, v) >= 0) throw duplicateError(raw, v);
}

/** Edges per chunk the two threads take in turn (see `resolveChunks`): ~80 chunks at 20M edges. */
const RESOLVE_CHUNK = 1 << 18;

/**
 * Resolves every edge into `targets` (node, 0xffffffff = dangling), counting strong references,
 * on both threads, chunk by chunk.
 */
async function resolveAll(
  raw: RawSnapshot,
  table: ResolveTable,
  helper: Helper,
  targets: Uint32Array,
): Promise<ResolveResult[]> {
  const { keys, cells, shift } = table;
  const { edgeTargetAddress: addrs, edgeKind, edgeCount } = raw;
  const next = new Int32Array(new SharedArrayBuffer(4));
  const args = [keys, cells, addrs, edgeKind, EDGE_KIND.WEAK, edgeCount, RESOLVE_CHUNK, next, shift] as const;
  const other = helper.threads > 1 ? helper.run('resolveChunks', ...args, 1, targets) : null;
  const mine = resolveChunks(...args, 0, targets);
  return other ? [mine, await other] : [mine];
}

interface CompactState {
  /** Next source node to process. */
  node: number;
  /** Next compacted edge position. */
  write: number;
  /** Original position of `node`'s first edge (firstEdge[node] is rewritten before it is read). */
  readStart: number;
}

/**
 * Drops the dangling edges of sources [state.node, end), compacting in place (the write position
 * never passes the read one).
 */
function compactNodes(raw: RawSnapshot, targets: Uint32Array, state: CompactState, end: number): void {
  const { firstEdge, edgeName, edgeKind } = raw;
  let write = state.write;
  let readStart = state.readStart;
  for (let v = state.node; v < end; v++) {
    const readEnd = firstEdge[v + 1]!;
    firstEdge[v] = write;
    for (let e = readStart; e < readEnd; e++) {
      const t = targets[e]!;
      if (t === 0xffffffff) continue; // dangling
      targets[write] = t;
      edgeName[write] = edgeName[e]!;
      edgeKind[write] = edgeKind[e]!;
      write++;
    }
    readStart = readEnd;
  }
  state.node = end;
  state.write = write;
  state.readStart = readStart;
}

/** The first `count` entries of `a`, in a SharedArrayBuffer (the helper thread reads edge kinds). */
function sharedCopy(a: Uint8Array, count: number): Uint8Array {
  const out = sharedUint8(count);
  out.set(a.subarray(0, count));
  return out;
}

function duplicateError(raw: RawSnapshot, node: number) {
  const obj = node - raw.nodeBase;
  let section = raw.objsSections[0]!;
  for (const s of raw.objsSections) if (s.firstObject <= obj) section = s;
  const hex = `0x${raw.address[node]!.toString(16)}`;
  return formatError(raw.fileName, `duplicate object address ${hex} (corrupt)`, section.offset, TAG.OBJS);
}
