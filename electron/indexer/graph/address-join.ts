// Address → node for every edge target, root and allocation record at once: the radix-partitioned
// hash join of parallel/join.ts, run as four passes, each split between this thread and the helper
// (ranges of the inputs for the scatter passes, partitions taken in turn for the join itself).
import type { RawSnapshot } from '../format/reader';
import { EDGE_KIND } from '../format/spec';
import type { Helper } from '../parallel/helper';
import {
  countPartitions,
  type JoinResult,
  joinPartitions,
  scatterObjects,
  scatterProbes,
  unpartition,
} from '../parallel/join';
import { sharedFloat64, sharedUint32 } from '../parallel/shared';

export interface JoinedAddresses {
  /** edgeIdx2TargetNodeIdx; 0xffffffff where no object has the address (dangling). */
  targets: Uint32Array;
  /** Strong (non-weak) edge references to each node, duplicates counted. */
  strongIn: Uint32Array;
  /** The node at each address of `extra`, or 0xffffffff. */
  extraNodes: Uint32Array;
  /** The target of each weak edge, once per edge. */
  weakTargets: number[];
  dangling: number;
  /** The lowest node whose address an earlier node has, or -1. */
  duplicate: number;
}

/**
 * Objects per partition aimed at: its table (2 slots an object, 4 bytes a slot, 64 KiB) and keys
 * stay in L2. Fewer, larger partitions than an L1-sized 4,096 measured ~0.1 s faster at 10M objects:
 * the scatter passes write to fewer streams at once.
 */
const PARTITION_OBJECTS = 8192;
/** Partitions taken at a time from the shared counter by each thread. */
const JOIN_CHUNK = 16;

/** One input of the join, split into the two threads' halves. */
interface Input {
  address: Float64Array;
  from: number;
  to: number;
  mid: number;
  /** Each thread's partition sizes, then (after `layout`) its scatter cursors. */
  cursors: [Uint32Array, Uint32Array];
  /** Where each partition starts (P + 1 entries). */
  first: Uint32Array;
}

export async function joinAddresses(
  raw: RawSnapshot,
  extra: Float64Array,
  helper: Helper,
  checkpoint: (fraction: number) => Promise<void>,
): Promise<JoinedAddresses> {
  const n = raw.nodeBase + raw.objectCount;
  const bits = partitionBits(raw.objectCount);
  const two = helper.threads > 1;
  const input = (address: Float64Array, from: number, to: number): Input => ({
    address,
    from,
    to,
    mid: two ? from + Math.floor((to - from) / 2) : to,
    cursors: [sharedUint32(1 << bits), sharedUint32(1 << bits)],
    first: sharedUint32((1 << bits) + 1),
  });
  const objects = input(raw.address, raw.nodeBase, n);
  const edges = input(raw.edgeTargetAddress, 0, raw.edgeCount);
  const extras = input(extra, 0, extra.length);
  const all = [objects, edges, extras];

  await halves(helper, all, (t, i, from, to) => ['countPartitions', i.address, from, to, bits, i.cursors[t]]);
  for (const i of all) layout(i);
  await checkpoint(0.1);

  const objKeys = sharedFloat64(raw.objectCount);
  const objNodes = sharedUint32(raw.objectCount);
  const edgeKeys = sharedFloat64(raw.edgeCount);
  const extraKeys = sharedFloat64(extra.length);
  const weak = EDGE_KIND.WEAK;
  await halves(helper, all, (t, i, from, to) => {
    const cursor = copy(i.cursors[t]);
    if (i === objects) return ['scatterObjects', i.address, from, to, bits, cursor, objKeys, objNodes];
    const keys = i === edges ? edgeKeys : extraKeys;
    return [
      'scatterProbes',
      i.address,
      i === edges ? raw.edgeKind : null,
      weak,
      from,
      to,
      bits,
      cursor,
      keys,
    ];
  });
  await checkpoint(0.4);

  const results = await joinAll(helper, objects, objNodes, objKeys, edges, edgeKeys, extras, extraKeys, bits);
  await checkpoint(0.8);

  const targets = sharedUint32(raw.edgeCount);
  const strongIn = sharedUint32(n);
  const extraNodes = sharedUint32(extra.length);
  await halves(helper, all, (t, i, from, to) => {
    const cursor = copy(i.cursors[t]);
    if (i === objects) return ['unpartition', i.address, from, to, bits, cursor, u32(objKeys), strongIn];
    if (i === edges) return ['unpartition', i.address, from, to, bits, cursor, u32(edgeKeys), targets];
    return ['unpartition', i.address, from, to, bits, cursor, u32(extraKeys), extraNodes];
  });
  return {
    targets,
    strongIn,
    extraNodes,
    weakTargets: results.flatMap((r) => r.weakTargets),
    dangling: results.reduce((s, r) => s + r.dangling, 0),
    duplicate: results.reduce(
      (d, r) => (r.duplicate >= 0 && (d < 0 || r.duplicate < d) ? r.duplicate : d),
      -1,
    ),
  };
}

/** log2 of the partition count: ~PARTITION_OBJECTS objects each, at most 2^14 partitions. */
function partitionBits(objects: number): number {
  let bits = 0;
  while (bits < 14 && objects >> bits > PARTITION_OBJECTS) bits++;
  return bits;
}

/** The kernels `halves` runs, by the name the helper knows them by. */
const PASSES = { countPartitions, scatterObjects, scatterProbes, unpartition };
/** A pass's kernel by name and its arguments, checked against the kernel's parameters. */
type Call = { [K in keyof typeof PASSES]: [K, ...Parameters<(typeof PASSES)[K]>] }[keyof typeof PASSES];

/**
 * Runs one pass over every input: the helper takes the upper half of each input's range (queued
 * calls), this thread the lower half. `call` names the kernel and its arguments for thread t.
 */
async function halves(
  helper: Helper,
  inputs: Input[],
  call: (t: 0 | 1, i: Input, from: number, to: number) => Call,
): Promise<void> {
  const other: Promise<unknown>[] = [];
  for (const i of inputs) {
    if (i.mid >= i.to) continue;
    const [name, ...args] = call(1, i, i.mid, i.to);
    other.push(helper.run(name, ...(args as Parameters<(typeof PASSES)[typeof name]>)));
  }
  for (const i of inputs) {
    const [name, ...args] = call(0, i, i.from, i.mid);
    (PASSES[name] as (...a: unknown[]) => number)(...args);
  }
  await Promise.all(other);
}

/**
 * Partition starts from the two threads' sizes, and each thread's cursors: thread 0 writes the
 * front of each partition, thread 1 the rest, so a partition keeps its input order.
 */
function layout(i: Input): void {
  const [a, b] = i.cursors;
  let at = 0;
  for (let p = 0; p < a.length; p++) {
    i.first[p] = at;
    const sizeA = a[p]!;
    const sizeB = b[p]!;
    a[p] = at;
    b[p] = at + sizeA;
    at += sizeA + sizeB;
  }
  i.first[a.length] = at;
}

async function joinAll(
  helper: Helper,
  objects: Input,
  objNodes: Uint32Array,
  objKeys: Float64Array,
  edges: Input,
  edgeKeys: Float64Array,
  extras: Input,
  extraKeys: Float64Array,
  bits: number,
): Promise<JoinResult[]> {
  let largest = 0;
  const first = objects.first;
  for (let p = 0; p + 1 < first.length; p++) largest = Math.max(largest, first[p + 1]! - first[p]!);
  let tableBits = 4;
  while (1 << tableBits < 2 * largest) tableBits++;
  const next = new Int32Array(new SharedArrayBuffer(4));
  const args = [
    first,
    objKeys,
    objNodes,
    edges.first,
    edgeKeys,
    extras.first,
    extraKeys,
    bits,
    tableBits,
    JOIN_CHUNK,
    next,
  ] as const;
  const other = helper.threads > 1 ? helper.run('joinPartitions', ...args) : null;
  const mine = joinPartitions(...args);
  return other ? [mine, await other] : [mine];
}

function copy(a: Uint32Array): Uint32Array {
  const out = sharedUint32(a.length);
  out.set(a);
  return out;
}

/** The Uint32 view the join writes its results through (each at twice its key's index). */
function u32(keys: Float64Array): Uint32Array {
  return new Uint32Array(keys.buffer, keys.byteOffset, keys.length * 2);
}
