// Address → node index for one snapshot: an open-addressing hash over typed arrays (no Map, no
// per-object JS objects), built once per snapshot that takes part in a diff. Addresses are CPython
// `id()` values; they fit a double exactly (user-space pointers are < 2^53).

const EMPTY = -1;

export class AddressIndex {
  private readonly slots: Int32Array;
  private readonly mask: number;

  constructor(private readonly addresses: Float64Array) {
    const n = addresses.length;
    let size = 16;
    while (size < n * 2) size *= 2;
    this.slots = new Int32Array(size).fill(EMPTY);
    this.mask = size - 1;
    for (let i = 0; i < n; i++) {
      if (addresses[i] === 0) continue; // synthetic nodes have no address
      let slot = hash(addresses[i]) & this.mask;
      while (this.slots[slot] !== EMPTY) slot = (slot + 1) & this.mask;
      this.slots[slot] = i;
    }
  }

  /** Node index at `address`, or -1. */
  get(address: number): number {
    let slot = hash(address) & this.mask;
    for (;;) {
      const i = this.slots[slot];
      if (i === EMPTY || this.addresses[i] === address) return i;
      slot = (slot + 1) & this.mask;
    }
  }
}

/** Mixes both halves: CPython addresses share high bits and are 16-aligned, so neither half alone spreads. */
function hash(address: number): number {
  const lo = (address % 0x100000000) >>> 0;
  const hi = Math.floor(address / 0x100000000) >>> 0;
  let h = Math.imul(lo ^ (lo >>> 4), 0x9e3779b1) ^ Math.imul(hi, 0x85ebca77);
  h ^= h >>> 15;
  return Math.imul(h, 0xc2b2ae3d) >>> 0;
}
