// The .pyheap format, version 1.0, as constants: the TS side of docs/FORMAT.md (the one written
// source of truth). Every value here is defined there; change both together and bump the version.

/** `\x89PYHEAP\n` — the high byte catches 7-bit transfers, the newline text-mode rewriting. */
export const MAGIC = Uint8Array.of(0x89, 0x50, 0x59, 0x48, 0x45, 0x41, 0x50, 0x0a);
export const HEADER_BYTES = 16;
export const SECTION_HEADER_BYTES = 24;
/** The END payload: u64 objects, edges, strings, types; u32 crc32; u32 reserved. */
export const END_PAYLOAD_BYTES = 40;
export const FORMAT_MAJOR = 1;
export const FORMAT_MINOR = 0;

/** Section flag bit 0: the payload is a zlib (RFC 1950) stream. */
export const SECTION_COMPRESSED = 1;
/** Section flag bits a 1.0 reader knows; the others are reserved (docs/FORMAT.md, "Out-of-spec values"). */
export const SECTION_FLAGS_KNOWN = SECTION_COMPRESSED;

/**
 * The most bytes a section's payload may hold once inflated (docs/FORMAT.md, "Limits"): a reader
 * refuses a larger claim before it reads the payload. Writers split tables into chunks well below it.
 */
export const SECTION_MAX_RAW = 2 ** 30;
/** zlib's deflate expands nothing more than ~1,032 times (its longest match in one bit or so). */
export const MAX_INFLATE_RATIO = 1032;

/** "Absent" in any u32 id/index field. */
export const NONE32 = 0xffffffff;

export const TAG = {
  META: 'META',
  STRS: 'STRS',
  TYPE: 'TYPE',
  OBJS: 'OBJS',
  EDGE: 'EDGE',
  ROOT: 'ROOT',
  TBAK: 'TBAK',
  ALOC: 'ALOC',
  INFO: 'INFO',
  END: 'END ',
} as const;

/** Bytes per record of each column-wise section (without the 8-byte count header and padding). */
export const OBJ_RECORD_BYTES = 8 + 8 + 4 * 5 + 2;
export const EDGE_RECORD_BYTES = 8 + 4 + 1;
export const ROOT_RECORD_BYTES = 8 + 4 + 1;
export const TYPE_RECORD_BYTES = 8 + 4;
export const ALOC_RECORD_BYTES = 8 + 4;

/** Object flags (OBJS `flags` column). */
export const OBJ_FLAG = {
  GC_TRACKED: 1 << 0,
  SIZE_ERROR: 1 << 1,
  IMMORTAL: 1 << 2,
  CYCLIC_GARBAGE: 1 << 3,
  LABEL_TRUNCATED: 1 << 4,
  REDACTED: 1 << 5,
  EDGES_INCOMPLETE: 1 << 6,
} as const;
/** Object flag bits a 1.0 reader knows; bits 7–15 are reserved. */
export const OBJ_FLAGS_KNOWN = 0x7f;

/** Edge kinds (EDGE `kind` column). */
export const EDGE_KIND = {
  OTHER: 0,
  ATTR: 1,
  DICT_VALUE: 2,
  DICT_KEY: 3,
  INDEX: 4,
  SET_MEMBER: 5,
  CLOSURE: 6,
  LOCAL: 7,
  INTERNAL: 8,
  WEAK: 9,
} as const;
export const EDGE_KIND_COUNT = 10;

/** Root kinds (ROOT `kind` column). HELD_FROM_C is derived by the reader in v1. */
export const ROOT_KIND = {
  MODULE: 1,
  THREAD_FRAME: 2,
  SYS: 3,
  HELD_FROM_C: 4,
  OTHER: 5,
} as const;

/** Bytes of zero padding that bring `n` up to a multiple of 8. */
export function pad8(n: number): number {
  return (8 - (n % 8)) % 8;
}

/** Edge kinds by value, named as the API contract names them (EdgeKind). */
export const EDGE_KIND_NAMES = [
  'other',
  'attr',
  'dict-value',
  'dict-key',
  'index',
  'set-member',
  'closure',
  'local',
  'internal',
  'weak',
] as const;
export type EdgeKindName = (typeof EDGE_KIND_NAMES)[number];

export const ROOT_KIND_NAMES = { module: 1, thread: 2, sys: 3, 'held-from-c': 4, other: 5 } as const;
export type RootKindName = keyof typeof ROOT_KIND_NAMES;
