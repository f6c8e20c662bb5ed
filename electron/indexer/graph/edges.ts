// Stage "edges": map every address to its node, resolve edge targets, drop dangling edges (counted),
// and count in-degrees for the retainer index and for held-from-C roots.
import { formatError } from '../errors';
import type { RawSnapshot } from '../format/reader';
import { EDGE_KIND, TAG } from '../format/spec';
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
/** Probes per prefetch batch: enough misses in flight to fill the CPU's queue, few enough to stay in L1/L2. */
const BATCH = 256;

export async function resolveEdges(raw: RawSnapshot, ctx: StageContext): Promise<ResolvedEdges> {
  const n = raw.nodeBase + raw.objectCount;
  ctx.begin('edges', raw.objectCount + raw.edgeCount);
  const table = new ResolveTable(raw.objectCount);
  const slots = new Int32Array(BATCH);
  for (let start = raw.nodeBase; start < n; start += CHUNK) {
    const dup = insertRange(table, raw.address, start, Math.min(n, start + CHUNK), slots);
    if (dup >= 0) throw duplicateError(raw, dup);
    await ctx.checkpoint(start - raw.nodeBase, raw.objectCount + raw.edgeCount);
  }
  // Resolved targets are written as u32 into the front of the address column's own buffer: slot i's
  // 4 bytes never overlap an address not yet read, so no second 8-byte-per-edge array is needed.
  const targets = new Uint32Array(raw.edgeTargetAddress.buffer, 0, raw.edgeCount);
  const weakIn = new Uint32Array(n);
  const strongIn = new Uint32Array(n);
  const state: CompactState = { node: raw.nodeBase, write: 0, readStart: 0 };
  while (state.node < n) {
    resolveNodes(raw, table, targets, weakIn, state, Math.min(n, state.node + CHUNK), slots);
    await ctx.checkpoint(raw.objectCount + state.readStart, raw.objectCount + raw.edgeCount);
  }
  table.strongCounts(strongIn);
  raw.firstEdge[n] = state.write;
  const kept = state.write;
  const edgeTarget = targets.slice(0, kept);
  raw.edgeTargetAddress = new Float64Array(0);
  return {
    addressMap: new AddressMap(raw.address, raw.nodeBase),
    resolve: table,
    edgeTarget,
    edgeName: kept === raw.edgeCount ? raw.edgeName : raw.edgeName.slice(0, kept),
    edgeKind: kept === raw.edgeCount ? raw.edgeKind : raw.edgeKind.slice(0, kept),
    edgeCount: kept,
    nodeIdx2WeakIn: weakIn,
    nodeIdx2StrongIn: strongIn,
    danglingEdges: raw.edgeCount - kept,
  };
}

function insertRange(
  table: ResolveTable,
  address: Float64Array,
  start: number,
  end: number,
  slots: Int32Array,
): number {
  for (let from = start; from < end; from += BATCH) {
    const to = Math.min(end, from + BATCH);
    table.prefetch(address, from, to, slots);
    for (let v = from; v < to; v++) {
      if (table.insertAt(address[v]!, v, slots[v - from]!) >= 0) return v;
    }
  }
  return -1;
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
 * Resolves the edges of sources [state.node, end), compacting away dangling ones in place. Edges are
 * taken in batches that ignore row boundaries (prefetch, then probe), and rows are closed as the
 * probing pass crosses them.
 */
function resolveNodes(
  raw: RawSnapshot,
  map: ResolveTable,
  targets: Uint32Array,
  weakIn: Uint32Array,
  state: CompactState,
  end: number,
  slots: Int32Array,
): void {
  const { firstEdge, edgeTargetAddress, edgeName, edgeKind } = raw;
  let write = state.write;
  let v = state.node;
  let rowEnd = firstEdge[v + 1]!; // original end of v's row (firstEdge[v] is rewritten below)
  firstEdge[v] = write;
  const stop = firstEdge[end]!;
  for (let from = state.readStart; from < stop; from += BATCH) {
    const to = Math.min(stop, from + BATCH);
    map.prefetch(edgeTargetAddress, from, to, slots);
    for (let e = from; e < to; e++) {
      while (e === rowEnd) {
        v++;
        rowEnd = firstEdge[v + 1]!;
        firstEdge[v] = write;
      }
      const kind = edgeKind[e]!;
      const weak = kind === EDGE_KIND.WEAK;
      const slot = slots[e - from]!;
      const t = weak ? map.getAt(edgeTargetAddress[e]!, slot) : map.getStrongAt(edgeTargetAddress[e]!, slot);
      if (t < 0) continue;
      targets[write] = t;
      edgeName[write] = edgeName[e]!;
      edgeKind[write] = kind;
      write++;
      if (weak) weakIn[t]++;
    }
  }
  // Rows after the last edge (empty ones) start at the write position too.
  while (v + 1 < end) {
    v++;
    firstEdge[v] = write;
  }
  state.node = end;
  state.write = write;
  state.readStart = stop;
}

function duplicateError(raw: RawSnapshot, node: number) {
  const obj = node - raw.nodeBase;
  let section = raw.objsSections[0]!;
  for (const s of raw.objsSections) if (s.firstObject <= obj) section = s;
  const hex = `0x${raw.address[node]!.toString(16)}`;
  return formatError(raw.fileName, `duplicate object address ${hex} (corrupt)`, section.offset, TAG.OBJS);
}
