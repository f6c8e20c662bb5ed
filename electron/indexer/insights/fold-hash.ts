// The hash of an edge's folded label (leaks/signature.ts foldEdge of query/rows.ts renderEdge),
// computed from the string table's bytes without building the text: owners group millions of
// objects by the edge that holds them, and a dict keyed by a million distinct names would
// otherwise decode and run three regular expressions a million times. The hash is FNV-1a over the
// UTF-8 bytes of exactly the text foldEdge returns (fold-hash.test.ts checks it against foldEdge).
import { EDGE_KIND, NONE32 } from '../format/spec';

const OPEN = 0x5b; // [
const CLOSE = 0x5d; // ]
const STAR = 0x2a;
const HASH = 0x23; // #
const DOT = 0x2e;
const MINUS = 0x2d;
const ZERO = 0x30;
const SMALL_X = 0x78;
const QUESTION = 0x3f;

const CACHE_MASK = 4095;

export const FNV_OFFSET = 0x811c9dc5;
export const fnv = (h: number, x: number) => Math.imul((h ^ x) >>> 0, 0x01000193) >>> 0;

const isDigit = (c: number) => c >= 0x30 && c <= 0x39;
const isHex = (c: number) => isDigit(c) || (c >= 0x61 && c <= 0x66) || (c >= 0x41 && c <= 0x46);

const ascii = (s: string) => Uint8Array.from(s, (c) => c.charCodeAt(0));
/** What renderEdge puts around the name, per edge kind (attr/internal: `.x`; dict: `[x]`). */
const PREFIX: (Uint8Array | null)[] = [];
PREFIX[EDGE_KIND.ATTR] = ascii('.');
PREFIX[EDGE_KIND.INTERNAL] = ascii('.');
PREFIX[EDGE_KIND.DICT_VALUE] = ascii('[');
PREFIX[EDGE_KIND.DICT_KEY] = ascii('key [');

/** FNV-1a over a string's UTF-8 bytes (the text fallback, equal to the byte path for equal text). */
export function hashUtf8(text: string): number {
  let h = FNV_OFFSET;
  for (const b of new TextEncoder().encode(text)) h = fnv(h, b);
  return h;
}

export class EdgeFoldHasher {
  private scratch = new Uint8Array(256);
  private readonly cacheName = new Uint32Array(CACHE_MASK + 1).fill(NONE32);
  private readonly cacheKind = new Uint8Array(CACHE_MASK + 1);
  private readonly cacheHash = new Uint32Array(CACHE_MASK + 1);
  private readonly indexHash = hashUtf8('[*]');

  constructor(
    private readonly bytes: Uint8Array,
    private readonly offsets: Uint32Array,
  ) {}

  /**
   * The folded label's hash for an edge of `kind` named by string `name`, or -1 when the kind is
   * not one this reads from bytes (set members, closures, locals, weak, other: few edges, hashed
   * from their text by the caller with hashUtf8).
   */
  hash(kind: number, name: number): number {
    if (kind === EDGE_KIND.INDEX) return this.indexHash;
    const prefix = PREFIX[kind];
    if (!prefix) return -1;
    // Holders' edges repeat (`.__dict__`, one dict key per record type): a direct-mapped cache.
    const c = (name ^ (name >>> 11) ^ (kind << 7)) & CACHE_MASK;
    if (this.cacheName[c] === name && this.cacheKind[c] === kind) return this.cacheHash[c]!;
    const h = this.fold(prefix, kind, name);
    this.cacheName[c] = name;
    this.cacheKind[c] = kind;
    this.cacheHash[c] = h;
    return h;
  }

  private fold(prefix: Uint8Array, kind: number, name: number): number {
    const dict = kind === EDGE_KIND.DICT_VALUE || kind === EDGE_KIND.DICT_KEY;
    const start = name === NONE32 ? 0 : this.offsets[name]!;
    const len = name === NONE32 ? 0 : this.offsets[name + 1]! - start;
    const n = prefix.length + Math.max(len, 1) + (dict ? 1 : 0);
    if (n > this.scratch.length) this.scratch = new Uint8Array(n * 2);
    const s = this.scratch;
    for (let i = 0; i < prefix.length; i++) s[i] = prefix[i]!;
    if (len === 0) s[prefix.length] = QUESTION; // renderEdge: `name || '?'`
    for (let i = 0; i < len; i++) s[prefix.length + i] = this.bytes[start + i]!;
    if (dict) s[n - 1] = CLOSE;
    return foldedHash(s, n, dict);
  }
}

/**
 * FNV of the folded text of s[0..n): with `numericKeys`, `[-?\d+(\.\d+)?]` reads `[*]` (a dict's
 * numeric key); then `0x` + hex digits reads `0x#` and every digit run `#` (foldDigits: the `0` of
 * `0x#` joins the run before it, so `10x1f` reads `#x#`).
 */
export function foldedHash(s: Uint8Array, n: number, numericKeys: boolean): number {
  let h = FNV_OFFSET;
  let i = 0;
  while (i < n) {
    const c = s[i]!;
    if (numericKeys && c === OPEN) {
      const end = numericKeyEnd(s, i + 1, n);
      if (end !== -1) {
        h = fnv(fnv(fnv(h, OPEN), STAR), CLOSE);
        i = end;
        continue;
      }
    } else if (isDigit(c)) {
      let j = i + 1;
      while (j < n && isDigit(s[j]!)) j++;
      h = fnv(h, HASH);
      if (s[j - 1] === ZERO && j + 1 < n && (s[j] === SMALL_X || s[j] === 0x58) && isHex(s[j + 1]!)) {
        j += 2;
        while (j < n && isHex(s[j]!)) j++;
        h = fnv(fnv(h, SMALL_X), HASH);
      }
      i = j;
      continue;
    }
    h = fnv(h, c);
    i++;
  }
  return h;
}

/** After a `[` at s[j − 1]: the end of `-?\d+(\.\d+)?]` starting at j, or -1. */
function numericKeyEnd(s: Uint8Array, j: number, n: number): number {
  if (j < n && s[j] === MINUS) j++;
  let k = j;
  while (k < n && isDigit(s[k]!)) k++;
  if (k === j) return -1;
  if (k < n && s[k] === CLOSE) return k + 1;
  if (k + 1 < n && s[k] === DOT && isDigit(s[k + 1]!)) {
    k += 2;
    while (k < n && isDigit(s[k]!)) k++;
    if (k < n && s[k] === CLOSE) return k + 1;
  }
  return -1;
}
