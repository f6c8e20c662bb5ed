// Stage "edges": map every address to its node, resolve edge targets, drop dangling edges (counted),
// and count in-degrees for the retainer index and for held-from-C roots.
//
// Addresses are matched by a radix-partitioned hash join on both threads (graph/address-join.ts,
// parallel/join.ts): the edge targets, and in the same pass the roots' and allocation records'
// addresses, so no address table outlives the stage.
import { formatError } from '../errors';
import type { RawSnapshot } from '../format/reader';
import { TAG } from '../format/spec';
import type { Helper } from '../parallel/helper';
import { sharedFloat64, sharedUint8 } from '../parallel/shared';
import type { StageContext } from '../progress';
import { joinAddresses } from './address-join';
import { AddressMap } from './address-map';

export interface ResolvedEdges {
  /** Lazy address → node map kept for queries. */
  addressMap: AddressMap;
  /** The node of each root record (raw.rootAddress), or 0xffffffff: the dumper's own objects. */
  rootNodes: Uint32Array;
  /** The node of each allocation record (raw.allocAddress), or 0xffffffff. */
  allocNodes: Uint32Array;
  /** edgeIdx2TargetNodeIdx, after dangling edges were removed (firstEdge rewritten to match). */
  edgeTarget: Uint32Array;
  edgeName: Uint32Array;
  edgeKind: Uint8Array;
  edgeCount: number;
  /**
   * How many edges are weak references. Rare, so the retainer index places them apart
   * (graph/retainers.ts), and no per-node count of them is kept.
   */
  weakEdges: number;
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
  const roots = raw.rootAddress.length;
  const extra = sharedFloat64From(raw.rootAddress, raw.allocAddress);
  const joined = await joinAddresses(raw, extra, helper, (f) =>
    ctx.checkpoint(f * (raw.objectCount + raw.edgeCount / 2), total),
  );
  if (joined.duplicate >= 0) throw duplicateError(raw, joined.duplicate);
  const targets = joined.targets;
  const strongIn = joined.strongIn;
  let kept = raw.edgeCount;
  if (joined.dangling > 0) {
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
    rootNodes: joined.extraNodes.subarray(0, roots),
    allocNodes: joined.extraNodes.subarray(roots),
    edgeTarget: targets.subarray(0, kept),
    edgeName: kept === raw.edgeCount ? raw.edgeName : raw.edgeName.slice(0, kept),
    edgeKind: kept === raw.edgeCount ? raw.edgeKind : sharedCopy(raw.edgeKind, kept),
    edgeCount: kept,
    weakEdges: joined.weakTargets.length,
    nodeIdx2StrongIn: strongIn,
    danglingEdges: raw.edgeCount - kept,
  };
}

/** Roots' then allocation records' addresses, in one shared array (the join's other probes). */
function sharedFloat64From(a: Float64Array, b: Float64Array): Float64Array {
  const out = sharedFloat64(a.length + b.length);
  out.set(a);
  out.set(b, a.length);
  return out;
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
