// Holders grouped by signature, per interval: the unit a suspect is made of.
import { type HolderGrowth, netBytes } from './holders';
import type { Signatures } from './signature';

export interface Group {
  signature: string;
  bytes: number;
  count: number;
  ownBytes: number;
  /** Holder slots (into the interval's HolderGrowth columns) in this group. */
  slots: number[];
}

export function groupBySignature(g: HolderGrowth, signatures: Signatures): Map<string, Group> {
  const groups = new Map<string, Group>();
  for (let s = 0; s < g.holders.length; s++) {
    const signature = signatures.of(g.holders[s]);
    let group = groups.get(signature);
    if (!group) {
      group = { signature, bytes: 0, count: 0, ownBytes: 0, slots: [] };
      groups.set(signature, group);
    }
    group.bytes += netBytes(g, s);
    group.count += g.newCount[s] - g.freedCount[s];
    group.ownBytes += g.ownBytes[s];
    group.slots.push(s);
  }
  return groups;
}
