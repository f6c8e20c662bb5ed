// What every analysis needs first: each TYPE record classified once (str, list, dict, …) so a scan
// over millions of objects compares a byte per object, and string ids compared by content.
import type { InsightKind } from '../../shared/contract';
import type { HeapGraph } from '../graph/heap-graph';

export const K = {
  OTHER: 0,
  STR: 1,
  BYTES: 2,
  LIST: 3,
  TUPLE: 4,
  DICT: 5,
  SET: 6,
  FLOAT: 7,
  INT: 8,
  /** A class defined in Python code (`module.QualName`): a candidate for `__slots__`. */
  USER_CLASS: 9,
  TYPE: 10,
} as const;

const BUILTIN_KINDS: Record<string, number> = {
  str: K.STR,
  bytes: K.BYTES,
  list: K.LIST,
  tuple: K.TUPLE,
  dict: K.DICT,
  set: K.SET,
  float: K.FLOAT,
  int: K.INT,
  type: K.TYPE,
};

/** typeIdx2Kind: one byte per TYPE record (a class defined twice has two records, one kind). */
export function typeKinds(g: HeapGraph): Uint8Array {
  const t = g.types;
  const kinds = new Uint8Array(t.typeIdx2Name.length);
  for (let i = 0; i < kinds.length; i++) {
    const name = t.names[t.typeIdx2Name[i]!]!;
    const builtin = BUILTIN_KINDS[name];
    // Builtins are written without a module; `module.QualName` is a class from Python source (or an
    // extension type: its instances have no `__dict__` edge and are skipped by the slots analysis).
    kinds[i] = builtin ?? (name.includes('.') ? K.USER_CLASS : K.OTHER);
  }
  return kinds;
}

/**
 * The objects of one type name, in node order: a view of the type index (no copy). Analyses walk
 * these instead of every node. (Reading `g.x` in a hot loop is slow: HeapGraph is a large object, so
 * loops copy the arrays they read into locals first.)
 */
export function nodesOf(g: HeapGraph, name: string): Uint32Array {
  const t = g.types;
  const k = t.nameIndex.get(name);
  if (k === undefined) return new Uint32Array(0);
  return t.nameNodesByIndex.subarray(t.nameFirst[k]!, t.nameFirst[k + 1]!);
}

/** FNV-1a over string `id`'s UTF-8 bytes, seeded: equal strings hash equal whatever their id. */
export function hashString(bytes: Uint8Array, offsets: Uint32Array, id: number, seed: number): number {
  let h = (0x811c9dc5 ^ seed) >>> 0;
  for (let i = offsets[id]!, end = offsets[id + 1]!; i < end; i++) {
    h = Math.imul(h ^ bytes[i]!, 0x01000193);
  }
  return h >>> 0;
}

/**
 * A hash of string `id`'s length and its first and last 8 bytes: O(1) a string, where most of what
 * varies between values lies (ids, counters, suffixes). Equal strings hash equal; callers compare
 * the bytes on a match, so a shared middle costs a longer probe, never a wrong answer. `view` is a
 * DataView over `bytes`: four 32-bit reads for a string of 8 bytes or more, not 16 byte reads.
 */
export function hashEnds(
  view: DataView,
  bytes: Uint8Array,
  offsets: Uint32Array,
  id: number,
  seed: number,
): number {
  const start = offsets[id]!;
  const end = offsets[id + 1]!;
  let h = (seed ^ Math.imul(end - start, 0x9e3779b1)) | 0;
  if (end - start >= 8) {
    h = mix(h, view.getUint32(start, true));
    h = mix(h, view.getUint32(start + 4, true));
    h = mix(h, view.getUint32(end - 8, true));
    h = mix(h, view.getUint32(end - 4, true));
  } else {
    for (let i = start; i < end; i++) h = mix(h, bytes[i]!);
  }
  return finalized(h);
}

/**
 * A str/bytes value's hash for grouping duplicates: hashEnds (O(1)) when the ends are the whole
 * value (≤ 16 bytes), else every byte, a 32-bit word at a time (the last word overlaps the one
 * before it when the length is not a multiple of 4). Real values often share their length and both
 * ends and differ only inside — URLs with an id in the middle (`/item/1737?x=1`), JSON bodies
 * (`{"path": "…", "items": [0, …, 19]}`) — and thousands of distinct values with one hash made
 * one probe chain: grouping a real service's 30,000 cached responses took a minute.
 */
export function valueHash(
  view: DataView,
  bytes: Uint8Array,
  offsets: Uint32Array,
  id: number,
  seed: number,
): number {
  const start = offsets[id]!;
  const end = offsets[id + 1]!;
  let h = (seed ^ Math.imul(end - start, 0x9e3779b1)) | 0;
  // hashEnds' steps written out, not called: the hashing loop then inlines one function, where the
  // call to hashEnds stayed a call (hashing 2.7M short values took ~1.5× as long).
  if (end - start > 16) {
    for (let i = start; i < end - 4; i += 4) h = mix(h, view.getUint32(i, true));
    h = mix(h, view.getUint32(end - 4, true));
  } else if (end - start >= 8) {
    h = mix(h, view.getUint32(start, true));
    h = mix(h, view.getUint32(start + 4, true));
    h = mix(h, view.getUint32(end - 8, true));
    h = mix(h, view.getUint32(end - 4, true));
  } else {
    for (let i = start; i < end; i++) h = mix(h, bytes[i]!);
  }
  return finalized(h);
}

/** murmur3's finalizer: the high bits pick partitions, the low bits table slots. */
function finalized(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

/** murmur3's step for one 32-bit word. */
function mix(h: number, word: number): number {
  let k = Math.imul(word, 0xcc9e2d51);
  k = (k << 15) | (k >>> 17);
  h ^= Math.imul(k, 0x1b873593);
  h = (h << 13) | (h >>> 19);
  return (Math.imul(h, 5) + 0xe6546b64) | 0;
}

/** A DataView over a byte array's own range (hashEnds' 32-bit reads). */
export function dataView(bytes: Uint8Array): DataView {
  return new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

export function sameString(bytes: Uint8Array, offsets: Uint32Array, a: number, b: number): boolean {
  if (a === b) return true;
  const la = offsets[a + 1]! - offsets[a]!;
  if (la !== offsets[b + 1]! - offsets[b]!) return false;
  for (let i = 0, pa = offsets[a]!, pb = offsets[b]!; i < la; i++) {
    if (bytes[pa + i] !== bytes[pb + i]) return false;
  }
  return true;
}

/** Every object of a finding and the bytes each accounts for (owner groups add up to the finding). */
export interface Members {
  nodes: Uint32Array;
  nodeWaste: Float64Array;
}

/** A finding before its owners are named; its objects are gathered only when asked for. */
export interface Candidate {
  kind: InsightKind;
  type: string;
  title: string;
  count: number;
  wastedBytes: number;
  estimate: string;
  remedy: string;
  /** All `count` objects (memoized: owners, then pages of objects, read the same arrays). */
  members(): Members;
}

/** `gather` run once, on first use. */
export function lazyMembers(gather: () => Members): () => Members {
  let m: Members | null = null;
  return () => {
    m ??= gather();
    return m;
  };
}

/**
 * One analysis's findings, largest saving first, built one at a time (`at`): a page of 20 of
 * 100,000 duplicated values decodes 20 values. Totals cover every finding.
 */
export interface Ranked {
  size: number;
  findings: number;
  count: number;
  waste: number;
  at(rank: number): Candidate;
  /** The objects of every finding together (each object is in one finding of a kind). */
  allMembers(): Members;
}

/** A Ranked over candidates already built (the analyses with a few findings). */
export function rankedList(all: Candidate[]): Ranked {
  const sorted = [...all].sort((a, b) => b.wastedBytes - a.wastedBytes);
  return {
    size: sorted.length,
    findings: sorted.length,
    count: sorted.reduce((s, c) => s + c.count, 0),
    waste: sorted.reduce((s, c) => s + c.wastedBytes, 0),
    at: (rank) => sorted[rank]!,
    allMembers: () => concatMembers(sorted.map((c) => c.members())),
  };
}

export function concatMembers(parts: Members[]): Members {
  const n = parts.reduce((s, p) => s + p.nodes.length, 0);
  const nodes = new Uint32Array(n);
  const nodeWaste = new Float64Array(n);
  let at = 0;
  for (const p of parts) {
    nodes.set(p.nodes, at);
    nodeWaste.set(p.nodeWaste, at);
    at += p.nodes.length;
  }
  return { nodes, nodeWaste };
}

/** Fills a growable node/waste pair: for gathering members whose number is known only at the end. */
export class MemberList {
  nodes = new Uint32Array(64);
  waste = new Float64Array(64);
  length = 0;

  push(v: number, w: number): void {
    if (this.length === this.nodes.length) {
      const nodes = new Uint32Array(this.length * 2);
      nodes.set(this.nodes);
      this.nodes = nodes;
      const waste = new Float64Array(this.length * 2);
      waste.set(this.waste);
      this.waste = waste;
    }
    this.nodes[this.length] = v;
    this.waste[this.length++] = w;
  }

  done(): Members {
    return { nodes: this.nodes.slice(0, this.length), nodeWaste: this.waste.slice(0, this.length) };
  }
}

/**
 * n rounded, with thousands separators as en-US writes them ("1,234,567"). Written by hand: a
 * process's first toLocaleString costs ~27 ms (ICU's number formats are set up), more than the
 * rest of a small snapshot's insights. What is no safe integer (or −0) is left to ICU.
 */
export function fmt(n: number): string {
  const r = Math.round(n);
  if (!Number.isSafeInteger(r) || Object.is(r, -0)) return r.toLocaleString('en-US');
  const digits = String(Math.abs(r));
  let out = digits.slice(0, ((digits.length - 1) % 3) + 1);
  for (let i = out.length; i < digits.length; i += 3) out += `,${digits.slice(i, i + 3)}`;
  return r < 0 ? `-${out}` : out;
}
