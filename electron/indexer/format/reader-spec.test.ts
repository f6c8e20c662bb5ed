// Out-of-spec values and section limits (docs/FORMAT.md, "Limits" and "Out-of-spec values"): what
// a 1.0 file may not hold is refused with the reader's one line; what a later minor may add is read
// safely (unknown edge kinds as OTHER, unknown flag bits ignored, unknown sections skipped unread).
import { crc32 } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import type { ApiError } from '../../shared/contract';
import { FIRST_OBJECT } from '../graph/layout';
import { loadSnapshot, SnapshotFormatError } from '../index';
import { StageContext } from '../progress';
import { readSnapshot } from './reader';
import type { ByteSource } from './source';
import { EDGE_KIND, NONE32, OBJ_FLAG, ROOT_KIND } from './spec';
import { memorySink, PyheapWriter } from './writer';

interface Body {
  typeName?: number;
  objectFlags?: number;
  edgeKind?: number;
  rootKind?: number;
  /** Section flags of the OBJS section. */
  objsSectionFlags?: number;
  /** An extra section written after META. */
  extra?: { tag: string; flags: number; stored: Uint8Array; raw: number };
}

/** module → holder → str; `minor` is written into the header (the CRC follows). */
function file(body: Body = {}, minor = 0): Uint8Array {
  const out = memorySink();
  const w = new PyheapWriter(out.sink);
  w.meta({});
  if (body.extra) rawSection(w, body.extra);
  w.stringSection(['module', 'app.Holder', 'str', 'x', 'app']);
  w.typeSection([0, 0, 0], [0, 1, body.typeName ?? 2]);
  const objects = {
    address: [16, 32, 48],
    size: [100, 50, 60],
    type: [0, 1, 2],
    label: [4, NONE32, 3],
    refcount: [0, 1, 1],
    length: [NONE32, NONE32, 1],
    edgeCount: [1, 1, 0],
    flags: [0, body.objectFlags ?? 0, OBJ_FLAG.GC_TRACKED],
  };
  if (body.objsSectionFlags === undefined) w.objectSection(objects);
  else {
    // The same payload, written through a section header with the given flags.
    const sink = memorySink();
    new PyheapWriter(sink.sink).objectSection(objects);
    const bytes = sink.bytes();
    const payload = bytes.subarray(16 + 24);
    rawSection(w, { tag: 'OBJS', flags: body.objsSectionFlags, stored: payload, raw: payload.length });
    (w as unknown as { objects: number }).objects += 3;
  }
  w.edgeSection({
    target: [32, 48],
    name: [NONE32, 3],
    kind: [EDGE_KIND.ATTR, body.edgeKind ?? EDGE_KIND.ATTR],
  });
  w.rootSection([16], [4], [body.rootKind ?? ROOT_KIND.MODULE]);
  w.end();
  const bytes = out.bytes();
  if (minor !== 0) {
    new DataView(bytes.buffer).setUint16(10, minor, true);
    new DataView(bytes.buffer).setUint32(bytes.length - 8, crc32(bytes.subarray(0, bytes.length - 64)), true);
  }
  return bytes;
}

function rawSection(w: PyheapWriter, s: NonNullable<Body['extra']>): void {
  const header = new Uint8Array(24);
  header.set(new TextEncoder().encode(s.tag));
  const v = new DataView(header.buffer);
  v.setUint32(4, s.flags, true);
  v.setUint32(8, s.stored.length, true);
  v.setUint32(16, s.raw, true);
  const emit = (w as unknown as { emit(c: Uint8Array): void }).emit.bind(w);
  emit(header);
  emit(s.stored);
}

async function refusal(bytes: Uint8Array): Promise<string> {
  const err = await loadSnapshot({ bytes, name: 'x.pyheap' }).catch((e: unknown) => e);
  expect(err).toBeInstanceOf(SnapshotFormatError);
  const message = (err as ApiError).message;
  expect(message).toMatch(/^x\.pyheap: .* at byte [\d,]+ \([A-Z]+ section\)$/);
  return message;
}

describe('out-of-spec values in a 1.0 file are refused', () => {
  it('the sample reads (the mutations below are all that differ)', async () => {
    const snap = await loadSnapshot({ bytes: file(), name: 'ok' });
    expect(snap.info('ok', 'ok', null).totals).toMatchObject({ objects: 3, edges: 2 });
  });

  it('a TYPE whose name is NONE32 (it made a "" type)', async () => {
    expect(await refusal(file({ typeName: NONE32 }))).toMatch(
      /a type without a name; corrupt .*\(TYPE section\)/,
    );
  });

  it('an edge kind past WEAK (it counted as a strong reference)', async () => {
    expect(await refusal(file({ edgeKind: 10 }))).toMatch(/an edge kind past 9; corrupt .*\(EDGE section\)/);
    expect(await refusal(file({ edgeKind: 255 }))).toMatch(/edge kind past 9/);
  });

  it('reserved object flag bits', async () => {
    expect(await refusal(file({ objectFlags: 1 << 7 }))).toMatch(
      /reserved object flag bits 0x80 set; corrupt .*\(OBJS section\)/,
    );
    expect(await refusal(file({ objectFlags: 0x8000 | OBJ_FLAG.GC_TRACKED }))).toMatch(/flag bits 0x8000/);
  });

  it('reserved section flag bits', async () => {
    expect(await refusal(file({ objsSectionFlags: 2 }))).toMatch(
      /reserved section flag bits 0x2 set; corrupt .*\(OBJS section\)/,
    );
  });

  it('a root kind outside 1–5', async () => {
    for (const kind of [0, 6]) {
      expect(await refusal(file({ rootKind: kind }))).toMatch(
        /root kind \d is not one of 1–5; corrupt .*\(ROOT section\)/,
      );
    }
  });

  it('a table section claiming more than the END counts leave room for, before it is inflated', async () => {
    const stored = new Uint8Array(4096); // not even a zlib stream: refused from the header alone
    const bytes = file({ extra: { tag: 'OBJS', flags: 1, stored, raw: 1_000_000 } });
    expect(await refusal(bytes)).toMatch(
      /section claims 1,000,000 bytes, more than the END counts leave room for/,
    );
  });
});

describe('what a later minor may add is read safely', () => {
  it('unknown edge kinds read as OTHER: a strong reference with no name', async () => {
    const snap = await loadSnapshot({ bytes: file({ edgeKind: 42 }, 1), name: 'm' });
    const refs = snap.referents({ node: FIRST_OBJECT + 1, range: { start: 0, end: 10 } });
    expect(refs.rows.map((r) => r.edge.kind)).toEqual(['other']);
    expect(refs.rows[0]!.edge.name).toBe('');
    expect(snap.objectDetails({ node: FIRST_OBJECT + 1 }).row.retained).toBe(110); // the str is retained
  });

  it('unknown object and section flag bits are ignored', async () => {
    const snap = await loadSnapshot({
      bytes: file({ objectFlags: 1 << 9, objsSectionFlags: 4 }, 1),
      name: 'm',
    });
    expect(snap.info('m', 'm', null).totals.objects).toBe(3);
  });

  it('an unknown section is skipped without being inflated, whatever it holds', async () => {
    const garbage = new Uint8Array(64).fill(0xab); // not a zlib stream
    const snap = await loadSnapshot({
      bytes: file({ extra: { tag: 'ZZZZ', flags: 0xff, stored: garbage, raw: 0xffffffff } }),
      name: 'm',
    });
    expect(snap.info('m', 'm', null).totals.objects).toBe(3);
  });
});

describe('a file that shrinks while it is read', () => {
  it('is refused in one line, not read as short columns', async () => {
    const bytes = file();
    // Whole for the scan of the headers, then cut short: as if the file were truncated meanwhile.
    let reads = 0;
    const scanReads = sections(bytes) + 2;
    const shrinking: ByteSource = {
      size: bytes.length,
      read: (offset, length) => {
        const end = ++reads > scanReads ? Math.min(offset + length, 200) : offset + length;
        return bytes.subarray(offset, Math.max(offset, end));
      },
      close() {},
    };
    const err = await readSnapshot(shrinking, 'x.pyheap', 7, new StageContext(undefined, undefined)).catch(
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(SnapshotFormatError);
    expect((err as Error).message).toMatch(
      /^x\.pyheap: the file shrank while it was read; open it again once it is complete at byte 200 \([A-Z]+ section\)$/,
    );
  });
});

/** Section headers in `bytes`, END included. */
function sections(bytes: Uint8Array): number {
  const v = new DataView(bytes.buffer, bytes.byteOffset);
  let n = 0;
  for (let at = 16; at < bytes.length; at += 24 + v.getUint32(at + 8, true)) n++;
  return n;
}
