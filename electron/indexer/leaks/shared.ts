// New objects with more than one owner. A new object charged to a holder that does not dominate it
// (a Session in `_SESSION_CACHE` that a listener's defaults also reference) is held from elsewhere
// too: its other strong retainers, resolved to their holders, are its other owners. The object is
// charged to the holder on its shortest path only; the pairs recorded here let both suspects say so.
import type { GraphView } from '../diff/view';

/** Other owners recorded per object: a string held from thousands of places is not worth listing. */
const MAX_OWNERS = 8;

export interface SharedObjects {
  /** Parallel columns, one entry per (shared new object, other owner): the object and the other holder. */
  node: number[];
  other: number[];
}

/**
 * One pass over the new objects; only the topmost new object of each owner-less-dominated subtree
 * (its dominator already existed, or is a root) can be shared, and only those not dominated by their
 * holder have their retainers scanned, so the cost is linear in the shared objects' retainers.
 */
export function sharedObjects(
  view: GraphView,
  nodeIdx2Holder: Int32Array,
  matched: (v: number) => boolean,
): SharedObjects {
  const shared: SharedObjects = { node: [], other: [] };
  const dom = view.nodeIdx2Dominator;
  const retainers: number[] = [];
  const owners: number[] = [];
  for (let v = view.firstObject; v < view.nodeCount; v++) {
    const h = nodeIdx2Holder[v];
    // New roots (./new-roots.ts) are their own owners: what else references them is not a second leak.
    if (h < view.firstObject || matched(v) || !matched(h)) continue;
    const d = dom[v];
    if (d === h || (d >= view.firstObject && !matched(d))) continue;
    owners.length = 0;
    for (const r of view.strongRetainers(v, retainers)) {
      const q = matched(r) ? r : nodeIdx2Holder[r];
      if (q < view.firstObject || !matched(q) || q === h || owners.includes(q)) continue;
      if (owners.length === MAX_OWNERS) break;
      owners.push(q);
      shared.node.push(v);
      shared.other.push(q);
    }
  }
  return shared;
}
