// The string table: every STRS string once, as one UTF-8 blob plus offsets. Strings are decoded only
// when a query shows them, so millions of labels cost their bytes, not millions of JS strings.

const decoder = new TextDecoder('utf-8');

export class StringTable {
  private blob = new Uint8Array(1 << 16);
  private used = 0;
  /** The blob as a Latin-1 string, for label search (`prepareSearch`). */
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
   * Calls `found(id)` for every string containing `needle` (case-sensitive), in ascending id order.
   * Searches the blob as one Latin-1 string (each byte one char; `prepareSearch` builds it: ~15 ms
   * and a byte a byte at 10M objects), so UTF-8 needles match byte for byte, with String indexOf:
   * a builtin call costs a few tens of ns, where Buffer indexOf's native call cost ~200 ns, which
   * is what a needle matching millions of labels ("value-" in 2.7M of them) spends its time on.
   * Matches come in blob order, so each one's string is found by galloping forward from the
   * previous one's.
   */
  forEachContaining(needle: string, found: (id: number) => void): void {
    const pattern = Buffer.from(needle, 'utf-8').toString('latin1');
    if (pattern.length === 0 || this.count === 0) return;
    const hay = this.prepareSearch();
    const offsets = this.offsets;
    let from = 0;
    let id = 0;
    for (;;) {
      const at = hay.indexOf(pattern, from);
      if (at < 0) break;
      id = this.idFrom(id, at);
      // A match that crosses into the next string is not a match.
      if (at + pattern.length <= offsets[id + 1]!) {
        found(id);
        from = offsets[id + 1]!;
      } else {
        from = at + 1;
      }
    }
  }

  /** The Latin-1 copy of the blob label search runs on; the indexer makes it while loading. */
  prepareSearch(): string {
    this.latin1 ??= Buffer.from(this.blob.buffer, this.blob.byteOffset, this.used).toString('latin1');
    return this.latin1;
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
