// Every way a path can fail to be a snapshot gives one line on stderr naming the file, exit 2
// (issue 15): symlink loops, directories, FIFOs and devices (refused without blocking), version
// and truncation wording, and `report`'s byte count.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SnapshotBuilder } from '../../electron/indexer/format/builder';
import { bundleCli, runCli } from './cli-bundle';
import { runCli as runInProcess } from './cli-run';

let dir: string;
const file = (name: string) => join(dir, name);

function snapshot(): Uint8Array {
  const g = new SnapshotBuilder();
  const mod = g.node('module', 72, { label: 'app' });
  const s = g.node('str', 60, { label: 'héllo ‹wörld› → ≥' });
  g.root(mod, 'module', 'app').edge(mod, s, 'attr', 'greeting');
  return g.toBytes({ meta: { argv: ['app.py'] } });
}

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'heapscope-file-errors-'));
  writeFileSync(file('good.pyheap'), snapshot());
  symlinkSync(file('loop-b'), file('loop-a'));
  symlinkSync(file('loop-a'), file('loop-b'));
  execFileSync('mkfifo', [file('fifo.pyheap')]);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const run = runInProcess;

/** One line on stderr, naming `name`, exit 2, nothing on stdout. */
async function refused(name: string, ...argv: string[]): Promise<string> {
  const r = await run(...argv);
  expect(r.code, r.err).toBe(2);
  expect(r.out).toBe('');
  expect(r.err.endsWith('\n')).toBe(true);
  expect(r.err.trimEnd().split('\n')).toHaveLength(1);
  expect(r.err).toContain(name);
  return r.err;
}

describe('the CLI refuses what is not a snapshot file in one line, exit 2', () => {
  it('a symlink loop', async () => {
    const err = await refused('loop-a', 'summary', file('loop-a'));
    expect(err).toMatch(/loop-a: too many levels of symbolic links/);
    expect(err).not.toMatch(/ELOOP/);
  });

  it('a directory, named', async () => {
    const err = await refused(dir, 'summary', dir);
    expect(err).toMatch(/: is a directory, not a snapshot file/);
  });

  it('a FIFO, at once (a plain open waits for a writer forever)', () => {
    // In a child process with a time limit: a regression blocks its whole thread, not this one.
    const r = runCli(bundleCli(), ['summary', file('fifo.pyheap')], { timeoutMs: 10_000 });
    expect(r.error).toBeUndefined();
    expect(r.status, r.stderr).toBe(2);
    expect(r.stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/fifo\.pyheap: is a FIFO \(named pipe\), not a snapshot file/);
  });

  it('a device', { timeout: 5000 }, async () => {
    const err = await refused('/dev/zero', 'summary', '/dev/zero');
    expect(err).toMatch(/\/dev\/zero: is a device/);
  });

  it('a format major before 1 is not "written by a newer Heapscope"', async () => {
    const bytes = snapshot();
    bytes[8] = 0;
    writeFileSync(file('zero.pyheap'), bytes);
    const err = await refused('zero.pyheap', 'summary', file('zero.pyheap'));
    expect(err).toMatch(/format 0\.0 is not a version Heapscope ever wrote/);
    expect(err).not.toMatch(/newer/);
    bytes[8] = 3;
    writeFileSync(file('three.pyheap'), bytes);
    expect(await refused('three.pyheap', 'summary', file('three.pyheap'))).toMatch(
      /format 3\.0 written by a newer Heapscope; this one reads 1\.x/,
    );
  });

  it('serve checks its files with the same lines', async () => {
    expect(await refused('loop-a', 'serve', file('loop-a'))).toMatch(
      /loop-a: too many levels of symbolic links/,
    );
    expect(await refused('fifo.pyheap', 'serve', file('fifo.pyheap'))).toMatch(
      /fifo\.pyheap: not a regular file, not a snapshot file/,
    );
  });

  it('a file name with a newline or a terminal escape stays on one line, shown escaped', async () => {
    const name = join(dir, 'evil\n\x1b[31mname.pyheap');
    const err = await refused('evil', 'summary', name);
    expect(err).toContain('evil\\n\\x1b[31mname.pyheap: no such file');
  });

  it('a cut inside a section header says so in words', async () => {
    const bytes = snapshot();
    writeFileSync(file('cut.pyheap'), bytes.subarray(0, 16 + 10));
    const err = await refused('cut.pyheap', 'summary', file('cut.pyheap'));
    expect(err).toMatch(/truncated at byte 16 \(in a section header\); the dump was probably interrupted/);
    expect(err).not.toMatch(/section header section/);
  });
});

describe('heapscope report', () => {
  it('counts the bytes it wrote, not characters', async () => {
    const out = file('r.md');
    const r = await run('report', file('good.pyheap'), '-o', out, '--include-values');
    expect(r.code, r.err).toBe(0);
    const bytes = statSync(out).size;
    expect(readFileSync(out, 'utf8').length).toBeLessThan(bytes); // multi-byte text, or the test proves nothing
    expect(r.out).toBe(`wrote ${out} (md, ${bytes.toLocaleString('en-US')} bytes)\n`);
  });
});
