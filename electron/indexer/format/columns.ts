// Views of fixed-width columns inside a section payload. A column is viewed in place when its
// address is aligned to its width, and copied to an aligned buffer otherwise (buffer sources and
// inflated payloads can start anywhere).

function aligned(bytes: Uint8Array, offset: number, length: number, width: number): Uint8Array {
  if ((bytes.byteOffset + offset) % width === 0) return bytes.subarray(offset, offset + length);
  return bytes.slice(offset, offset + length);
}

export function u32Column(bytes: Uint8Array, offset: number, count: number): Uint32Array {
  const b = aligned(bytes, offset, count * 4, 4);
  return new Uint32Array(b.buffer, b.byteOffset, count);
}

export function u16Column(bytes: Uint8Array, offset: number, count: number): Uint16Array {
  const b = aligned(bytes, offset, count * 2, 2);
  return new Uint16Array(b.buffer, b.byteOffset, count);
}

export function u8Column(bytes: Uint8Array, offset: number, count: number): Uint8Array {
  return bytes.subarray(offset, offset + count);
}

/**
 * Copies a u64 column into `out` from `at` as float64, and returns whether every value is below
 * 2^53, where the conversion is exact. Addresses are 48-bit (57 with 5-level paging) and sizes far
 * smaller, so a value past that is corruption; the caller refuses the file. (The indexer keys
 * everything by exact addresses, and the edges stage encodes a weak edge as -address - 1.)
 */
export function copyU64Column(
  bytes: Uint8Array,
  offset: number,
  count: number,
  out: Float64Array,
  at: number,
): boolean {
  const words = u32Column(bytes, offset, count * 2);
  let high = 0;
  for (let i = 0; i < count; i++) {
    const hi = words[2 * i + 1]!;
    high |= hi;
    out[at + i] = hi * 4294967296 + words[2 * i]!;
  }
  return high >>> 21 === 0;
}

/** Largest value in a u32 column other than NONE32, or -1 when there is none. */
export function maxId(column: Uint32Array, none: number): number {
  let max = -1;
  for (let i = 0; i < column.length; i++) {
    const v = column[i]!;
    if (v !== none && v > max) max = v;
  }
  return max;
}

export class GrowableU32 {
  data = new Uint32Array(64);
  length = 0;
  push(v: number): void {
    if (this.length === this.data.length) {
      const next = new Uint32Array(this.data.length * 2);
      next.set(this.data);
      this.data = next;
    }
    this.data[this.length++] = v;
  }
  toArray(): Uint32Array {
    return this.data.slice(0, this.length);
  }
}

export class GrowableF64 {
  data = new Float64Array(64);
  length = 0;
  push(v: number): void {
    if (this.length === this.data.length) {
      const next = new Float64Array(this.data.length * 2);
      next.set(this.data);
      this.data = next;
    }
    this.data[this.length++] = v;
  }
  toArray(): Float64Array {
    return this.data.slice(0, this.length);
  }
}
