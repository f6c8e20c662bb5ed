// Address → node index. Addresses are 48-bit and 8-aligned; they are kept as exact float64 values.
//
// Two tables with one job each:
// - ResolveTable: used once, by the edges stage, for tens of millions of lookups. Key and node sit
//   side by side in one Float64Array (16 bytes a slot), so a lookup costs one cache miss, not two.
//   Freed when the stage ends.
// - AddressMap: kept for queries (search by address, diff matching). Slots hold only node indices
//   (4 bytes) and compare against the address column; built lazily on the first lookup.

function tableBits(count: number): number {
  let bits = 4;
  while (1 << bits < count / 0.6) bits++;
  return bits;
}

/** Fibonacci hash of an address to `32 - shift` bits, ignoring the 3 always-zero alignment bits. */
function hashAddress(addr: number, shift: number): number {
  const hi = (addr / 4294967296) | 0;
  const lo = (addr - hi * 4294967296) | 0;
  return Math.imul((lo >>> 3) ^ Math.imul(hi, 0x27d4eb2d), 0x9e3779b1) >>> shift;
}

export class ResolveTable {
  /** slot s: [2s] = address, [2s + 1] = node + 1 (0 = empty). */
  private readonly slots: Float64Array;
  private readonly shift: number;
  private readonly mask: number;

  constructor(count: number) {
    const bits = tableBits(count);
    this.slots = new Float64Array(2 << bits);
    this.shift = 32 - bits;
    this.mask = (1 << bits) - 1;
  }

  /** Inserts `v` at `addr`; returns the node already there when the address repeats, else -1. */
  insert(addr: number, v: number): number {
    const slots = this.slots;
    let s = hashAddress(addr, this.shift);
    for (;;) {
      const cur = slots[2 * s + 1]!;
      if (cur === 0) {
        slots[2 * s] = addr;
        slots[2 * s + 1] = v + 1;
        return -1;
      }
      if (slots[2 * s] === addr) return cur - 1;
      s = (s + 1) & this.mask;
    }
  }

  get(addr: number): number {
    const slots = this.slots;
    let s = hashAddress(addr, this.shift);
    for (;;) {
      const cur = slots[2 * s + 1]!;
      if (cur === 0) return -1;
      if (slots[2 * s] === addr) return cur - 1;
      s = (s + 1) & this.mask;
    }
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
