// Duplicate str and bytes values: distinct objects with one value. Keeping one copy saves
// (copies − 1) × size. Only values whose label is the complete value count (LABEL_TRUNCATED and
// REDACTED unset) and copies must have equal sizes; the rest is reported as not counted.
// Grouping is one pass with an open-addressing hash table over typed arrays (no per-object objects).
import { NONE32, OBJ_FLAG } from '../format/spec';
import type { HeapGraph } from '../graph/heap-graph';
import { type Candidate, fmt, hashEnds, K, nodesOf, sameString } from './kinds';

/** Objects per finding whose owners are named (the rest are counted in the finding, not attributed). */
export const OWNER_SAMPLE = 20_000;

export interface DuplicateResult {
  candidates: Candidate[];
  /** All duplicated values, not only the listed ones. */
  totalGroups: number;
  totalCopies: number;
  totalWaste: number;
  skippedTruncated: { count: number; bytes: number };
  skippedRedacted: number;
}

export function findDuplicates(g: HeapGraph, kinds: Uint8Array, limit: number): DuplicateResult {
  const skippedTruncated = { count: 0, bytes: 0 };
  let skippedRedacted = 0;
  const strs = nodesOf(g, 'str');
  const byteses = nodesOf(g, 'bytes');
  const cand = new Uint32Array(strs.length + byteses.length);
  const { flags, label, size } = g;
  let m = 0;
  for (const nodes of [strs, byteses]) {
    for (let i = 0; i < nodes.length; i++) {
      const v = nodes[i]!;
      const f = flags[v]!;
      if (f & OBJ_FLAG.REDACTED) skippedRedacted++;
      else if (f & OBJ_FLAG.LABEL_TRUNCATED || label[v] === NONE32) {
        skippedTruncated.count++;
        skippedTruncated.bytes += size[v]!;
      } else cand[m++] = v;
    }
  }
  const { groupOf, groupRep, groupCount, groups } = group(g, kinds, cand, m);
  let totalGroups = 0;
  let totalCopies = 0;
  let totalWaste = 0;
  const dup: number[] = [];
  for (let q = 0; q < groups; q++) {
    if (groupCount[q]! < 2) continue;
    totalGroups++;
    totalCopies += groupCount[q]!;
    totalWaste += (groupCount[q]! - 1) * g.size[groupRep[q]!]!;
    dup.push(q);
  }
  const waste = (q: number) => (groupCount[q]! - 1) * g.size[groupRep[q]!]!;
  dup.sort((a, b) => waste(b) - waste(a));
  const top = dup.slice(0, limit);
  const candidates = members(cand, m, groupOf, groups, top, groupCount).map((nodes, i) =>
    toCandidate(g, kinds, groupRep[top[i]!]!, groupCount[top[i]!]!, nodes),
  );
  return { candidates, totalGroups, totalCopies, totalWaste, skippedTruncated, skippedRedacted };
}

/** Groups the candidates by (kind, size, value): groupOf[i] for cand[i]. */
function group(g: HeapGraph, kinds: Uint8Array, cand: Uint32Array, m: number) {
  const bytes = g.strings.bytes();
  const offsets = g.strings.offsets;
  const { label: labels, size: sizes, type: types } = g;
  let cap = 1024;
  while (cap < m * 2) cap *= 2;
  const table = new Int32Array(cap).fill(-1);
  const groupOf = new Uint32Array(m);
  const groupRep = new Uint32Array(m);
  const groupCount = new Uint32Array(m);
  let groups = 0;
  for (let i = 0; i < m; i++) {
    const v = cand[i]!;
    const label = labels[v]!;
    const size = sizes[v]!;
    const kind = kinds[types[v]!]!;
    let slot = hashEnds(bytes, offsets, label, size * 31 + kind) & (cap - 1);
    for (;;) {
      const q = table[slot]!;
      if (q === -1) {
        table[slot] = groups;
        groupRep[groups] = v;
        groupCount[groups] = 1;
        groupOf[i] = groups++;
        break;
      }
      const r = groupRep[q]!;
      if (sizes[r] === size && kinds[types[r]!] === kind && sameString(bytes, offsets, labels[r]!, label)) {
        groupCount[q]!++;
        groupOf[i] = q;
        break;
      }
      slot = (slot + 1) & (cap - 1);
    }
  }
  return { groupOf, groupRep, groupCount, groups };
}

/** The nodes of each listed group (at most OWNER_SAMPLE each), in one pass over the candidates. */
function members(
  cand: Uint32Array,
  m: number,
  groupOf: Uint32Array,
  groups: number,
  top: number[],
  groupCount: Uint32Array,
): Uint32Array[] {
  const slotOf = new Int32Array(groups).fill(-1);
  const out = top.map((q, i) => {
    slotOf[q] = i;
    return new Uint32Array(Math.min(groupCount[q]!, OWNER_SAMPLE));
  });
  const filled = new Uint32Array(top.length);
  for (let i = 0; i < m; i++) {
    const s = slotOf[groupOf[i]!]!;
    if (s === -1 || filled[s]! >= out[s]!.length) continue;
    out[s]![filled[s]!++] = cand[i]!;
  }
  return out;
}

function toCandidate(
  g: HeapGraph,
  kinds: Uint8Array,
  rep: number,
  copies: number,
  nodes: Uint32Array,
): Candidate {
  const isStr = kinds[g.type[rep]!] === K.STR;
  const size = g.size[rep]!;
  const value = g.strings.get(g.label[rep]!);
  const shown = isStr
    ? JSON.stringify(value.length > 60 ? `${value.slice(0, 60)}…` : value)
    : value.slice(0, 62);
  const wasted = (copies - 1) * size;
  return {
    kind: 'duplicate-values',
    type: isStr ? 'str' : 'bytes',
    title: `${shown} (${isStr ? 'str' : 'bytes'}, ${fmt(size)} B): ${fmt(copies)} copies`,
    count: copies,
    wastedBytes: wasted,
    estimate: `(${fmt(copies)} − 1) × ${fmt(size)} B`,
    remedy: isStr
      ? 'Keep one copy: sys.intern() the value where it is made or parsed (field names, enum-like values, repeated keys), or deduplicate at load with a dict (s = seen.setdefault(s, s)).'
      : 'Keep one copy: deduplicate at load with a dict (b = seen.setdefault(b, b)); bytes cannot be interned.',
    nodes,
    // Each copy carries an equal share, so owners' bytes add up to the finding's.
    nodeWaste: new Float64Array(nodes.length).fill(wasted / copies),
  };
}
