// Which objects of the base are the same objects in the target. CPython has no object ids that
// survive across dumps, only addresses, so an object "survived" when the target has an object at the
// same address with the same type name.
//
// Address-reuse caveat: CPython's allocator reuses freed memory at once, so an object freed after the
// base and a new one of the same type allocated at the same address look like one survivor. That
// undercounts new and freed objects (never invents them). Immutable objects narrow it: a str, bytes,
// int, float or tuple cannot change size, so a size change at the same address means a new object.
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
  return { targetIdx2BaseIdx, baseIdx2TargetIdx, typeNames, baseTypeIdx2Name, targetTypeIdx2Name };
}
