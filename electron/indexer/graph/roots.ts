// Roots: ROOT records resolved to nodes, plus the derived roots of docs/FORMAT.md: HELD_FROM_C (an
// object whose refcount exceeds the strong references found to it is held by something the snapshot
// cannot see) and the interpreter's (IMMORTAL objects: the interpreter keeps them whatever refers to
// them). The result is the synthetic part of the graph: super-root → groups → root objects.
import type { RawSnapshot } from '../format/reader';
import { OBJ_FLAG } from '../format/spec';
import { sharedUint8 } from '../parallel/shared';
import type { ResolvedEdges } from './edges';
import {
  FIRST_OBJECT,
  GROUP_HELD_FROM_C,
  GROUP_INTERPRETER,
  GROUP_UNREACHABLE,
  groupBit,
  groupOfRootKind,
  REAL_GROUPS,
  SUPER_ROOT,
} from './layout';

/** Out-edges of the synthetic nodes 0..7 in CSR form: targets of v are target[first[v]..first[v+1]). */
export interface SyntheticEdges {
  first: Uint32Array;
  target: Uint32Array;
}

export interface Roots {
  /** Bit (g-1) set when the node is a member of group g. */
  nodeIdx2RootGroups: Uint8Array;
  synthetic: SyntheticEdges;
  /** ROOT records that named an object in the file: node, label string id, group. */
  recordNode: Uint32Array;
  recordLabel: Uint32Array;
  recordGroup: Uint8Array;
  heldFromC: number;
}

export function buildRoots(raw: RawSnapshot, edges: ResolvedEdges): Roots {
  const n = raw.nodeBase + raw.objectCount;
  const groups = sharedUint8(n); // the helper reads it (dominators.ts `startLeaves`)
  const records = resolveRecords(raw, edges, groups);
  let heldFromC = 0;
  const { refcount, flags } = raw;
  const strongIn = edges.nodeIdx2StrongIn;
  const heldBit = groupBit(GROUP_HELD_FROM_C);
  const interpreterBit = groupBit(GROUP_INTERPRETER);
  for (let v = FIRST_OBJECT; v < n; v++) {
    if (flags[v]! & OBJ_FLAG.IMMORTAL) {
      groups[v] = groups[v]! | interpreterBit;
    } else if (refcount[v]! > strongIn[v]!) {
      groups[v] = groups[v]! | heldBit;
      heldFromC++;
    }
  }
  return {
    nodeIdx2RootGroups: groups,
    synthetic: syntheticEdges(groups, new Uint32Array(0)),
    ...records,
    heldFromC,
  };
}

function resolveRecords(raw: RawSnapshot, edges: ResolvedEdges, groups: Uint8Array) {
  const node: number[] = [];
  const label: number[] = [];
  const group: number[] = [];
  for (let i = 0; i < raw.rootAddress.length; i++) {
    const v = edges.rootNodes[i]!;
    if (v === 0xffffffff) continue; // the dumper's own objects are excluded; their roots are ignored
    const g = groupOfRootKind(raw.rootKind[i]!);
    groups[v] = groups[v]! | groupBit(g);
    node.push(v);
    label.push(raw.rootLabel[i]!);
    group.push(g);
  }
  return {
    recordNode: Uint32Array.from(node),
    recordLabel: Uint32Array.from(label),
    recordGroup: Uint8Array.from(group),
  };
}

/** Super-root → real groups → members; the unreachable group → `garbageRoots`. */
export function syntheticEdges(groups: Uint8Array, garbageRoots: Uint32Array): SyntheticEdges {
  const count = new Uint32Array(FIRST_OBJECT);
  count[SUPER_ROOT] = REAL_GROUPS.length;
  for (let v = FIRST_OBJECT; v < groups.length; v++) {
    const bits = groups[v]!;
    if (bits === 0) continue;
    for (const g of REAL_GROUPS) if (bits & groupBit(g)) count[g]++;
  }
  count[GROUP_UNREACHABLE] = garbageRoots.length;
  const first = new Uint32Array(FIRST_OBJECT + 1);
  for (let g = 0; g < FIRST_OBJECT; g++) first[g + 1] = first[g]! + count[g]!;
  const target = new Uint32Array(first[FIRST_OBJECT]!);
  const cursor = first.slice(0, FIRST_OBJECT);
  for (const g of REAL_GROUPS) target[cursor[SUPER_ROOT]++] = g;
  for (let v = FIRST_OBJECT; v < groups.length; v++) {
    const bits = groups[v]!;
    if (bits === 0) continue;
    for (const g of REAL_GROUPS) if (bits & groupBit(g)) target[cursor[g]++] = v;
  }
  target.set(garbageRoots, cursor[GROUP_UNREACHABLE]!);
  return { first, target };
}

/**
 * `synthetic` with the unreachable group's row replaced by `garbageRoots`. The real groups' rows are
 * copied, not recounted: at 10M objects each pass over the root-group bits costs ~20 ms, and the
 * dominator stage needs this twice.
 */
export function withGarbageRoots(synthetic: SyntheticEdges, garbageRoots: Uint32Array): SyntheticEdges {
  const row = (g: number) =>
    g === GROUP_UNREACHABLE
      ? garbageRoots
      : synthetic.target.subarray(synthetic.first[g]!, synthetic.first[g + 1]!);
  const first = new Uint32Array(FIRST_OBJECT + 1);
  for (let g = 0; g < FIRST_OBJECT; g++) first[g + 1] = first[g]! + row(g).length;
  const target = new Uint32Array(first[FIRST_OBJECT]!);
  for (let g = 0; g < FIRST_OBJECT; g++) target.set(row(g), first[g]!);
  return { first, target };
}
