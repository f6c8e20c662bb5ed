// The string table: every STRS string once, as one UTF-8 blob plus offsets. Strings are decoded only
// when a query shows them, so millions of labels cost their bytes, not millions of JS strings.

const decoder = new TextDecoder('utf-8');

export class StringTable {
  private blob = new Uint8Array(1 << 16);
  private used = 0;
  /** offsets[i]..offsets[i+1] are string i's bytes. */
  offsets: Uint32Array;
  count = 0;

  constructor(expected: number) {
    this.offsets = new Uint32Array(expected + 1);
  }

  /** Appends `lengths.length` strings whose bytes are `bytes`, concatenated. */
  append(lengths: Uint32Array, bytes: Uint8Array): void {
    if (this.count + lengths.length + 1 > this.offsets.length) {
      const next = new Uint32Array(Math.max(this.offsets.length * 2, this.count + lengths.length + 1));
      next.set(this.offsets);
      this.offsets = next;
    }
    this.reserve(bytes.length);
    this.blob.set(bytes, this.used);
    let at = this.used;
    for (let i = 0; i < lengths.length; i++) {
      at += lengths[i]!;
      this.offsets[++this.count] = at;
    }
    this.used = at;
  }

  private reserve(extra: number): void {
    if (this.used + extra <= this.blob.length) return;
    let size = this.blob.length;
    while (size < this.used + extra) size *= 2;
    const next = new Uint8Array(size);
    next.set(this.blob.subarray(0, this.used));
    this.blob = next;
  }

  /** Drops the spare capacity once reading is done. */
  trim(): void {
    this.blob = this.blob.slice(0, this.used);
    this.offsets = this.offsets.slice(0, this.count + 1);
  }

  get(id: number): string {
    if (id >= this.count) return '';
    return decoder.decode(this.blob.subarray(this.offsets[id]!, this.offsets[id + 1]!));
  }

  byteLength(): number {
    return this.used;
  }

  /**
   * Ids of every string containing `needle` (case-sensitive), ascending. Scans the blob with native
   * indexOf, which runs at memory speed.
   */
  idsContaining(needle: string): number[] {
    const ids: number[] = [];
    const pattern = Buffer.from(needle, 'utf-8');
    if (pattern.length === 0 || this.count === 0) return ids;
    const hay = Buffer.from(this.blob.buffer, this.blob.byteOffset, this.used);
    let from = 0;
    for (;;) {
      const at = hay.indexOf(pattern, from);
      if (at < 0) break;
      const id = this.idAt(at);
      // A match that crosses into the next string is not a match.
      if (at + pattern.length <= this.offsets[id + 1]!) {
        ids.push(id);
        from = this.offsets[id + 1]!;
      } else {
        from = at + 1;
      }
    }
    return ids;
  }

  /** The string whose bytes contain blob offset `at` (binary search over offsets). */
  private idAt(at: number): number {
    let lo = 0;
    let hi = this.count - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >>> 1;
      if (this.offsets[mid]! <= at) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  }
}
