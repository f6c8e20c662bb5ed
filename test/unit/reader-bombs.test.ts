// Decompression bombs (issue 15): a small file whose compressed section claims, or really inflates
// to, far more than it should. The CLI runs under an address-space limit; every such file ends in
// one line and exit 2, or loads, never in a crash. (Before: signal 11 with nothing printed.)
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { deflateSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SnapshotBuilder } from '../../electron/indexer/format/builder';
import { bundleCli, runCli } from './cli-bundle';

/** Enough for node and a small snapshot (node itself needs ~1 GB of address space), not for a bomb. */
const LIMIT_KIB = 1_300_000;
/** 256 MiB of zeros deflate to ~1 MiB: the payload of every bomb here. */
const BOMB_RAW = 256 << 20;

let dir: string;
let cli: string;
let bomb: Uint8Array;

/** A real small snapshot with one extra compressed section `tag` (claiming `claim` raw bytes) after META. */
function withSection(tag: string, claim: number, payload: Uint8Array): Uint8Array {
  const good = new SnapshotBuilder();
  good.root(good.node('module', 72, { label: 'app' }), 'module', 'app');
  const bytes = good.toBytes();
  const view = new DataView(bytes.buffer, bytes.byteOffset);
  const afterMeta = 16 + 24 + view.getUint32(16 + 8, true);
  const header = new Uint8Array(24);
  header.set(new TextEncoder().encode(tag));
  const h = new DataView(header.buffer);
  h.setUint32(4, 1, true); // COMPRESSED
  h.setUint32(8, payload.length, true);
  h.setUint32(16, claim, true);
  const out = new Uint8Array(bytes.length + 24 + payload.length);
  out.set(bytes.subarray(0, afterMeta));
  out.set(header, afterMeta);
  out.set(payload, afterMeta + 24);
  out.set(bytes.subarray(afterMeta), afterMeta + 24 + payload.length);
  return out; // the CRC no longer matches: reading past the bomb proves it was survived
}

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'heapscope-bombs-'));
  cli = bundleCli();
  bomb = deflateSync(new Uint8Array(BOMB_RAW), { level: 1 });
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function summary(name: string, bytes: Uint8Array) {
  const path = join(dir, name);
  writeFileSync(path, bytes);
  return runCli(cli, ['summary', path], { limitKiB: LIMIT_KIB });
}

/** Exit 2 and one line naming the file: the bomb was refused or survived, not inflated into a crash. */
function oneLine(r: ReturnType<typeof summary>, name: string): string {
  expect(r.error).toBeUndefined();
  expect(r.signal, r.stderr).toBeNull();
  expect(r.status, r.stderr).toBe(2);
  expect(r.stderr.trimEnd().split('\n')).toHaveLength(1);
  expect(r.stderr).toContain(name);
  return r.stderr;
}

describe('decompression bombs, under ulimit -v', () => {
  it('a compressed section of an unknown tag is skipped unread, whatever it claims', () => {
    expect(bomb.length).toBeLessThan(2 << 20);
    const err = oneLine(summary('unknown.pyheap', withSection('ZZZZ', 0xffffffff, bomb)), 'unknown.pyheap');
    expect(err).toMatch(/CRC-32 mismatch/); // read to the end: the skipped section cost nothing
  });

  it('a known section claiming more than the format allows is refused before it is read', () => {
    const err = oneLine(summary('huge.pyheap', withSection('STRS', 0xffffffff, bomb)), 'huge.pyheap');
    expect(err).toMatch(
      /section claims 4,294,967,295 bytes, more than the format's limit .*\(STRS section\)/,
    );
  });

  it('a known section claiming more than its compressed bytes can inflate to is refused', () => {
    const err = oneLine(
      summary('ratio.pyheap', withSection('STRS', 1 << 29, deflateSync(new Uint8Array(1024)))),
      'ratio.pyheap',
    );
    expect(err).toMatch(/more than its \d+ compressed bytes can inflate to/);
  });

  it('a section that inflates past its claim stops at the claim', () => {
    const err = oneLine(summary('lie.pyheap', withSection('STRS', 64, bomb)), 'lie.pyheap');
    expect(err).toMatch(/inflates to more than the 64 bytes its header says .*\(STRS section\)/);
  });
});
