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
 * the bytes on a match, so a shared middle costs a longer probe, never a wrong answer.
 */
export function hashEnds(bytes: Uint8Array, offsets: Uint32Array, id: number, seed: number): number {
  const start = offsets[id]!;
  const end = offsets[id + 1]!;
  let h = Math.imul((0x811c9dc5 ^ seed) >>> 0, 0x01000193) ^ (end - start);
  const head = Math.min(end, start + 8);
  for (let i = start; i < head; i++) h = Math.imul(h ^ bytes[i]!, 0x01000193);
  for (let i = Math.max(head, end - 8); i < end; i++) h = Math.imul(h ^ bytes[i]!, 0x01000193);
  return h >>> 0;
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

/**
 * A finding before its owners are named: the objects involved and what each would save, so owner
 * groups add up to the finding. `nodes` may be a prefix sample when `ownersOf` < `count`.
 */
export interface Candidate {
  kind: InsightKind;
  type: string;
  title: string;
  count: number;
  wastedBytes: number;
  estimate: string;
  remedy: string;
  nodes: Uint32Array;
  /** Bytes each node of `nodes` accounts for (its share of `wastedBytes`). */
  nodeWaste: Float64Array;
}

export const fmt = (n: number) => Math.round(n).toLocaleString('en-US');
