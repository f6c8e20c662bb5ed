// Search by type name (ignoring case), label text (case-sensitive substring) or address. Matching
// labels are found by scanning the string blob with native indexOf, then one pass over the node
// label/type columns collects the objects.
import type { HeapGraph } from '../graph/heap-graph';
import { FIRST_OBJECT } from '../graph/layout';

const ADDRESS = /^0x[0-9a-f]+$/i;

/** Nodes matching `query`, unordered. */
export function searchNodes(g: HeapGraph, query: string): Uint32Array {
  const q = query.trim();
  if (q === '') return new Uint32Array(0);
  if (ADDRESS.test(q)) {
    // One linear scan (~10 ms at 10M objects) instead of building a hash table for one lookup.
    const target = Number.parseInt(q.slice(2), 16);
    const i = g.address.indexOf(target, FIRST_OBJECT);
    return i >= 0 ? Uint32Array.of(i) : new Uint32Array(0);
  }
  const lower = q.toLowerCase();
  const nameMatch = new Uint8Array(g.types.names.length);
  let anyName = false;
  g.types.names.forEach((name, k) => {
    if (name.toLowerCase().includes(lower)) {
      nameMatch[k] = 1;
      anyName = true;
    }
  });
  const labelMatch = new Uint8Array(g.strings.count + 1);
  const anyLabel = g.strings.markContaining(q, labelMatch) > 0;
  if (!anyName && !anyLabel) return new Uint32Array(0);
  return collect(g, nameMatch, labelMatch);
}

function collect(g: HeapGraph, nameMatch: Uint8Array, labelMatch: Uint8Array): Uint32Array {
  const { label, type } = g;
  const typeIdx2Name = g.types.typeIdx2Name;
  const none = labelMatch.length - 1; // NONE32 labels index past the end and read undefined
  const out: number[] = [];
  for (let v = FIRST_OBJECT; v < g.nodeCount; v++) {
    const l = label[v]!;
    if (nameMatch[typeIdx2Name[type[v]!]!] === 1 || (l < none && labelMatch[l] === 1)) out.push(v);
  }
  return Uint32Array.from(out);
}
