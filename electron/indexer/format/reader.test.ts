// The reader's refusals (docs/FORMAT.md "Reader obligations"): each is one line naming the file,
// the section and the byte offset, with code 'bad-snapshot'.
import { describe, expect, it } from 'vitest';
import { ApiError } from '../../shared/contract';
import { FIRST_OBJECT } from '../graph/layout';
import { loadSnapshot, SnapshotFormatError } from '../index';
import { builderAddress, SnapshotBuilder } from './builder';
import { EDGE_KIND, NONE32 } from './spec';
import { memorySink, PyheapWriter } from './writer';

function sample(): SnapshotBuilder {
  const g = new SnapshotBuilder();
  const mod = g.node('module', 100, { label: 'app' });
  const d = g.node('dict', 200);
  const s = g.node('str', 50, { label: 'hello', traceback: [{ file: 'app.py', line: 3 }] });
  g.edge(mod, d, 'internal', '__dict__').edge(d, s, 'dict-value', "'greeting'").root(mod, 'module', 'app');
  return g;
}

async function refusal(bytes: Uint8Array, name = 'x.pyheap', parallelMinObjects?: number): Promise<ApiError> {
  try {
    await loadSnapshot({ bytes, name }, { parallelMinObjects });
  } catch (err) {
    expect(err).toBeInstanceOf(ApiError);
    return err as ApiError;
  }
  throw new Error('expected the reader to refuse the file');
}

function write(body: (w: PyheapWriter) => void): Uint8Array {
  const out = memorySink();
  const w = new PyheapWriter(out.sink);
  w.meta({});
  body(w);
  return out.bytes();
}

describe('reader', () => {
  it('reads compressed and uncompressed files, in any chunking, to the same graph', async () => {
    const plain = await loadSnapshot({ bytes: sample().toBytes(), name: 'a' });
    const packed = await loadSnapshot({ bytes: sample().toBytes({ compress: true, chunk: 1 }), name: 'b' });
    expect(packed.info('b', 'b', null).totals).toEqual(plain.info('a', 'a', null).totals);
    expect(plain.info('a', 'a', null).totals).toMatchObject({
      objects: 3,
      edges: 2,
      shallow: 350,
      reachableShallow: 350,
    });
    const details = plain.objectDetails({ node: FIRST_OBJECT + 2 });
    expect(details.traceback).toEqual([{ file: 'app.py', line: 3 }]);
  });

  it('refuses an empty file', async () => {
    const err = await refusal(new Uint8Array(0), 'empty.pyheap');
    expect(err.code).toBe('bad-snapshot');
    expect(err.message).toBe('empty.pyheap: empty file, not a .pyheap file at byte 0');
  });

  it('refuses a file with the wrong magic', async () => {
    const err = await refusal(new TextEncoder().encode('{"snapshot": {}}'));
    expect(err).toBeInstanceOf(SnapshotFormatError);
    expect(err.message).toMatch(/^x\.pyheap: not a \.pyheap file \(bad magic\) at byte 0$/);
  });

  it('refuses a newer major version', async () => {
    const bytes = sample().toBytes();
    bytes[8] = 2;
    expect((await refusal(bytes)).message).toMatch(/format 2\.0 written by a newer Heapscope.* at byte 8/);
  });

  it('refuses every truncation with the section and offset', async () => {
    const bytes = sample().toBytes({ chunk: 1 });
    for (const cut of [10, 16, 30, 100, bytes.length - 41, bytes.length - 1]) {
      const err = await refusal(bytes.subarray(0, cut), 'cut.pyheap');
      expect(err.code).toBe('bad-snapshot');
      expect(err.message).toMatch(
        /^cut\.pyheap: truncated at byte [\d,]+( \((in a section header|(after the )?[A-Z]+ section)\))?; the dump was probably interrupted$/,
      );
      expect(err.message).not.toContain('\n');
    }
  });

  it('names the section a truncation falls in, with a thousands-separated offset', async () => {
    const g = new SnapshotBuilder();
    for (let i = 0; i < 400; i++) g.node('int', 28, { label: String(i) });
    for (let i = 1; i < 400; i++) g.edge(0, i, 'index', i);
    g.root(0);
    const bytes = g.toBytes({ chunk: 400 });
    const err = await refusal(bytes.subarray(0, bytes.length - 200));
    expect(err.message).toMatch(/truncated at byte \d+,\d{3} \((EDGE|ROOT) section\)/);
  });

  it('refuses a flipped byte (CRC), a bad zlib stream, and bytes after END', async () => {
    const bytes = sample().toBytes();
    const flipped = bytes.slice();
    flipped[bytes.length - 70] ^= 0x40;
    expect((await refusal(flipped)).message).toMatch(/CRC-32 mismatch|corrupt|used before/);
    const packed = sample().toBytes({ compress: true });
    const broken = packed.slice();
    // Corrupt the zlib header of the STRS section (the first section after META).
    const metaLen = new DataView(packed.buffer).getUint32(16 + 8, true);
    broken[16 + 24 + metaLen + 24] = 0;
    expect((await refusal(broken)).message).toMatch(/fails to inflate .*\(STRS section\)/);
    const extra = new Uint8Array(bytes.length + 3);
    extra.set(bytes);
    expect((await refusal(extra)).message).toMatch(/bytes after the END section/);
  });

  it('refuses a compressed section whose header claims more than it inflates to, however much', async () => {
    const out = memorySink();
    const w = new PyheapWriter(out.sink, { compress: true });
    w.meta({});
    w.stringSection(['a']);
    w.stringSection(['b']);
    w.end();
    const lying = out.bytes();
    // Every STRS section's raw length: 4 GiB less 16 each (more than one array may hold).
    const view = new DataView(lying.buffer);
    let sections = 0;
    for (let at = 16; at < lying.length; at += 24 + view.getUint32(at + 8, true)) {
      if (new TextDecoder().decode(lying.subarray(at, at + 4)) !== 'STRS') continue;
      view.setUint32(at + 16, 0xfffffff0, true);
      sections++;
    }
    expect(sections).toBeGreaterThan(1);
    for (const parallelMinObjects of [undefined, 0]) {
      const err = await refusal(lying, 'x.pyheap', parallelMinObjects);
      expect(err).toBeInstanceOf(SnapshotFormatError);
      expect(err.message).toMatch(
        /section claims 4,294,967,280 bytes, more than the format's limit .*\(STRS section\)/,
      );
    }
  });

  it('refuses counts that disagree with END', async () => {
    const bytes = write((w) => {
      w.stringSection(['t']);
      w.typeSection([0], [0]);
      w.objectSection({
        address: [16],
        size: [1],
        type: [0],
        label: [NONE32],
        refcount: [0],
        length: [NONE32],
        edgeCount: [0],
        flags: [0],
      });
      w.end({ objects: 2 });
    });
    // Found from the section headers, before any column is sized from the count.
    expect((await refusal(bytes)).message).toMatch(
      /END says 2 objects, the OBJS sections hold at most 1 .*\(END section\)/,
    );
  });

  it('refuses END counts the sections have no room for, before sizing columns from them', async () => {
    const bytes = write((w) => {
      w.stringSection(['t']);
      w.typeSection([0], [0]);
      w.end({ strings: 1, types: 1, edges: 1_000_000_000 });
    });
    expect((await refusal(bytes, 'x.pyheap', 0)).message).toMatch(
      /END says 1000000000 edges, the EDGE sections hold at most 0 .*\(END section\)/,
    );
    const many = write((w) => {
      w.stringSection(['t']);
      w.end({ strings: 100 });
    });
    expect((await refusal(many)).message).toMatch(/END says 100 strings, the STRS sections hold at most \d /);
  });

  it('refuses ids used before they are defined', async () => {
    const bytes = write((w) => {
      w.typeSection([0], [0]); // string 0 not yet defined
      w.stringSection(['t']);
      w.end();
    });
    expect((await refusal(bytes)).message).toMatch(
      /type name used before its string at byte [\d,]+ \(TYPE section\)/,
    );
  });

  it('refuses duplicate object addresses', async () => {
    const bytes = write((w) => {
      w.stringSection(['t']);
      w.typeSection([0], [0]);
      const one = {
        size: [1, 1],
        type: [0, 0],
        label: [NONE32, NONE32],
        refcount: [0, 0],
        length: [NONE32, NONE32],
        edgeCount: [0, 0],
        flags: [0, 0],
      };
      w.objectSection({ address: [16, 16], ...one });
      w.end();
    });
    expect((await refusal(bytes)).message).toMatch(/duplicate object address 0x10 .*\(OBJS section\)/);
    // The same line when two threads join the addresses (graph/address-join.ts).
    expect((await refusal(bytes, 'x.pyheap', 0)).message).toMatch(
      /duplicate object address 0x10 .*\(OBJS section\)/,
    );
  });

  it('refuses an address past 2^53, which a float64 cannot hold exactly', async () => {
    const one = {
      size: [1],
      type: [0],
      label: [NONE32],
      refcount: [0],
      length: [NONE32],
      edgeCount: [1],
      flags: [0],
    };
    for (const [address, target, section] of [
      [2 ** 53 + 16, 16, 'OBJS'],
      [16, 2 ** 53 + 16, 'EDGE'],
    ] as const) {
      const bytes = write((w) => {
        w.stringSection(['t']);
        w.typeSection([0], [0]);
        w.objectSection({ address: [address], ...one });
        w.edgeSection({ target: [target], name: [NONE32], kind: [EDGE_KIND.WEAK] });
        w.end();
      });
      expect((await refusal(bytes)).message).toMatch(
        new RegExp(
          `an address or size at or past 2\\^53 .*; corrupt at byte [\\d,]+ \\(${section} section\\)`,
        ),
      );
    }
  });

  it('refuses edges that run ahead of their objects', async () => {
    const bytes = write((w) => {
      w.stringSection(['t']);
      w.typeSection([0], [0]);
      w.edgeSection({ target: [16], name: [NONE32], kind: [EDGE_KIND.OTHER] });
      w.end();
    });
    expect((await refusal(bytes)).message).toMatch(
      /edges before the objects that own them .*\(EDGE section\)/,
    );
  });

  it('drops and counts dangling edges, skips unknown sections', async () => {
    const g = sample();
    g.danglingEdge(1, 0xdead0);
    const out = memorySink();
    const w = new PyheapWriter(out.sink);
    w.meta({});
    w.section('ZZZZ', new Uint8Array(16)); // a section from a future minor version
    g.writeBody(w, 2);
    w.end();
    const snap = await loadSnapshot({ bytes: out.bytes(), name: 'd' });
    expect(snap.info('d', 'd', null).totals).toMatchObject({ edges: 2, danglingEdges: 1 });
    expect(snap.referents({ node: FIRST_OBJECT + 1, range: { start: 0, end: 10 } }).total).toBe(1);
  });

  it("reports INFO's consistency keys, unknown without them", async () => {
    const consistency = async (info?: Record<string, unknown>) =>
      (await loadSnapshot({ bytes: sample().toBytes({ info }), name: 'c' })).info('c', 'c', null).consistency;
    expect(await consistency({ walkExclusive: false, gilHeld: false })).toBe('shared');
    expect(await consistency({ walkExclusive: false, gilHeld: true })).toBe('held');
    expect(await consistency({ walkExclusive: true, gilHeld: false })).toBe('exclusive');
    expect(await consistency()).toBe('unknown');
  });

  it('reads a snapshot with no objects, and every query answers', async () => {
    const snap = await loadSnapshot({ bytes: new SnapshotBuilder().toBytes(), name: 'none' });
    // And through the two-thread path (it must not trip over empty tables).
    await loadSnapshot({ bytes: new SnapshotBuilder().toBytes(), name: 'none' }, { parallelMinObjects: 0 });
    expect(snap.info('n', 'n', null).totals).toMatchObject({
      objects: 0,
      edges: 0,
      shallow: 0,
      reachableShallow: 0,
    });
    const range = { start: 0, end: 10 };
    expect(snap.summary({ range }).total).toBe(0);
    expect(snap.dominatorChildren({ node: 0, range }).total).toBe(7); // the root groups, the interpreter's included
    expect(snap.search({ query: 'x', range }).total).toBe(0);
    expect(snap.retainerPaths({ node: 0 })).toEqual([]);
    expect(snap.dominatorSubtree({ node: 0, depth: 2, maxChildren: 3, minFraction: 0 }).children.length).toBe(
      3,
    );
  });

  it('reads process facts from META', async () => {
    const snap = await loadSnapshot({
      bytes: sample().toBytes({ meta: { pid: 7, hostname: 'web-1' } }),
      name: 'm',
    });
    const info = snap.info('m', 'm.pyheap', null);
    expect(info.process).toMatchObject({
      pid: 7,
      hostname: 'web-1',
      pythonVersion: '3.12.1',
      argv: ['test.py'],
    });
    expect(info.formatVersion).toBe('1.0');
    expect(builderAddress(0).toString(16)).toBe(
      snap.objectDetails({ node: FIRST_OBJECT }).row.address.slice(2),
    );
  });

  it('rejects with code "cancelled" when the signal aborts', async () => {
    const controller = new AbortController();
    controller.abort();
    const err = await loadSnapshot(
      { bytes: sample().toBytes(), name: 'c' },
      { signal: controller.signal },
    ).catch((e) => e);
    expect(err).toBeInstanceOf(ApiError);
    expect((err as ApiError).code).toBe('cancelled');
  });
});
