// Holders grouped by signature, per interval: the unit a suspect is made of. A holder's signature is
// its path's (./signature.ts); a namespace slot's adds the slot's edge; a new root's says what kind of
// root it is and what it is (./new-roots.ts). Freed roots net against new roots of their signature.
import { HOLDER_NEW_ROOT, HOLDER_SLOT, type HolderGrowth, netBytes } from './holders';
import { rootSignature, rootUnit, threadRunsIn } from './new-roots';
import { foldEdge, SIG_SEPARATOR, type Signatures } from './signature';

export interface Group {
  signature: string;
  bytes: number;
  count: number;
  ownBytes: number;
  /** Objects replaced in place: per holder, new objects up to the number it freed (a str rebuilt by `+=`). */
  replaced: number;
  /** New roots minus freed roots of this signature (0 for ordinary holders). */
  roots: number;
  /** Holder slots (into the interval's HolderGrowth columns) in this group. */
  slots: number[];
}

export function slotSignature(g: HolderGrowth, s: number, signatures: Signatures): string {
  return signatures.text(slotSignatureId(g, s, signatures));
}

/** The id of slotSignature's text: an object's is its node's, memoised (no string built per holder). */
function slotSignatureId(g: HolderGrowth, s: number, signatures: Signatures): number {
  const h = g.holders[s];
  const kind = g.holderKind[s];
  if (kind === HOLDER_NEW_ROOT) return signatures.intern(rootSignature(g.diff.target, h));
  if (kind === HOLDER_SLOT) {
    const base = signatures.of(h);
    return signatures.intern(`${base}${SIG_SEPARATOR}${foldEdge(g.edgeText[s], 'dict-value')}:slot`);
  }
  return signatures.idOf(h);
}

export function groupBySignature(g: HolderGrowth, signatures: Signatures): Map<string, Group> {
  const groups = new Map<string, Group>();
  const get = (signature: string) => {
    let group = groups.get(signature);
    if (!group) {
      group = { signature, bytes: 0, count: 0, ownBytes: 0, replaced: 0, roots: 0, slots: [] };
      groups.set(signature, group);
    }
    return group;
  };
  // Per signature id: its group (an integer key; the text is hashed once per distinct signature).
  const byId = new Map<number, Group>();
  const units = new Map<Group, Set<string>>();
  for (let s = 0; s < g.holders.length; s++) {
    const id = slotSignatureId(g, s, signatures);
    let group = byId.get(id);
    if (group === undefined) {
      group = get(signatures.text(id));
      byId.set(id, group);
    }
    group.bytes += netBytes(g, s);
    group.count += g.newCount[s] - g.freedCount[s];
    group.ownBytes += g.ownBytes[s];
    group.replaced += Math.min(g.newCount[s], g.freedCount[s]);
    if (g.holderKind[s] === HOLDER_NEW_ROOT) {
      const seen = units.get(group) ?? new Set();
      const unit = rootUnit(g.diff.target, g.holders[s]);
      if (!threadRunsIn(g.diff.base, unit)) seen.add(unit);
      units.set(group, seen);
    }
    group.slots.push(s);
  }
  for (const [group, seen] of units) group.roots += seen.size;
  for (const [signature, freed] of g.freedRoots) {
    const group = get(signature);
    group.bytes -= freed.bytes;
    group.count -= freed.count;
    group.roots -= freed.roots;
  }
  return groups;
}
