// Reads a .pyheap file (docs/FORMAT.md) into flat columns, section by section, with progress by bytes.
// Enforces the "Reader obligations": every refusal is one line naming the file, section and offset.
import { crc32, inflateSync } from 'node:zlib';
import { formatBytes, formatError, truncatedError } from '../errors';
import { sharedFloat64, sharedUint8, sharedUint16, sharedUint32 } from '../parallel/shared';
import type { StageContext } from '../progress';
import { copyU64Column, GrowableF64, GrowableU32, maxId, u8Column, u16Column, u32Column } from './columns';
import type { ByteSource } from './source';
import {
  EDGE_KIND,
  EDGE_KIND_COUNT,
  END_PAYLOAD_BYTES,
  FORMAT_MAJOR,
  FORMAT_MINOR,
  HEADER_BYTES,
  MAGIC,
  MAX_INFLATE_RATIO,
  NONE32,
  OBJ_FLAGS_KNOWN,
  ROOT_KIND,
  SECTION_COMPRESSED,
  SECTION_FLAGS_KNOWN,
  SECTION_HEADER_BYTES,
  SECTION_MAX_RAW,
  TAG,
} from './spec';
import { StringTable } from './strings';

export interface SectionHeader {
  tag: string;
  flags: number;
  offset: number;
  stored: number;
  raw: number;
}

/** What the file says about itself and its objects: the read snapshot and the indexed graph share it. */
export interface SnapshotColumns {
  fileName: string;
  fileBytes: number;
  formatVersion: string;
  meta: Record<string, unknown>;
  info: Record<string, unknown> | null;
  // node columns (from OBJS), indexed by node
  address: Float64Array;
  size: Float64Array;
  type: Uint32Array;
  label: Uint32Array;
  refcount: Uint32Array;
  length: Uint32Array;
  flags: Uint16Array;
}

/** Everything the file says, as columns. Object columns leave `nodeBase` leading slots free. */
export interface RawSnapshot extends SnapshotColumns {
  nodeBase: number;
  objectCount: number;
  /** CSR over node indices: edges of node v are firstEdge[v]..firstEdge[v+1] (0 for synthetic nodes). */
  firstEdge: Uint32Array;
  edgeCount: number;
  edgeTargetAddress: Float64Array;
  edgeName: Uint32Array;
  edgeKind: Uint8Array;
  strings: StringTable;
  typeAddress: Float64Array;
  typeName: Uint32Array;
  rootAddress: Float64Array;
  rootLabel: Uint32Array;
  rootKind: Uint8Array;
  /** Traceback t has frames tracebackFirstFrame[t]..[t+1] of frameFile/frameLine. */
  tracebackFirstFrame: Uint32Array;
  frameFile: Uint32Array;
  frameLine: Uint32Array;
  allocAddress: Float64Array;
  allocTraceback: Uint32Array;
  /** Byte offset of each OBJS section and the index of its first object, for error messages. */
  objsSections: { offset: number; firstObject: number }[];
}

const latin1 = new TextDecoder('latin1');

/**
 * Called once the file's sections are checked and its columns allocated, before any is filled:
 * `objects` is the object count, `columns` the arrays the sections fill front to back, in step.
 * Returns what to call when the reading ends (either way). The pipeline starts its helper thread
 * here and has it map the columns' pages in ahead of the reader (Helper.mapAhead).
 */
export type OnColumns = (objects: number, columns: ArrayBufferView[]) => () => void;

export async function readSnapshot(
  source: ByteSource,
  fileName: string,
  nodeBase: number,
  ctx: StageContext,
  onColumns?: OnColumns,
): Promise<RawSnapshot> {
  const { sections, minor } = scanSections(source, fileName);
  const end = readEnd(source, fileName, sections[sections.length - 1]!);
  checkRoom(sections, end, fileName);
  checkClaims(sections, end, fileName);
  const reader = columnsFor(source, fileName, nodeBase, end, sections, minor);
  // The string blob's size is exact only when no STRS section is compressed (a compressed one's
  // claimed length is checked when it is inflated): otherwise its pages are left to the reader.
  const stringsExact = sections.every((s) => s.tag !== TAG.STRS || !(s.flags & SECTION_COMPRESSED));
  ctx.begin('read', source.size);
  const ended = onColumns?.(end.objects, reader.columns(stringsExact));
  try {
    let crc = crc32(source.read(0, HEADER_BYTES));
    for (let i = 0; i < sections.length - 1; i++) {
      const s = sections[i]!;
      if (!KNOWN_TAGS.has(s.tag)) {
        // Skipped without inflating (a minor version may add sections): only its CRC is taken.
        crc = crcOf(source, s, crc, fileName);
      } else {
        const stored = readWhole(source, s.offset, SECTION_HEADER_BYTES + s.stored, fileName, s.tag);
        crc = crc32(stored, crc);
        reader.section(s, i, payloadOf(stored, s, fileName));
      }
      await ctx.checkpoint(s.offset + s.stored, source.size);
    }
    if (crc !== end.crc)
      throw formatError(fileName, 'CRC-32 mismatch; the file is corrupt', sections.at(-1)!.offset, TAG.END);
  } finally {
    ended?.();
  }
  return reader.finish(sections.at(-1)!.offset);
}

/**
 * The reader, its columns sized from the END counts; one line when they cannot be allocated (a
 * genuine heap too large for this process, or counts a corrupt compressed file's headers let
 * through: a compressed section's real length is known only once it is inflated).
 */
function columnsFor(
  source: ByteSource,
  file: string,
  nodeBase: number,
  end: EndCounts,
  sections: SectionHeader[],
  minor: number,
): SectionReader {
  try {
    return new SectionReader(source, file, nodeBase, end, stringBytes(sections, end.strings), minor);
  } catch (err) {
    if (!(err instanceof RangeError)) throw err;
    const counts = `${formatBytes(end.objects)} objects and ${formatBytes(end.edges)} edges`;
    throw formatError(
      file,
      `END says ${counts}, more than this process can allocate for; if the file is genuine, index it where there is more memory`,
      sections.at(-1)!.offset,
      TAG.END,
    );
  }
}

/**
 * Refuses END counts the sections have no room for, before the columns are sized from them: a
 * corrupt count would otherwise cost its columns' memory (the helper maps their pages in) before
 * the mismatch showed at the end. Each object takes 38 bytes of an OBJS payload, each edge 13 of an
 * EDGE payload, each string 4 of a STRS payload, after the payload's 8-byte count.
 */
function checkRoom(sections: SectionHeader[], end: EndCounts, file: string): void {
  const room = (tag: string, width: number) => {
    let total = 0;
    for (const s of sections) if (s.tag === tag) total += Math.floor(Math.max(0, rawBound(s) - 8) / width);
    return total;
  };
  const check = (what: string, said: number, tag: string, width: number) => {
    const most = room(tag, width);
    if (said > most) {
      throw formatError(
        file,
        `END says ${said} ${what}, the ${tag.trim()} sections hold at most ${most}`,
        sections.at(-1)!.offset,
        TAG.END,
      );
    }
  };
  check('objects', end.objects, TAG.OBJS, 38);
  check('edges', end.edges, TAG.EDGE, 13);
  check('strings', end.strings, TAG.STRS, 4);
}

/**
 * The bytes the strings take, from the section headers and the END count (a STRS payload is a
 * count and a reserved word, a u32 length a string, then the bytes): the string blob is allocated
 * once at this size, where growing it by doubling allocated and copied about twice its final size.
 * A malformed file may make it wrong either way; the blob then grows, or keeps untouched slack.
 */
function stringBytes(sections: SectionHeader[], strings: number): number {
  let total = 0;
  for (const s of sections) if (s.tag === TAG.STRS) total += rawBound(s) - 8;
  return Math.max(0, total - 4 * strings);
}

const KNOWN_TAGS: ReadonlySet<string> = new Set(Object.values(TAG));

/** Bytes read at a time for the CRC of a skipped section: it is never held whole. */
const CRC_CHUNK = 1 << 24;

function crcOf(source: ByteSource, s: SectionHeader, crc: number, file: string): number {
  const end = s.offset + SECTION_HEADER_BYTES + s.stored;
  let c = crc;
  for (let at = s.offset; at < end; at += CRC_CHUNK) {
    c = crc32(readWhole(source, at, Math.min(CRC_CHUNK, end - at), file, s.tag), c);
  }
  return c;
}

/**
 * `length` bytes at `offset`, or one line: the scan saw them, so fewer means the file shrank while
 * it was read (a dump rewritten in place, a file on a network share cut off).
 */
function readWhole(
  source: ByteSource,
  offset: number,
  length: number,
  file: string,
  tag: string,
): Uint8Array {
  const bytes = source.read(offset, length);
  if (bytes.length < length) {
    throw formatError(
      file,
      'the file shrank while it was read; open it again once it is complete',
      offset + bytes.length,
      tag,
    );
  }
  return bytes;
}

/**
 * A section's raw length as far as it can be trusted before its payload is inflated. Claims past
 * the format's limits were refused by the scan (`checkLimits`), so this is the claim itself.
 */
function rawBound(s: SectionHeader): number {
  return s.raw;
}

/**
 * Refuses, before anything is inflated, a known section whose claimed raw length is more than its
 * records could take given the END counts (a table can hold at most every object, edge or type of
 * the file, plus its 8-byte count and up to 7 bytes of padding): the size a corrupt or hostile
 * header could otherwise make the reader inflate and hold.
 */
function checkClaims(sections: SectionHeader[], end: EndCounts, file: string): void {
  const most: Record<string, number> = {
    [TAG.OBJS]: 38 * end.objects,
    [TAG.EDGE]: 13 * end.edges,
    [TAG.TYPE]: 12 * end.types,
    [TAG.ALOC]: 12 * end.objects,
  };
  for (const s of sections) {
    const records = most[s.tag];
    if (records === undefined || s.raw <= 8 + records + 7) continue;
    throw formatError(
      file,
      `section claims ${formatBytes(s.raw)} bytes, more than the END counts leave room for (${formatBytes(8 + records + 7)}); corrupt`,
      s.offset,
      s.tag,
    );
  }
}

/** Walks the section headers only, so that a truncated or malformed file fails before any work. */
function scanSections(source: ByteSource, file: string): { sections: SectionHeader[]; minor: number } {
  if (source.size === 0) throw formatError(file, 'empty file, not a .pyheap file', 0, null);
  const header = source.read(0, HEADER_BYTES);
  for (let i = 0; i < MAGIC.length; i++) {
    if (header[i] !== MAGIC[i]) throw formatError(file, 'not a .pyheap file (bad magic)', 0, null);
  }
  if (header.length < HEADER_BYTES) throw truncatedError(file, header.length, null);
  const view = new DataView(header.buffer, header.byteOffset, HEADER_BYTES);
  const major = view.getUint16(8, true);
  const minor = view.getUint16(10, true);
  if (major !== FORMAT_MAJOR) throw formatError(file, versionRefusal(major, minor), 8, null);
  const sections: SectionHeader[] = [];
  let offset = HEADER_BYTES;
  let last: string | null = null;
  for (;;) {
    if (offset >= source.size)
      throw truncatedError(file, offset, null, last ? `after the ${last.trim()} section` : undefined);
    const h = source.read(offset, SECTION_HEADER_BYTES);
    if (h.length < SECTION_HEADER_BYTES) throw truncatedError(file, offset, null, 'in a section header');
    const s = parseSectionHeader(h, offset, file);
    checkLimits(s, minor, file);
    if (sections.length === 0 && s.tag !== TAG.META)
      throw formatError(file, 'first section is not META', offset, s.tag);
    if (offset + SECTION_HEADER_BYTES + s.stored > source.size)
      throw truncatedError(file, source.size, s.tag);
    sections.push(s);
    offset += SECTION_HEADER_BYTES + s.stored;
    last = s.tag;
    if (s.tag === TAG.END) break;
  }
  if (offset !== source.size) throw formatError(file, 'bytes after the END section', offset, TAG.END);
  return { sections, minor };
}

/** "format 2.0 written by a newer Heapscope", or, for majors before 1, not a version there ever was. */
export function versionRefusal(major: number, minor: number): string {
  return major > FORMAT_MAJOR
    ? `format ${major}.${minor} written by a newer Heapscope; this one reads ${FORMAT_MAJOR}.x`
    : `format ${major}.${minor} is not a version Heapscope ever wrote (this one reads ${FORMAT_MAJOR}.x); corrupt`;
}

/**
 * The format's limits on one known section, checked from its header before its payload is read
 * (docs/FORMAT.md, "Limits" and "Out-of-spec values"). Unknown tags are skipped unread, so their
 * lengths only have to fit the file.
 */
function checkLimits(s: SectionHeader, minor: number, file: string): void {
  if (!KNOWN_TAGS.has(s.tag)) return;
  const reserved = s.flags & ~SECTION_FLAGS_KNOWN;
  if (reserved !== 0 && minor <= FORMAT_MINOR) {
    throw formatError(
      file,
      `reserved section flag bits 0x${reserved.toString(16)} set; corrupt`,
      s.offset,
      s.tag,
    );
  }
  if (s.raw > SECTION_MAX_RAW) {
    throw formatError(
      file,
      `section claims ${formatBytes(s.raw)} bytes, more than the format's limit of ${formatBytes(SECTION_MAX_RAW)}; corrupt`,
      s.offset,
      s.tag,
    );
  }
  if (s.flags & SECTION_COMPRESSED && s.raw > s.stored * MAX_INFLATE_RATIO + 64) {
    throw formatError(
      file,
      `section claims ${formatBytes(s.raw)} bytes, more than its ${formatBytes(s.stored)} compressed bytes can inflate to; corrupt`,
      s.offset,
      s.tag,
    );
  }
}

function parseSectionHeader(h: Uint8Array, offset: number, file: string): SectionHeader {
  for (let i = 0; i < 4; i++) {
    if (h[i]! < 0x20 || h[i]! > 0x7e) throw formatError(file, 'corrupt section header', offset, null);
  }
  const tag = latin1.decode(h.subarray(0, 4));
  const v = new DataView(h.buffer, h.byteOffset, SECTION_HEADER_BYTES);
  const storedHi = v.getUint32(12, true);
  const rawHi = v.getUint32(20, true);
  if (storedHi !== 0 || rawHi !== 0)
    throw formatError(file, 'section length too large; corrupt', offset, tag);
  const s = {
    tag,
    flags: v.getUint32(4, true),
    offset,
    stored: v.getUint32(8, true),
    raw: v.getUint32(16, true),
  };
  if (!(s.flags & SECTION_COMPRESSED) && s.stored !== s.raw) {
    throw formatError(file, 'stored and raw length differ in an uncompressed section', offset, tag);
  }
  return s;
}

function payloadOf(stored: Uint8Array, s: SectionHeader, file: string): Uint8Array {
  const body = stored.subarray(SECTION_HEADER_BYTES);
  if (!(s.flags & SECTION_COMPRESSED)) return body;
  let raw: Uint8Array;
  try {
    // The claim is the hard cap: a stream that inflates past it stops there, whatever it holds.
    raw = inflateSync(body, { maxOutputLength: Math.max(1, s.raw) });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE')
      throw formatError(
        file,
        `inflates to more than the ${formatBytes(s.raw)} bytes its header says`,
        s.offset,
        s.tag,
      );
    throw formatError(file, 'payload fails to inflate', s.offset, s.tag);
  }
  if (raw.length !== s.raw)
    throw formatError(file, `inflated to ${raw.length} bytes, header says ${s.raw}`, s.offset, s.tag);
  return raw;
}

interface EndCounts {
  objects: number;
  edges: number;
  strings: number;
  types: number;
  crc: number;
}

function readEnd(source: ByteSource, file: string, s: SectionHeader): EndCounts {
  if (s.flags !== 0 || s.stored !== END_PAYLOAD_BYTES)
    throw formatError(file, 'malformed END section', s.offset, TAG.END);
  const b = readWhole(source, s.offset + SECTION_HEADER_BYTES, END_PAYLOAD_BYTES, file, TAG.END);
  const v = new DataView(b.buffer, b.byteOffset, END_PAYLOAD_BYTES);
  const u64 = (at: number) => v.getUint32(at + 4, true) * 4294967296 + v.getUint32(at, true);
  const counts = {
    objects: u64(0),
    edges: u64(8),
    strings: u64(16),
    types: u64(24),
    crc: v.getUint32(32, true),
  };
  if (counts.objects > 0xfffffff0 || counts.edges > 0xfffffff0) {
    throw formatError(file, 'object or edge count too large', s.offset, TAG.END);
  }
  return counts;
}

/** Accumulates the columns of each section into arrays sized from the END counts. */
class SectionReader {
  private readonly raw: RawSnapshot;
  private objects = 0;
  private edges = 0;
  /** Edges the objects read so far own: the edge stream may lag the object stream, never lead it. */
  private edgesOwned = 0;
  private types = 0;
  private tracebacks = 0;
  private readonly typeAddr = new GrowableF64();
  private readonly typeName = new GrowableU32();
  private readonly rootAddr = new GrowableF64();
  private readonly rootLabel = new GrowableU32();
  private readonly rootKind = new GrowableU32();
  private readonly tbFirst = new GrowableU32();
  private readonly frameFile = new GrowableU32();
  private readonly frameLine = new GrowableU32();
  private readonly allocAddr = new GrowableF64();
  private readonly allocTb = new GrowableU32();

  constructor(
    source: ByteSource,
    private readonly file: string,
    nodeBase: number,
    private readonly end: EndCounts,
    stringBytes: number,
    /** The header's minor: values reserved in 1.0 are refused in a 1.0 file, ignored in a later one. */
    private readonly minor: number,
  ) {
    const n = nodeBase + end.objects;
    this.raw = {
      fileName: file,
      fileBytes: source.size,
      formatVersion: '1.0',
      meta: {},
      info: null,
      nodeBase,
      objectCount: end.objects,
      // Shared (SharedArrayBuffer): later stages read these from two threads (parallel/), and the
      // helper maps their pages in while this thread fills them (`columns`). Only the leading
      // synthetic slots need filling: OBJS sections write every object's, or `finish` refuses.
      address: sharedFloat64(n),
      size: sharedFloat64(n),
      type: sharedUint32(n),
      label: sharedUint32(n).fill(NONE32, 0, nodeBase),
      refcount: sharedUint32(n),
      length: sharedUint32(n).fill(NONE32, 0, nodeBase),
      flags: sharedUint16(n),
      firstEdge: sharedUint32(n + 1),
      edgeCount: end.edges,
      edgeTargetAddress: sharedFloat64(end.edges),
      edgeName: sharedUint32(end.edges),
      edgeKind: sharedUint8(end.edges),
      strings: new StringTable(end.strings, stringBytes),
      typeAddress: new Float64Array(0),
      typeName: new Uint32Array(0),
      rootAddress: new Float64Array(0),
      rootLabel: new Uint32Array(0),
      rootKind: new Uint8Array(0),
      tracebackFirstFrame: new Uint32Array(1),
      frameFile: new Uint32Array(0),
      frameLine: new Uint32Array(0),
      allocAddress: new Float64Array(0),
      allocTraceback: new Uint32Array(0),
      objsSections: [],
    };
    this.tbFirst.push(0);
  }

  /** The arrays the sections fill front to back, in step (for `OnColumns`). */
  columns(withStrings: boolean): ArrayBufferView[] {
    const r = this.raw;
    return [
      r.address,
      r.size,
      r.type,
      r.label,
      r.refcount,
      r.length,
      r.flags,
      r.firstEdge,
      r.edgeTargetAddress,
      r.edgeName,
      r.edgeKind,
      ...(withStrings ? r.strings.columns() : []),
    ];
  }

  section(s: SectionHeader, index: number, payload: Uint8Array): void {
    if (index > 0 && s.tag === TAG.META) throw this.fail('a second META section', s);
    switch (s.tag) {
      case TAG.META:
        this.raw.meta = this.json(payload, s);
        this.checkMetaVersion(s);
        return;
      case TAG.INFO:
        this.raw.info = this.json(payload, s);
        return;
      case TAG.STRS:
        this.strs(payload, s);
        return;
      case TAG.TYPE:
        this.type(payload, s);
        return;
      case TAG.OBJS:
        this.objs(payload, s);
        return;
      case TAG.EDGE:
        this.edge(payload, s);
        return;
      case TAG.ROOT:
        this.root(payload, s);
        return;
      case TAG.TBAK:
        this.tbak(payload, s);
        return;
      case TAG.ALOC:
        this.aloc(payload, s);
        return;
      default:
        return; // unknown tags are skipped: minor versions may add sections
    }
  }

  private fail(what: string, s: SectionHeader) {
    return formatError(this.file, what, s.offset, s.tag);
  }

  private json(payload: Uint8Array, s: SectionHeader): Record<string, unknown> {
    try {
      const value: unknown = JSON.parse(new TextDecoder('utf-8').decode(payload));
      if (typeof value === 'object' && value !== null && !Array.isArray(value))
        return value as Record<string, unknown>;
    } catch {
      // fall through to the error below
    }
    throw this.fail('payload is not a JSON object', s);
  }

  private checkMetaVersion(s: SectionHeader): void {
    const meta = this.raw.meta;
    if (meta.format !== 'pyheap') throw this.fail('META does not say format "pyheap"', s);
    const v = meta.formatVersion;
    if (Array.isArray(v) && typeof v[0] === 'number' && typeof v[1] === 'number') {
      if (v[0] !== FORMAT_MAJOR) throw this.fail(`META says ${versionRefusal(v[0], v[1])}`, s);
      this.raw.formatVersion = `${v[0]}.${v[1]}`;
    }
  }

  /** Refuses a section whose u64 column held a value at or past 2^53 (see copyU64Column). */
  private exact(belowLimit: boolean, s: SectionHeader): void {
    if (!belowLimit)
      throw this.fail('an address or size at or past 2^53 (no pointer is that large); corrupt', s);
  }

  /** The `u32 count, u32 reserved` prefix, and a check that `width`-byte records fit. */
  private count(payload: Uint8Array, s: SectionHeader, width: number): number {
    if (payload.length < 8) throw this.fail('payload shorter than its count', s);
    const count = new DataView(payload.buffer, payload.byteOffset, 8).getUint32(0, true);
    if (8 + count * width > payload.length) throw this.fail(`${count} records do not fit the payload`, s);
    return count;
  }

  private strs(payload: Uint8Array, s: SectionHeader): void {
    const count = this.count(payload, s, 4);
    const lengths = u32Column(payload, 8, count);
    let total = 0;
    for (let i = 0; i < count; i++) total += lengths[i]!;
    const start = 8 + count * 4;
    if (start + total > payload.length) throw this.fail('string bytes run past the payload', s);
    this.raw.strings.append(lengths, payload.subarray(start, start + total));
  }

  private type(payload: Uint8Array, s: SectionHeader): void {
    const count = this.count(payload, s, 12);
    const names = u32Column(payload, 8 + count * 8, count);
    // A type always has a name: NONE32 here is corruption, not "absent" (it made a "" type).
    if (maxId(names, -1) >= this.raw.strings.count)
      throw this.fail(
        names.includes(NONE32) ? 'a type without a name; corrupt' : 'type name used before its string',
        s,
      );
    const addr = new Float64Array(count);
    this.exact(copyU64Column(payload, 8, count, addr, 0), s);
    for (let i = 0; i < count; i++) {
      this.typeAddr.push(addr[i]!);
      this.typeName.push(names[i]!);
    }
    this.types += count;
  }

  private objs(payload: Uint8Array, s: SectionHeader): void {
    const n = this.count(payload, s, 38);
    if (this.objects + n > this.end.objects) throw this.fail('more objects than the END section counts', s);
    const r = this.raw;
    const at = r.nodeBase + this.objects;
    r.objsSections.push({ offset: s.offset, firstObject: this.objects });
    this.exact(copyU64Column(payload, 8, n, r.address, at), s);
    this.exact(copyU64Column(payload, 8 + 8 * n, n, r.size, at), s);
    let off = 8 + 16 * n;
    const type = u32Column(payload, off, n);
    const label = u32Column(payload, off + 4 * n, n);
    if (maxId(type, -1) >= this.types) throw this.fail('object type used before its TYPE section', s);
    if (maxId(label, NONE32) >= r.strings.count) throw this.fail('object label used before its string', s);
    r.type.set(type, at);
    r.label.set(label, at);
    r.refcount.set(u32Column(payload, off + 8 * n, n), at);
    r.length.set(u32Column(payload, off + 12 * n, n), at);
    const edgeCounts = u32Column(payload, off + 16 * n, n);
    off += 20 * n;
    const flags = u16Column(payload, off, n);
    if (this.minor <= FORMAT_MINOR) {
      let all = 0;
      for (let i = 0; i < n; i++) all |= flags[i]!;
      if (all & ~OBJ_FLAGS_KNOWN)
        throw this.fail(
          `reserved object flag bits 0x${(all & ~OBJ_FLAGS_KNOWN).toString(16)} set; corrupt`,
          s,
        );
    }
    r.flags.set(flags, at);
    // firstEdge holds running totals: the stream is already grouped by source in object order.
    let owned = this.edgesOwned;
    for (let i = 0; i < n; i++) {
      owned += edgeCounts[i]!;
      r.firstEdge[at + i + 1] = owned;
    }
    if (owned > this.end.edges) throw this.fail('objects own more edges than the END section counts', s);
    this.edgesOwned = owned;
    this.objects += n;
  }

  private edge(payload: Uint8Array, s: SectionHeader): void {
    const n = this.count(payload, s, 13);
    if (this.edges + n > this.edgesOwned) throw this.fail('edges before the objects that own them', s);
    const r = this.raw;
    this.exact(copyU64Column(payload, 8, n, r.edgeTargetAddress, this.edges), s);
    const names = u32Column(payload, 8 + 8 * n, n);
    const kinds = u8Column(payload, 8 + 12 * n, n);
    const strings = r.strings.count;
    let unknownKind = false;
    for (let i = 0; i < n; i++) {
      const k = kinds[i]!;
      const name = names[i]!;
      if (k >= EDGE_KIND_COUNT) unknownKind = true;
      else if (k !== EDGE_KIND.INDEX && name !== NONE32 && name >= strings)
        throw this.fail('edge name used before its string', s);
    }
    r.edgeName.set(names, this.edges);
    r.edgeKind.set(kinds, this.edges);
    if (unknownKind) this.unknownEdgeKinds(n, s);
    this.edges += n;
  }

  /**
   * Kinds past WEAK: corrupt in a 1.0 file; in a later minor, a kind this reader does not know is
   * read as OTHER (a strong reference with no name), so that nothing it holds is lost.
   */
  private unknownEdgeKinds(n: number, s: SectionHeader): void {
    if (this.minor <= FORMAT_MINOR) throw this.fail(`an edge kind past ${EDGE_KIND_COUNT - 1}; corrupt`, s);
    const kinds = this.raw.edgeKind;
    for (let e = this.edges; e < this.edges + n; e++) {
      if (kinds[e]! >= EDGE_KIND_COUNT) {
        kinds[e] = EDGE_KIND.OTHER;
        this.raw.edgeName[e] = NONE32;
      }
    }
  }

  private root(payload: Uint8Array, s: SectionHeader): void {
    const n = this.count(payload, s, 13);
    const addr = new Float64Array(n);
    this.exact(copyU64Column(payload, 8, n, addr, 0), s);
    const labels = u32Column(payload, 8 + 8 * n, n);
    const kinds = u8Column(payload, 8 + 12 * n, n);
    if (maxId(labels, NONE32) >= this.raw.strings.count)
      throw this.fail('root label used before its string', s);
    if (this.minor <= FORMAT_MINOR) {
      for (let i = 0; i < n; i++) {
        const k = kinds[i]!;
        if (k < ROOT_KIND.MODULE || k > ROOT_KIND.OTHER)
          throw this.fail(`root kind ${k} is not one of 1–5; corrupt`, s);
      }
    }
    for (let i = 0; i < n; i++) {
      this.rootAddr.push(addr[i]!);
      this.rootLabel.push(labels[i]!);
      this.rootKind.push(kinds[i]!);
    }
  }

  private tbak(payload: Uint8Array, s: SectionHeader): void {
    const n = this.count(payload, s, 4);
    const frames = new DataView(payload.buffer, payload.byteOffset, 8).getUint32(4, true);
    if (8 + 4 * n + 8 * frames > payload.length) throw this.fail('frames do not fit the payload', s);
    const counts = u32Column(payload, 8, n);
    const files = u32Column(payload, 8 + 4 * n, frames);
    const lines = u32Column(payload, 8 + 4 * n + 4 * frames, frames);
    if (maxId(files, NONE32) >= this.raw.strings.count)
      throw this.fail('frame file used before its string', s);
    const base = this.frameFile.length;
    let sum = 0;
    for (let i = 0; i < n; i++) {
      sum += counts[i]!;
      this.tbFirst.push(base + sum);
    }
    if (sum !== frames) throw this.fail('frame counts do not add up to the frame total', s);
    for (let i = 0; i < frames; i++) {
      this.frameFile.push(files[i]!);
      this.frameLine.push(lines[i]!);
    }
    this.tracebacks += n;
  }

  private aloc(payload: Uint8Array, s: SectionHeader): void {
    const n = this.count(payload, s, 12);
    const addr = new Float64Array(n);
    this.exact(copyU64Column(payload, 8, n, addr, 0), s);
    const tb = u32Column(payload, 8 + 8 * n, n);
    if (maxId(tb, NONE32) >= this.tracebacks) throw this.fail('traceback used before its TBAK section', s);
    for (let i = 0; i < n; i++) {
      this.allocAddr.push(addr[i]!);
      this.allocTb.push(tb[i]!);
    }
  }

  finish(endOffset: number): RawSnapshot {
    const r = this.raw;
    const e = this.end;
    const mismatch = (what: string, read: number, said: number) =>
      formatError(this.file, `read ${read} ${what}, END says ${said}`, endOffset, TAG.END);
    if (this.objects !== e.objects) throw mismatch('objects', this.objects, e.objects);
    if (this.edges !== e.edges) throw mismatch('edges', this.edges, e.edges);
    if (this.edgesOwned !== e.edges) throw mismatch('edges owned by objects', this.edgesOwned, e.edges);
    if (r.strings.count !== e.strings) throw mismatch('strings', r.strings.count, e.strings);
    if (this.types !== e.types) throw mismatch('types', this.types, e.types);
    r.strings.trim();
    r.typeAddress = this.typeAddr.toArray();
    r.typeName = this.typeName.toArray();
    r.rootAddress = this.rootAddr.toArray();
    r.rootLabel = this.rootLabel.toArray();
    r.rootKind = Uint8Array.from(this.rootKind.toArray());
    r.tracebackFirstFrame = this.tbFirst.toArray();
    r.frameFile = this.frameFile.toArray();
    r.frameLine = this.frameLine.toArray();
    r.allocAddress = this.allocAddr.toArray();
    r.allocTraceback = this.allocTb.toArray();
    return r;
  }
}
