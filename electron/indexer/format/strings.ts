// The string table: every STRS string once, as one UTF-8 blob plus offsets. Strings are decoded only
// when a query shows them, so millions of labels cost their bytes, not millions of JS strings.

import { sharedUint32 } from '../parallel/shared';

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
  /** prefixes[s]: leading bytes string s shares with string s - 1, at most 255 (`setPrefixes`). */
  private prefixes: Uint8Array | null = null;
  /** offsets[i]..offsets[i+1] are string i's bytes. */
  offsets: Uint32Array;
  count = 0;

  /**
   * `expected` strings, about `bytes` bytes of them (the blob grows if more come). Both arrays are
   * shared, for the helper thread to map their pages in while the reader fills them (`columns`).
   */
  constructor(expected: number, bytes = 1 << 16) {
    this.offsets = sharedUint32(expected + 1);
    this.blob = sharedBlob(Math.max(bytes, 1 << 16));
  }

  /** The blob and the offsets, whole (for the helper to map their pages in; see reader `columns`). */
  columns(): ArrayBufferView[] {
    return [this.blob, this.offsets];
  }

  /** Appends `lengths.length` strings whose bytes are `bytes`, concatenated. */
  append(lengths: Uint32Array, bytes: Uint8Array): void {
    if (this.count + lengths.length + 1 > this.offsets.length) {
      const next = sharedUint32(Math.max(this.offsets.length * 2, this.count + lengths.length + 1));
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
    const next = new Uint8Array(new SharedArrayBuffer(size));
    next.set(this.blob.subarray(0, this.used));
    this.blob = next;
  }

  /**
   * Drops the spare capacity once reading is done: by copying only where the spare part holds
   * memory (an offsets array sized for more strings than came); untouched blob pages hold none.
   */
  trim(): void {
    this.blob = this.blob.subarray(0, this.used);
    if (this.offsets.length > this.count + 1) {
      const offsets = sharedUint32(this.count + 1);
      offsets.set(this.offsets.subarray(0, this.count + 1));
      this.offsets = offsets;
    }
  }

  /** The arguments of the commonPrefixes kernel (parallel/kernels.ts), all shared. */
  prefixInput(): [Uint8Array, Uint32Array, number] {
    return [this.blob, this.offsets, this.count];
  }

  /** commonPrefixes' result: label search passes along runs of strings with it. */
  setPrefixes(prefixes: Uint8Array): void {
    this.prefixes = prefixes;
  }

  get(id: number): string {
    if (id >= this.count) return '';
    return decoder.decode(this.blob.subarray(this.offsets[id]!, this.offsets[id + 1]!));
  }

  /** Every string's UTF-8 bytes back to back (string i: offsets[i]..offsets[i+1]), for hashing values without decoding. Read only. */
  bytes(): Uint8Array {
    return this.blob;
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
   * tens of ns, where Buffer indexOf's native call cost ~200 ns.
   *
   * A needle can match millions of strings ("value-" matches all 2.7M of the benchmark's), and then
   * the per-match cost is all there is. Labels come in families ("value-…", "/usr/lib/…",
   * "<key>: …") stored next to each other, so after each match the strings that follow are checked
   * in place, at the offset where the needle was just found, without a builtin call (`runFrom`: by
   * their common prefix with the string before, one byte read, else a few byte compares); a run of
   * matches is then marked and counted as one range.
   */
  markContaining(needle: string, bits: Int32Array, rows: Uint32Array): number {
    const bytes = Buffer.from(needle, 'utf-8');
    const pattern = new Uint8Array(bytes); // a plain Uint8Array: one element kind for runFrom's reads
    const len = pattern.length;
    if (len === 0 || this.count === 0) return 0;
    const text = bytes.toString('latin1');
    const hay = this.prepareSearch();
    const { blob, offsets, count } = this;
    let k = 0;
    let id = 0; // strings before this one are settled
    let from = 0;
    for (;;) {
      const at = hay.indexOf(text, from);
      if (at < 0) break;
      const s = this.idFrom(id, at);
      // A match that crosses into the next string is not a match.
      if (at + len > offsets[s + 1]!) {
        from = at + 1;
        id = s;
        continue;
      }
      const last = runFrom(blob, offsets, this.prefixes, count, pattern, s, at - offsets[s]!);
      // Most runs of a short needle are one string.
      if (last === s) bits[s >>> 5] |= 1 << (s & 31);
      else setBits(bits, s, last + 1);
      k += rows[last + 1]! - rows[s]!;
      id = last + 1;
      if (id >= count) break;
      from = offsets[id]!;
    }
    return k;
  }

  /**
   * markContaining for whole strings: sets bit `id` for every string that is `needle` exactly, and
   * returns how many `rows` they have. The blob is searched as there; a string holding the needle
   * anywhere but at its start is passed over whole.
   */
  markEqual(needle: string, bits: Int32Array, rows: Uint32Array): number {
    const text = Buffer.from(needle, 'utf-8').toString('latin1');
    const len = text.length;
    if (len === 0 || this.count === 0) return 0;
    const hay = this.prepareSearch();
    const { offsets, count } = this;
    let k = 0;
    let id = 0;
    let from = 0;
    for (;;) {
      const at = hay.indexOf(text, from);
      if (at < 0) break;
      const s = this.idFrom(id, at);
      if (at === offsets[s] && at + len === offsets[s + 1]) {
        bits[s >>> 5] |= 1 << (s & 31);
        k += rows[s + 1]! - rows[s]!;
      }
      id = s + 1;
      if (id >= count) break;
      from = offsets[id]!;
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
    // The next match is usually a few strings on: a short forward scan (predictable branches,
    // memory in order) settles it before the gallop's dependent, unpredictable steps would.
    const near = Math.min(this.count - 1, lo + 24);
    while (lo < near && offsets[lo + 1]! <= at) lo++;
    if (lo < near) return lo;
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

/**
 * The last string of the run starting at string `s` (which contains `pattern` at `offset`): the
 * strings after it that contain the pattern at that same offset too. A string whose common prefix
 * with the one before covers the needle's bytes has them too, and is passed with one byte read
 * (`prefixes`); others are compared in place. Kept small and apart, so that it is optimized early
 * in a search's first call (it runs millions of times there).
 */
function runFrom(
  blob: Uint8Array,
  offsets: Uint32Array,
  prefixes: Uint8Array | null,
  count: number,
  pattern: Uint8Array,
  s: number,
  offset: number,
): number {
  const len = pattern.length;
  const first = pattern[0]!;
  const need = offset + len;
  const fast = prefixes !== null && need <= 255;
  while (s + 1 < count) {
    if (fast && prefixes[s + 1]! >= need) {
      s++;
      continue;
    }
    const at = offsets[s + 1]! + offset;
    if (at + len > offsets[s + 2]! || blob[at] !== first) break;
    let b = 1;
    while (b < len && blob[at + b] === pattern[b]) b++;
    if (b !== len) break;
    s++;
  }
  return s;
}

/** Sets bits [from, to) of `bits`: whole words at a time inside the range. */
function setBits(bits: Int32Array, from: number, to: number): void {
  while (from < to && (from & 31) !== 0) {
    bits[from >>> 5] |= 1 << (from & 31);
    from++;
  }
  while (from + 32 <= to) {
    bits[from >>> 5] = -1;
    from += 32;
  }
  while (from < to) {
    bits[from >>> 5] |= 1 << (from & 31);
    from++;
  }
}
