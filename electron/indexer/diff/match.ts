// Which objects of the base are the same objects in the target. CPython has no object ids that
// survive across dumps, only addresses, so an object "survived" when the target has an object at the
// same address with the same type name.
//
// Address-reuse caveat: CPython's allocator reuses freed memory at once, so an object freed after the
// base and a new one of the same type allocated at the same address look like one survivor. Two
// checks narrow it. Immutable objects cannot change size (a str, bytes, int, float or tuple), so a
// size change at the same address means a new object. And a survivor keeps its role (`Roles`):
// without that, a `dict` that was a `Connection`'s `__dict__` and, at the same address, is now a
// `Node`'s reads as one dict; its old values' frees are charged to the Node, and the Connection dicts
// that took the addresses of other dicts gain values with no frees to net against, so bounded churn
// looks like growth (3.8–3.10, whose instance dicts are separate objects from one free list).
import type { GraphView } from './view';

export interface NodeMatch {
  /** target node → base node that is the same object, or -1 (new in the target). */
  targetIdx2BaseIdx: Int32Array;
  /** base node → target node that is the same object, or -1 (freed before the target). */
  baseIdx2TargetIdx: Int32Array;
  /** Type name → dense id shared by both snapshots (diff rows merge types by name). */
  typeNames: string[];
  baseTypeIdx2Name: Int32Array;
  targetTypeIdx2Name: Int32Array;
}

const IMMUTABLE = new Set(['str', 'bytes', 'int', 'float', 'complex', 'tuple', 'frozenset', 'range', 'code']);

export function matchNodes(base: GraphView, target: GraphView): NodeMatch {
  const names = new Map<string, number>();
  const typeNames: string[] = [];
  const canon = (view: GraphView) =>
    Int32Array.from(view.typeNames, (name) => {
      let id = names.get(name);
      if (id === undefined) {
        id = typeNames.length;
        typeNames.push(name);
        names.set(name, id);
      }
      return id;
    });
  const baseTypeIdx2Name = canon(base);
  const targetTypeIdx2Name = canon(target);
  const immutable = new Uint8Array(typeNames.length);
  typeNames.forEach((name, id) => {
    immutable[id] = IMMUTABLE.has(name) ? 1 : 0;
  });

  const targetIdx2BaseIdx = new Int32Array(target.nodeCount).fill(-1);
  const baseIdx2TargetIdx = new Int32Array(base.nodeCount).fill(-1);
  const first = Math.min(base.firstObject, target.firstObject);
  for (let v = 0; v < first; v++) {
    targetIdx2BaseIdx[v] = v;
    baseIdx2TargetIdx[v] = v;
  }
  const index = base.addressIndex();
  const bAddr = base.nodeIdx2Address;
  const tAddr = target.nodeIdx2Address;
  const bType = base.nodeIdx2Type;
  const tType = target.nodeIdx2Type;
  const bShallow = base.nodeIdx2Shallow;
  const tShallow = target.nodeIdx2Shallow;
  for (let t = target.firstObject; t < target.nodeCount; t++) {
    const b = index.get(tAddr[t]);
    if (b < base.firstObject || bAddr[b] !== tAddr[t]) continue;
    const name = targetTypeIdx2Name[tType[t]];
    if (baseTypeIdx2Name[bType[b]] !== name) continue;
    if (immutable[name] === 1 && bShallow[b] !== tShallow[t]) continue;
    targetIdx2BaseIdx[t] = b;
    baseIdx2TargetIdx[b] = t;
  }
  const roles = new Roles(base, target, baseTypeIdx2Name, targetTypeIdx2Name, baseIdx2TargetIdx);
  for (let t = target.firstObject; t < target.nodeCount; t++) {
    const b = targetIdx2BaseIdx[t];
    if (b < 0 || roles.same(b, t)) continue;
    targetIdx2BaseIdx[t] = -1;
    baseIdx2TargetIdx[b] = -1;
  }
  return { targetIdx2BaseIdx, baseIdx2TargetIdx, typeNames, baseTypeIdx2Name, targetTypeIdx2Name };
}

/**
 * Whether an address-matched pair plays the same role in both snapshots. It does when its owner in
 * the dominator tree has the same type (an array read: nearly every survivor), or when the object
 * that held it on its shortest path in the base still holds it (a registry that gained a second,
 * shorter path keeps its old holder), or when its shortest-path owner has the same type. Otherwise
 * (an instance dict now some other class's, a cell now in another kind of closure) it is another
 * object at a reused address. Both owner types must differ: the dominator alone moves up when a
 * survivor gains a second holder.
 */
class Roles {
  private readonly retainers: number[] = [];

  constructor(
    private readonly base: GraphView,
    private readonly target: GraphView,
    private readonly bCanonical: Int32Array,
    private readonly tCanonical: Int32Array,
    private readonly baseIdx2TargetIdx: Int32Array,
  ) {}

  same(b: number, t: number): boolean {
    const { base, target } = this;
    const bDom = base.nodeIdx2Dominator[b];
    const tDom = target.nodeIdx2Dominator[t];
    if (typeOf(base, bDom, this.bCanonical) === typeOf(target, tDom, this.tCanonical)) return true;
    const bParent = base.parentOf(b);
    const heldBefore = bParent >= base.firstObject ? this.baseIdx2TargetIdx[bParent] : -1;
    if (heldBefore >= 0 && target.strongRetainers(t, this.retainers).includes(heldBefore)) return true;
    return typeOf(base, bParent, this.bCanonical) === typeOf(target, target.parentOf(t), this.tCanonical);
  }
}

/** Canonical type of an owner; -1 for none, a root group or the super-root. */
function typeOf(view: GraphView, owner: number, canonical: Int32Array): number {
  return owner < view.firstObject ? -1 : canonical[view.nodeIdx2Type[owner]];
}
