// The string table: every STRS string once, as one UTF-8 blob plus offsets. Strings are decoded only
// when a query shows them, so millions of labels cost their bytes, not millions of JS strings.

const decoder = new TextDecoder('utf-8');

/**
 * A shared blob of `bytes`, or of 64 KiB that grows as strings come if that much cannot be had:
 * the size is read off section headers, which a corrupt file may inflate (its payloads are
 * checked only as they are read).
 */
function sharedBlob(bytes: number): Uint8Array {
  try {
    return new Uint8Array(new SharedArrayBuffer(bytes));
  } catch {
    return new Uint8Array(new SharedArrayBuffer(1 << 16));
  }
}

export class StringTable {
  private blob: Uint8Array;
  private used = 0;
  /** The blob as a Latin-1 string, for label search (`prepareSearch`). */
  private latin1: string | null = null;
  /** offsets[i]..offsets[i+1] are string i's bytes. */
  offsets: Uint32Array;
  count = 0;

  /**
   * `expected` strings, about `bytes` bytes of them (the blob grows if more come). Both arrays are
   * shared, for the helper thread to map their pages in while the reader fills them (`columns`).
   */
  constructor(expected: number, bytes = 1 << 16) {
    this.offsets = new Uint32Array(new SharedArrayBuffer(4 * (expected + 1)));
    this.blob = sharedBlob(Math.max(bytes, 1 << 16));
  }

  /** The blob and the offsets, whole (for the helper to map their pages in; see reader `columns`). */
  columns(): ArrayBufferView[] {
    return [this.blob, this.offsets];
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

  /**
   * Drops the spare capacity once reading is done: by copying only where the spare part holds
   * memory (an offsets array sized for more strings than came); untouched blob pages hold none.
   */
  trim(): void {
    this.blob = this.blob.subarray(0, this.used);
    if (this.offsets.length > this.count + 1) this.offsets = this.offsets.slice(0, this.count + 1);
  }

  get(id: number): string {
    if (id >= this.count) return '';
    return decoder.decode(this.blob.subarray(this.offsets[id]!, this.offsets[id + 1]!));
  }

  byteLength(): number {
    return this.used;
  }

  /**
   * Sets bit `id` of `bits` (one bit a string; `count / 32 + 1` words) for every string containing
   * `needle` (case-sensitive), and returns the sum of `rows[id + 1] - rows[id]` over them (with the
   * label index's row starts: how many objects those labels have). Searches the blob as one
   * Latin-1 string (each byte one char; `prepareSearch` builds it: ~15 ms and a byte a byte at 10M
   * objects), so UTF-8 needles match byte for byte, with String indexOf: a builtin call costs a few
   * tens of ns, where Buffer indexOf's native call cost ~200 ns. A needle can match millions of
   * strings ("value-" matches 2.7M in the benchmark), and then the per-match cost is all there is:
   * so after each match the next string is first checked in place, at the offset where the needle
   * was just found. Labels come in families ("value-…", "/usr/lib/…", "<key>: …"), so that check,
   * a few byte compares, usually settles the next string without a builtin call (~13 ns).
   */
  markContaining(needle: string, bits: Int32Array, rows: Uint32Array): number {
    const pattern = Buffer.from(needle, 'utf-8');
    const text = pattern.toString('latin1');
    const len = pattern.length;
    if (len === 0 || this.count === 0) return 0;
    const hay = this.prepareSearch();
    const { blob, offsets, count } = this;
    const first = pattern[0]!;
    let k = 0;
    let id = -1; // the last string found
    let offset = -1; // where in it the needle was, or -1 after a failed in-place check
    let from = 0;
    for (;;) {
      let found = -1;
      if (offset >= 0 && id + 1 < count) {
        const at = offsets[id + 1]! + offset;
        if (at + len <= offsets[id + 2]! && blob[at] === first) {
          let b = 1;
          while (b < len && blob[at + b] === pattern[b]) b++;
          if (b === len) found = id + 1;
        }
      }
      if (found < 0) {
        const at = hay.indexOf(text, from);
        if (at < 0) break;
        const s = this.idFrom(Math.max(id, 0), at);
        // A match that crosses into the next string is not a match.
        if (at + len > offsets[s + 1]!) {
          from = at + 1;
          offset = -1;
          continue;
        }
        // Checking in place pays only in a run of matching strings (measured: a failed check cost
        // more than it should, ~50 ns), so it starts after two matches in a row.
        offset = s === id + 1 ? at - offsets[s]! : -1;
        found = s;
      }
      bits[found >>> 5] |= 1 << (found & 31);
      k += rows[found + 1]! - rows[found]!;
      id = found;
      from = offsets[found + 1]!;
    }
    return k;
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
