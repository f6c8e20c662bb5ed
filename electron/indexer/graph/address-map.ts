// Address → node index. Addresses are 48-bit and 8-aligned; they are kept as exact float64 values.
//
// Two tables with one job each:
// - ResolveTable: used once, by the edges stage, for tens of millions of lookups. Key and node sit
//   side by side in one 16-byte slot (with the node's strong in-degree), so a lookup costs one cache
//   miss, not two, and counting the reference costs none.
//   Freed when the stage ends.
// - AddressMap: kept for queries (search by address, diff matching). Slots hold only node indices
//   (4 bytes) and compare against the address column; built lazily on the first lookup.
import { hashAddress } from '../parallel/kernels';
import { prefaulted } from '../parallel/shared';

function tableBits(count: number): number {
  let bits = 4;
  while (1 << bits < count / 0.6) bits++;
  return bits;
}

export class ResolveTable {
  /**
   * Slot s is 16 bytes, one cache line with its neighbours: `keys[2s]` = address (float64),
   * `cells[4s + 2]` = node + 1 (0 = empty), `cells[4s + 3]` = strong references counted so far
   * (two 16-bit counts: see `strongCounts`).
   * Counting in the slot the lookup already loaded saves a second random access per edge. The
   * buffer is shared: the edges stage fills and probes it from two threads (parallel/kernels.ts).
   */
  readonly keys: Float64Array;
  readonly cells: Uint32Array;
  readonly shift: number;
  private readonly mask: number;

  constructor(count: number) {
    const bits = tableBits(count);
    const buffer = new SharedArrayBuffer(16 << bits);
    this.keys = new Float64Array(buffer);
    this.cells = new Uint32Array(buffer);
    prefaulted(this.cells); // it is filled and probed at random (see parallel/shared.ts)
    this.shift = 32 - bits;
    this.mask = (1 << bits) - 1;
  }

  get slotCount(): number {
    return this.mask + 1;
  }

  /** Inserts `v` at `addr`; returns the node already there when the address repeats, else -1. */
  insert(addr: number, v: number): number {
    const { keys, cells } = this;
    let s = hashAddress(addr, this.shift);
    for (;;) {
      const cur = cells[4 * s + 2]!;
      if (cur === 0) {
        keys[2 * s] = addr;
        cells[4 * s + 2] = v + 1;
        return -1;
      }
      if (keys[2 * s] === addr) return cur - 1;
      s = (s + 1) & this.mask;
    }
  }

  get(addr: number): number {
    const { keys, cells } = this;
    let s = hashAddress(addr, this.shift);
    for (;;) {
      const cur = cells[4 * s + 2]!;
      if (cur === 0) return -1;
      if (keys[2 * s] === addr) return cur - 1;
      s = (s + 1) & this.mask;
    }
  }

  /**
   * Moves the strong-reference counts into `out` (nodeIdx2StrongIn), one sequential pass. The
   * count word holds two 16-bit counts, one per thread (parallel/kernels.ts `resolveTargets`), and
   * `overflow` lists a node once per 65,536 references a half wrapped past.
   */
  strongCounts(out: Uint32Array, overflow: readonly number[]): void {
    const cells = this.cells;
    for (let i = 2; i < cells.length; i += 4) {
      const cur = cells[i]!;
      if (cur !== 0) out[cur - 1] = (cells[i + 1]! & 0xffff) + (cells[i + 1]! >>> 16);
    }
    for (const v of overflow) out[v]! += 0x10000;
  }
}

export class AddressMap {
  private slots: Uint32Array | null = null;
  private shift = 0;
  private mask = 0;

  /** `address[v]` for v in [first, address.length) are the keys. */
  constructor(
    private readonly address: Float64Array,
    private readonly first: number,
  ) {}

  private build(): Uint32Array {
    const bits = tableBits(this.address.length - this.first);
    this.slots = new Uint32Array(1 << bits);
    this.shift = 32 - bits;
    this.mask = (1 << bits) - 1;
    for (let v = this.first; v < this.address.length; v++) this.insert(v);
    return this.slots;
  }

  private hash(addr: number): number {
    return hashAddress(addr, this.shift);
  }

  /** Inserts node `v` (keyed by address[v]); returns the node already there when the address repeats. */
  private insert(v: number): number {
    const slots = this.slots!;
    const addr = this.address[v]!;
    let s = this.hash(addr);
    for (;;) {
      const cur = slots[s]!;
      if (cur === 0) {
        slots[s] = v + 1;
        return -1;
      }
      if (this.address[cur - 1] === addr) return cur - 1;
      s = (s + 1) & this.mask;
    }
  }

  /** Node at `addr`, or -1. The first call builds the table. */
  get(addr: number): number {
    const slots = this.slots ?? this.build();
    let s = this.hash(addr);
    for (;;) {
      const cur = slots[s]!;
      if (cur === 0) return -1;
      if (this.address[cur - 1] === addr) return cur - 1;
      s = (s + 1) & this.mask;
    }
  }

  byteLength(): number {
    return this.slots?.byteLength ?? 0;
  }
}
