// CPython object sizes the estimates rest on, per interpreter version, as `sys.getsizeof` and
// tracemalloc report them on 64-bit builds. Each formula was measured on 3.8.18–3.13.0 and is
// checked by insights.test.ts against real programs on every interpreter found; docs/INSIGHTS.md
// lists them. A snapshot whose version is outside 3.8–3.13 or whose pointers are not 8 bytes gets
// no estimate that depends on them (the analyses say so instead of guessing).

export interface Layout {
  /** "3.12" */
  version: string;
  /** `sys.getsizeof([])`: a list's header incl. GC header; each allocated slot adds 8. */
  listEmpty: number;
  /** `sys.getsizeof(())`; each element adds 8. */
  tupleEmpty: number;
  /** `sys.getsizeof({})`: a dict with no table (since 3.6 an empty dict shares one). */
  dictEmpty: number;
  /** `sys.getsizeof(set())`: the set's 8-entry table is inside the object. */
  setEmpty: number;
  /** `sys.getsizeof(array.array('d'))` (3.8/3.9: 64; 3.10+: 80); each item adds its itemsize. */
  arrayEmpty: number;
  /** An instance of a class with n `__slots__` (no `__dict__`, no `__weakref__`): 32 + 8n. */
  slotted(n: number): number;
  /**
   * 3.11+: bytes of a dict-less instance's inline attribute values, which `sys.getsizeof` of the
   * instance does not count, for an instance with n attributes (its class's shared keys sized for
   * n: capacity n + 1). null before 3.11 (attributes live in a real `__dict__` object).
   */
  inlineValues: ((n: number) => number) | null;
  /** A dict's keys-object header: 40 bytes up to 3.10, 32 from 3.11. */
  dictKeysHeader: number;
  /** Bytes per dict entry for all-str keys: 24 up to 3.10, 16 from 3.11 (other keys: 24). */
  dictStrEntry: number;
}

/**
 * `sys.getsizeof` of a dict owning its table of `slots` (a power of two ≥ 8) with `entry`-byte
 * entries: the object (64 incl. GC header), the keys header, one index per slot (1 byte up to 128
 * slots, 2 up to 2^15, 4 up to 2^31, else 8) and usable = 2·slots/3 entries.
 */
export function dictSize(l: Layout, slots: number, entry: number): number {
  const index = slots <= 128 ? 1 : slots <= 1 << 15 ? 2 : slots <= 2 ** 31 ? 4 : 8;
  return l.dictEmpty + l.dictKeysHeader + slots * index + entry * Math.floor((2 * slots) / 3);
}

/**
 * The table `dict(d)` builds for n items (d sparse: no clone). m = (3n + 1) / 2; up to 3.9 the power
 * of two ≥ m (at least 8); from 3.10 `calculate_log2_keysize` rounds ((m | 8) − 1) up, which doubles
 * it when m is a power of two ≥ 8 and gives 16 for 1–4 items.
 */
export function dictCopySlots(l: Layout, n: number): number {
  const m = Math.floor((3 * n + 1) / 2);
  if (l.dictKeysHeader === 40 && l.version !== '3.10') {
    let s = 8;
    while (s < m) s *= 2;
    return s;
  }
  const bits = (((m | 8) - 1) | 7).toString(2).length;
  return 2 ** bits;
}

/** The largest table insertions can grow a dict of n items to (growth sizes for 3·used). */
export function dictGrownSlots(n: number): number {
  let s = 8;
  while (s < 3 * n) s *= 2;
  return s;
}

const roundUp8 = (n: number) => Math.ceil(n / 8) * 8;

const COMMON = {
  listEmpty: 56,
  tupleEmpty: 40,
  dictEmpty: 64,
  setEmpty: 216,
  slotted: (n: number) => 32 + 8 * n,
};

/** 3.11/3.12: values = a byte prefix rounded to 8 (capacity + 2 bytes), then capacity pointers. */
const values311 = (n: number) => roundUp8(n + 1 + 2) + 8 * (n + 1);
/** 3.13: values embedded after the object: a header rounded to 8, then capacity + 1 pointers. */
const values313 = (n: number) => roundUp8(n + 1) + 8 * (n + 2);

const DICT_OLD = { dictKeysHeader: 40, dictStrEntry: 24 };
const DICT_NEW = { dictKeysHeader: 32, dictStrEntry: 16 };

const LAYOUTS: Record<string, Layout> = {
  '3.8': { version: '3.8', ...COMMON, ...DICT_OLD, arrayEmpty: 64, inlineValues: null },
  '3.9': { version: '3.9', ...COMMON, ...DICT_OLD, arrayEmpty: 64, inlineValues: null },
  '3.10': { version: '3.10', ...COMMON, ...DICT_OLD, arrayEmpty: 80, inlineValues: null },
  '3.11': { version: '3.11', ...COMMON, ...DICT_NEW, arrayEmpty: 80, inlineValues: values311 },
  '3.12': { version: '3.12', ...COMMON, ...DICT_NEW, arrayEmpty: 80, inlineValues: values311 },
  '3.13': { version: '3.13', ...COMMON, ...DICT_NEW, arrayEmpty: 80, inlineValues: values313 },
};

/** The layout for a snapshot's META, or null with the reason (shown to the user) when none applies. */
export function layoutFor(meta: Record<string, unknown>): { layout: Layout | null; reason: string } {
  const python = (meta.python ?? {}) as Record<string, unknown>;
  const version = typeof python.version === 'string' ? python.version : null;
  const impl = typeof python.implementation === 'string' ? python.implementation : 'cpython';
  const pointer = typeof python.pointerSize === 'number' ? python.pointerSize : 8;
  if (version === null) return { layout: null, reason: 'the snapshot does not say its Python version' };
  const minor = /^(\d+\.\d+)/.exec(version)?.[1] ?? version;
  if (impl !== 'cpython') return { layout: null, reason: `sizes are CPython's; this is ${impl}` };
  if (pointer !== 8)
    return { layout: null, reason: `sizes are for 64-bit builds; this one has ${pointer}-byte pointers` };
  const layout = LAYOUTS[minor] ?? null;
  if (!layout) return { layout: null, reason: `no measured sizes for Python ${minor} (known: 3.8–3.13)` };
  // Format 1.1 dumpers already count an instance's attribute storage in its shallow size (FORMAT.md
  // "Shallow sizes"): adding the inline values again would charge them twice.
  if (sizesIncludeStorage(meta)) return { layout: { ...layout, inlineValues: null }, reason: '' };
  return { layout, reason: '' };
}

/** True when META's formatVersion is 1.1 or later. */
export function sizesIncludeStorage(meta: Record<string, unknown>): boolean {
  const v = meta.formatVersion;
  if (!Array.isArray(v) || typeof v[0] !== 'number' || typeof v[1] !== 'number') return false;
  return v[0] > 1 || (v[0] === 1 && v[1] >= 1);
}
