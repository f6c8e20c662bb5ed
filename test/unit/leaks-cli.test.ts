// `heapscope diff|leaks|report` end to end through the CLI dispatcher, on small snapshot files built
// with the indexer's SnapshotBuilder: outputs, exit codes for CI gates, and one-line errors.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SnapshotBuilder } from '../../electron/indexer/format/builder';
import type { LeakReport } from '../../electron/shared/contract';
import { runCli } from './cli-run';

function snapshot(sessions: number, time: number, pid = 7): Uint8Array {
  const g = new SnapshotBuilder();
  const mod = g.node('module', 72, { label: 'app' });
  const ns = g.node('dict', 2000);
  g.root(mod, 'module', 'app').edge(mod, ns, 'internal', '__dict__');
  const cache = g.node('dict', 4000);
  g.edge(ns, cache, 'dict-value', "'_CACHE'");
  for (let i = 0; i < sessions; i++) g.edge(cache, g.node('app.Session', 2000), 'dict-value', `'s${i}'`);
  return g.toBytes({ meta: { pid, argv: ['app.py'], dumpTime: time } });
}

let dir: string;
const file = (name: string) => join(dir, name);
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'heapscope-leaks-cli-'));
  writeFileSync(file('1.pyheap'), snapshot(10, 100));
  writeFileSync(file('2.pyheap'), snapshot(200, 110));
  writeFileSync(file('3.pyheap'), snapshot(400, 120));
  writeFileSync(file('flat.pyheap'), snapshot(200, 130));
  writeFileSync(file('other.pyheap'), snapshot(10, 140, 99));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const run = runCli;

describe('heapscope diff', () => {
  it('prints type deltas, and JSON with --json', async () => {
    const text = await run('diff', file('1.pyheap'), file('2.pyheap'));
    expect(text.code).toBe(0);
    expect(text.out).toMatch(/new 190 objects/);
    expect(text.out).toMatch(/\+190 +190 +0 +app\.Session/);
    const json = JSON.parse((await run('diff', file('1.pyheap'), file('2.pyheap'), '--json')).out);
    expect(json.info).toMatchObject({ newObjects: 190, freedObjects: 0 });
    expect(json.types.find((t: { type: string }) => t.type === 'app.Session')).toMatchObject({
      countDelta: 190,
    });
  });

  it('warns on stderr when the snapshots come from different processes', async () => {
    const r = await run('diff', file('1.pyheap'), file('other.pyheap'));
    expect(r.code).toBe(0);
    expect(r.err).toMatch(/^warning: .*different processes/);
  });
});

describe('heapscope leaks', () => {
  it('lists the suspect, and --fail-on-leak exits 1 for CI', async () => {
    const r = await run('leaks', file('1.pyheap'), file('2.pyheap'), file('3.pyheap'), '--fail-on-leak');
    expect(r.code).toBe(1);
    expect(r.out).toMatch(/^1 leak suspect, most likely first/);
    expect(r.out).toContain("path:    module app → ['_CACHE'] → dict");
    const json = JSON.parse(
      (await run('leaks', file('1.pyheap'), file('2.pyheap'), '--json')).out,
    ) as LeakReport;
    expect(json.suspects[0]).toMatchObject({
      countGrowth: 190,
      retainedGrowthBytes: 190 * 2000,
      kind: 'growth',
    });
    expect(json.suspects[0].explanation).toMatch(
      /^dict `_CACHE` in module `app` gained 190 `Session` entries/,
    );
  });

  it('exits 0 and says so when nothing grew', async () => {
    const r = await run('leaks', file('2.pyheap'), file('flat.pyheap'), '--fail-on-leak');
    expect(r).toMatchObject({ code: 0, err: '' });
    expect(r.out).toMatch(/^No leak suspects \(noise floor 64\.0 KiB \/ 32 objects\)/);
  });

  it('rejects bad input with one line, exit 2', async () => {
    for (const argv of [
      ['leaks', file('1.pyheap')],
      ['leaks', file('1.pyheap'), file('2.pyheap'), '--top', 'x'],
      ['leaks', file('1.pyheap'), file('2.pyheap'), '--bogus'],
      ['leaks', file('1.pyheap'), file('missing.pyheap')],
    ]) {
      const r = await run(...argv);
      expect(r.code, argv.join(' ')).toBe(2);
      expect(r.err.trim().split('\n'), argv.join(' ')).toHaveLength(1);
    }
  });
});

describe('heapscope report', () => {
  it('writes HTML, Markdown and JSON chosen by extension', async () => {
    for (const ext of ['html', 'md', 'json']) {
      const out = file(`report.${ext}`);
      const r = await run('report', file('1.pyheap'), file('2.pyheap'), file('3.pyheap'), '-o', out);
      expect(r.code).toBe(0);
      expect(r.out).toMatch(new RegExp(`^wrote .*report\\.${ext} \\(${ext}`));
      expect(readFileSync(out, 'utf8')).toContain('_CACHE');
    }
    expect(readFileSync(file('report.html'), 'utf8')).toMatch(/^<!doctype html>/);
  });

  it('rejects an unknown extension, too many snapshots and an unwritable path', async () => {
    const bad = await run('report', file('1.pyheap'), '-o', file('report.txt'));
    expect(bad).toMatchObject({ code: 2 });
    expect(bad.err).toMatch(/cannot tell the format from .*report\.txt/);
    const many = await run(
      'report',
      file('1.pyheap'),
      file('2.pyheap'),
      file('3.pyheap'),
      file('flat.pyheap'),
      '-o',
      'x.md',
    );
    expect(many.err).toMatch(/expected 1 to 3 snapshots/);
    const unwritable = await run('report', file('1.pyheap'), '-o', join(dir, 'no', 'such', 'r.md'));
    expect(unwritable.code).toBe(2);
    expect(unwritable.err).toMatch(/cannot write .* \(ENOENT\)/);
  });
});
