// The string table: every STRS string once, as one UTF-8 blob plus offsets. Strings are decoded only
// when a query shows them, so millions of labels cost their bytes, not millions of JS strings.

const decoder = new TextDecoder('utf-8');

export class StringTable {
  private blob = new Uint8Array(1 << 16);
  private used = 0;
  /** The blob as a Latin-1 string, made by the first search (`idsContaining`). */
  private latin1: string | null = null;
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
   * Ids of every string containing `needle` (case-sensitive), ascending. Searches the blob as one
   * Latin-1 string (each byte one char, built once: ~15 ms and a byte a byte at 10M objects), so
   * UTF-8 needles match byte for byte, with String indexOf: a builtin call costs a few tens of ns,
   * where Buffer indexOf's native call cost ~200 ns, which is what a needle matching millions of
   * labels ("value-" in 2.7M of them: 150 -> 35 ms) spends its time on. Matches come in blob order,
   * so each one's string is found by galloping forward from the previous one's.
   */
  idsContaining(needle: string): Uint32Array {
    const pattern = Buffer.from(needle, 'utf-8').toString('latin1');
    if (pattern.length === 0 || this.count === 0) return new Uint32Array(0);
    this.latin1 ??= Buffer.from(this.blob.buffer, this.blob.byteOffset, this.used).toString('latin1');
    const hay = this.latin1;
    let ids = new Uint32Array(1024);
    let found = 0;
    const offsets = this.offsets;
    let from = 0;
    let id = 0;
    for (;;) {
      const at = hay.indexOf(pattern, from);
      if (at < 0) break;
      id = this.idFrom(id, at);
      // A match that crosses into the next string is not a match.
      if (at + pattern.length <= offsets[id + 1]!) {
        if (found === ids.length) {
          const grown = new Uint32Array(ids.length * 2);
          grown.set(ids);
          ids = grown;
        }
        ids[found++] = id;
        from = offsets[id + 1]!;
      } else {
        from = at + 1;
      }
    }
    return ids.subarray(0, found);
  }

  /** Drops the Latin-1 copy `idsContaining` keeps (benchmarks time cold searches). */
  forgetSearchText(): void {
    this.latin1 = null;
  }

  /** The string whose bytes contain blob offset `at`, searching forward from string `lo`. */
  private idFrom(lo: number, at: number): number {
    const offsets = this.offsets;
    // Gallop: find a step past `at`, then binary search within the last step.
    let step = 1;
    let hi = lo;
    while (hi + step < this.count && offsets[hi + step]! <= at) {
      hi += step;
      step *= 2;
    }
    lo = hi;
    hi = Math.min(this.count - 1, hi + step);
    while (lo < hi) {
      const mid = (lo + hi + 1) >>> 1;
      if (offsets[mid]! <= at) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  }
}
