// Address → node index for queries (search by address, diff matching). Addresses are 48-bit and
// 8-aligned; they are kept as exact float64 values. Slots hold only node indices (4 bytes) and
// compare against the address column; the table is built lazily on the first lookup. (The edges
// stage resolves its tens of millions of addresses without it: graph/address-join.ts.)
import { hashAddress } from '../parallel/join';

function tableBits(count: number): number {
  let bits = 4;
  while (1 << bits < count / 0.6) bits++;
  return bits;
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
