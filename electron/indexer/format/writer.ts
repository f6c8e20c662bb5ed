// Writes .pyheap files (docs/FORMAT.md) from TypeScript, for tests and benchmarks. The Python dumper
// is the production writer; this one exists so tests and the benchmark can build any graph, including
// broken files, without Python.
import { closeSync, openSync, writeSync } from 'node:fs';
import { crc32, deflateSync } from 'node:zlib';
import {
  END_PAYLOAD_BYTES,
  FORMAT_MAJOR,
  FORMAT_MINOR,
  HEADER_BYTES,
  MAGIC,
  pad8,
  SECTION_COMPRESSED,
  SECTION_HEADER_BYTES,
  TAG,
} from './spec';

export type Sink = (chunk: Uint8Array) => void;

export interface WriterOptions {
  /** zlib-compress chunk payloads (not META, INFO or END). */
  compress?: boolean;
}

export interface ObjectColumns {
  address: ArrayLike<number>;
  size: ArrayLike<number>;
  type: ArrayLike<number>;
  label: ArrayLike<number>;
  refcount: ArrayLike<number>;
  length: ArrayLike<number>;
  edgeCount: ArrayLike<number>;
  flags: ArrayLike<number>;
}

export interface EdgeColumns {
  target: ArrayLike<number>;
  name: ArrayLike<number>;
  kind: ArrayLike<number>;
}

const utf8 = new TextEncoder();

/** Column-wise payload builder: `u32 count, u32 second` then columns, padded to 8. */
class Payload {
  readonly bytes: Uint8Array;
  private readonly view: DataView;
  private at = 8;
  constructor(size: number, count: number, second = 0) {
    this.bytes = new Uint8Array(size + pad8(size));
    this.view = new DataView(this.bytes.buffer);
    this.view.setUint32(0, count, true);
    this.view.setUint32(4, second, true);
  }
  // Columns start aligned to their width (the format orders them so), so typed views can fill them.
  u64(values: ArrayLike<number>, n: number): void {
    const words = new Uint32Array(this.bytes.buffer, this.at, 2 * n);
    for (let i = 0; i < n; i++) {
      const v = values[i]!;
      const hi = Math.floor(v / 4294967296);
      words[2 * i] = v - hi * 4294967296;
      words[2 * i + 1] = hi;
    }
    this.at += 8 * n;
  }
  u32(values: ArrayLike<number>, n: number): void {
    const words = new Uint32Array(this.bytes.buffer, this.at, n);
    for (let i = 0; i < n; i++) words[i] = values[i]!;
    this.at += 4 * n;
  }
  u16(values: ArrayLike<number>, n: number): void {
    const halves = new Uint16Array(this.bytes.buffer, this.at, n);
    for (let i = 0; i < n; i++) halves[i] = values[i]!;
    this.at += 2 * n;
  }
  u8(values: ArrayLike<number>, n: number): void {
    for (let i = 0; i < n; i++) this.bytes[this.at++] = values[i]!;
  }
  raw(b: Uint8Array): void {
    this.bytes.set(b, this.at);
    this.at += b.length;
  }
}

export class PyheapWriter {
  private crc = 0;
  private objects = 0;
  private edges = 0;
  private strings = 0;
  private types = 0;
  /** Bytes written so far. */
  offset = 0;

  constructor(
    private readonly sink: Sink,
    private readonly options: WriterOptions = {},
  ) {
    const header = new Uint8Array(HEADER_BYTES);
    header.set(MAGIC);
    const v = new DataView(header.buffer);
    v.setUint16(8, FORMAT_MAJOR, true);
    v.setUint16(10, FORMAT_MINOR, true);
    this.emit(header);
  }

  private emit(chunk: Uint8Array): void {
    this.crc = crc32(chunk, this.crc);
    this.offset += chunk.length;
    this.sink(chunk);
  }

  /** Writes one section; `compress` defaults to the writer's option. */
  section(tag: string, payload: Uint8Array, compress = this.options.compress ?? false): void {
    const stored = compress ? deflateSync(payload) : payload;
    const h = new Uint8Array(SECTION_HEADER_BYTES);
    h.set(utf8.encode(tag.padEnd(4, ' ').slice(0, 4)));
    const v = new DataView(h.buffer);
    v.setUint32(4, compress ? SECTION_COMPRESSED : 0, true);
    v.setUint32(8, stored.length, true);
    v.setUint32(16, payload.length, true);
    this.emit(h);
    this.emit(stored);
  }

  meta(json: Record<string, unknown>): void {
    const full = { format: 'pyheap', formatVersion: [FORMAT_MAJOR, FORMAT_MINOR], ...json };
    this.section(TAG.META, utf8.encode(JSON.stringify(full)), false);
  }

  info(json: Record<string, unknown>): void {
    this.section(TAG.INFO, utf8.encode(JSON.stringify(json)), false);
  }

  /** Appends strings; returns the id of the first. */
  stringSection(values: readonly string[]): number {
    const encoded = values.map((s) => utf8.encode(s));
    const total = encoded.reduce((sum, b) => sum + b.length, 0);
    const p = new Payload(8 + 4 * values.length + total, values.length);
    p.u32(
      encoded.map((b) => b.length),
      values.length,
    );
    for (const b of encoded) p.raw(b);
    this.section(TAG.STRS, p.bytes);
    const first = this.strings;
    this.strings += values.length;
    return first;
  }

  typeSection(address: ArrayLike<number>, name: ArrayLike<number>): void {
    const n = address.length;
    const p = new Payload(8 + 12 * n, n);
    p.u64(address, n);
    p.u32(name, n);
    this.section(TAG.TYPE, p.bytes);
    this.types += n;
  }

  objectSection(c: ObjectColumns): void {
    const n = c.address.length;
    const p = new Payload(8 + 38 * n, n);
    p.u64(c.address, n);
    p.u64(c.size, n);
    p.u32(c.type, n);
    p.u32(c.label, n);
    p.u32(c.refcount, n);
    p.u32(c.length, n);
    p.u32(c.edgeCount, n);
    p.u16(c.flags, n);
    this.section(TAG.OBJS, p.bytes);
    this.objects += n;
  }

  edgeSection(c: EdgeColumns): void {
    const n = c.target.length;
    const p = new Payload(8 + 13 * n, n);
    p.u64(c.target, n);
    p.u32(c.name, n);
    p.u8(c.kind, n);
    this.section(TAG.EDGE, p.bytes);
    this.edges += n;
  }

  rootSection(address: ArrayLike<number>, label: ArrayLike<number>, kind: ArrayLike<number>): void {
    const n = address.length;
    const p = new Payload(8 + 13 * n, n);
    p.u64(address, n);
    p.u32(label, n);
    p.u8(kind, n);
    this.section(TAG.ROOT, p.bytes);
  }

  /** Tracebacks as lists of [file string id, line], most recent call last. */
  tracebackSection(tracebacks: readonly (readonly [number, number])[][]): void {
    const frames = tracebacks.flat();
    const p = new Payload(8 + 4 * tracebacks.length + 8 * frames.length, tracebacks.length, frames.length);
    p.u32(
      tracebacks.map((t) => t.length),
      tracebacks.length,
    );
    p.u32(
      frames.map((f) => f[0]),
      frames.length,
    );
    p.u32(
      frames.map((f) => f[1]),
      frames.length,
    );
    this.section(TAG.TBAK, p.bytes);
  }

  allocationSection(address: ArrayLike<number>, traceback: ArrayLike<number>): void {
    const n = address.length;
    const p = new Payload(8 + 12 * n, n);
    p.u64(address, n);
    p.u32(traceback, n);
    this.section(TAG.ALOC, p.bytes);
  }

  /** The END section with the counts written so far and the CRC of everything before it. */
  end(
    overrides: Partial<{ objects: number; edges: number; strings: number; types: number; crc: number }> = {},
  ): void {
    const crc = overrides.crc ?? this.crc;
    const b = new Uint8Array(END_PAYLOAD_BYTES);
    const v = new DataView(b.buffer);
    const counts = [
      overrides.objects ?? this.objects,
      overrides.edges ?? this.edges,
      overrides.strings ?? this.strings,
      overrides.types ?? this.types,
    ];
    counts.forEach((c, i) => {
      v.setUint32(i * 8, c % 4294967296, true);
      v.setUint32(i * 8 + 4, Math.floor(c / 4294967296), true);
    });
    v.setUint32(32, crc >>> 0, true);
    this.section(TAG.END, b, false);
  }
}

/** A sink that keeps every chunk; `bytes()` concatenates them. */
export function memorySink(): { sink: Sink; bytes: () => Uint8Array } {
  const chunks: Uint8Array[] = [];
  return {
    sink: (c) => chunks.push(c.slice()),
    bytes: () => {
      const out = new Uint8Array(chunks.reduce((s, c) => s + c.length, 0));
      let at = 0;
      for (const c of chunks) {
        out.set(c, at);
        at += c.length;
      }
      return out;
    },
  };
}

/** A sink that appends to a file; call `close()` after `end()`. */
export function fileSink(path: string): { sink: Sink; close: () => void } {
  const fd = openSync(path, 'w');
  return { sink: (c) => void writeSync(fd, c), close: () => closeSync(fd) };
}
