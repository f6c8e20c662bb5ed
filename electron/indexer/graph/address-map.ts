// Address → node index, as an open-addressing hash (linear probing) in one Uint32Array. Keys are the
// addresses already stored in the node address column, so a slot costs 4 bytes. Addresses are 48-bit
// and 8-aligned; they are kept as exact float64 values.

export class AddressMap {
  private readonly slots: Uint32Array;
  private readonly shift: number;
  private readonly mask: number;

  /** `address[v]` for v in [first, end) are the keys. */
  constructor(
    private readonly address: Float64Array,
    capacityFor: number,
  ) {
    let bits = 4;
    while (1 << bits < capacityFor / 0.6) bits++;
    this.slots = new Uint32Array(1 << bits);
    this.shift = 32 - bits;
    this.mask = (1 << bits) - 1;
  }

  private hash(addr: number): number {
    const hi = (addr / 4294967296) | 0;
    const lo = (addr - hi * 4294967296) | 0;
    // Drop the 3 always-zero alignment bits, fold in the high word, Fibonacci-hash.
    return Math.imul((lo >>> 3) ^ Math.imul(hi, 0x27d4eb2d), 0x9e3779b1) >>> this.shift;
  }

  /** Inserts node `v` (keyed by address[v]); returns the node already there when the address repeats. */
  insert(v: number): number {
    const addr = this.address[v]!;
    let s = this.hash(addr);
    for (;;) {
      const cur = this.slots[s]!;
      if (cur === 0) {
        this.slots[s] = v + 1;
        return -1;
      }
      if (this.address[cur - 1] === addr) return cur - 1;
      s = (s + 1) & this.mask;
    }
  }

  /** Node at `addr`, or -1. */
  get(addr: number): number {
    let s = this.hash(addr);
    for (;;) {
      const cur = this.slots[s]!;
      if (cur === 0) return -1;
      if (this.address[cur - 1] === addr) return cur - 1;
      s = (s + 1) & this.mask;
    }
  }

  byteLength(): number {
    return this.slots.byteLength;
  }
}
