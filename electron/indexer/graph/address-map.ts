// Address → node index. Addresses are 48-bit and 8-aligned; they are kept as exact float64 values.
//
// Two tables with one job each:
// - ResolveTable: used once, by the edges stage, for tens of millions of lookups. Key and node sit
//   side by side in one 16-byte slot (with the node's strong in-degree), so a lookup costs one cache
//   miss, not two, and counting the reference costs none.
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
  /**
   * Slot s is 16 bytes, one cache line with its neighbours: `keys[2s]` = address (float64),
   * `cells[4s + 2]` = node + 1 (0 = empty), `cells[4s + 3]` = strong references counted so far.
   * Counting in the slot the lookup already loaded saves a second random access per edge.
   */
  private readonly keys: Float64Array;
  private readonly cells: Uint32Array;
  private readonly shift: number;
  private readonly mask: number;

  constructor(count: number) {
    const bits = tableBits(count);
    const buffer = new ArrayBuffer(16 << bits);
    this.keys = new Float64Array(buffer);
    this.cells = new Uint32Array(buffer);
    this.shift = 32 - bits;
    this.mask = (1 << bits) - 1;
  }

  /**
   * Starts the cache misses of a batch of probes: the first slot of each address in
   * `addrs[from, to)` goes to `slots`, and that slot is read. These loads do not depend on each
   * other, so the CPU runs many at once; the probes that follow find their lines in cache. Probing
   * one address at a time instead waits out one miss (~150 ns on this kind of VM) per address,
   * because each probe loop's exit branch stalls the next.
   */
  prefetch(addrs: Float64Array, from: number, to: number, slots: Int32Array): void {
    const { cells, shift, mask } = this;
    let touched = 0;
    for (let e = from; e < to; e++) {
      const s = hashAddress(addrs[e]!, shift);
      slots[e - from] = s;
      // Four 16-byte slots share a cache line, and a probe runs past its first slot ~40 % of the
      // time at this load: touching slot s + 3 as well brings in the next line whenever a probe
      // of up to four slots would cross into it.
      touched |= cells[4 * s + 2]! | cells[4 * ((s + 3) & mask) + 2]!;
    }
    this.touched = touched;
  }

  /** Keeps the prefetch loads observable, so the compiler cannot drop them. */
  touched = 0;

  /** Inserts `v` at `addr`, probing from `slot`; returns the node already there when the address repeats, else -1. */
  insertAt(addr: number, v: number, slot: number): number {
    const { keys, cells } = this;
    let s = slot;
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

  /** Inserts `v` at `addr`; returns the node already there when the address repeats, else -1. */
  insert(addr: number, v: number): number {
    return this.insertAt(addr, v, hashAddress(addr, this.shift));
  }

  get(addr: number): number {
    return this.getAt(addr, hashAddress(addr, this.shift));
  }

  /** `get`, probing from `slot` (from `prefetch`). */
  getAt(addr: number, slot: number): number {
    const { keys, cells } = this;
    let s = slot;
    for (;;) {
      const cur = cells[4 * s + 2]!;
      if (cur === 0) return -1;
      if (keys[2 * s] === addr) return cur - 1;
      s = (s + 1) & this.mask;
    }
  }

  /** `getAt`, and counts one more strong reference to the node found. */
  getStrongAt(addr: number, slot: number): number {
    const { keys, cells } = this;
    let s = slot;
    for (;;) {
      const cur = cells[4 * s + 2]!;
      if (cur === 0) return -1;
      if (keys[2 * s] === addr) {
        cells[4 * s + 3]++;
        return cur - 1;
      }
      s = (s + 1) & this.mask;
    }
  }

  /** Moves the strong-reference counts into `out` (nodeIdx2StrongIn), one sequential pass. */
  strongCounts(out: Uint32Array): void {
    const cells = this.cells;
    for (let i = 2; i < cells.length; i += 4) {
      const cur = cells[i]!;
      if (cur !== 0) out[cur - 1] = cells[i + 1]!;
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
