// What every insights call of a snapshot reads and no call changes, made during the load (its
// `insights` stage) so that the first call of a process does only what later calls do: the
// namespace bitset, every str/bytes value's hash, and the scratch buffers' pages (a fresh page
// costs a fault on first write: ~6 µs here, ~8,000 of them at 10M objects).
import type { HeapGraph } from '../graph/heap-graph';
import { namespaceBits } from './collections';
import { valueHashesOf } from './duplicates';
import { nodesOf } from './kinds';
import { SCRATCH, scratchOf } from './scratch';

export function prepareInsights(g: HeapGraph): void {
  namespaceBits(g);
  const hashes = valueHashesOf(g);
  // The sizes the analyses ask (dict-scan.ts, duplicates.ts, slots.ts); were one to ask more, its
  // buffer is replaced then, at the cost of the faults saved here.
  const dicts = nodesOf(g, 'dict').length;
  const scratch = scratchOf(g);
  scratch.u32(SCRATCH.A, dicts).fill(0);
  scratch.u32(SCRATCH.B, Math.max(dicts, 2 * hashes.hashed)).fill(0);
  scratch.u8(SCRATCH.C, dicts).fill(0);
  scratch.i32(SCRATCH.D, (g.nodeCount + 31) >>> 5).fill(0);
}
