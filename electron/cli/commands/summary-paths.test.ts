// `heapscope summary` and `heapscope paths` on a hand-made snapshot: exact JSON shapes, exit codes.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SnapshotBuilder } from '../../indexer/format/builder';
import type { CliIO } from '../io';
import { runPaths } from './paths';
import { runSummary } from './summary';

function capture(isTTY = false): CliIO & { out: string; err: string } {
  const io = {
    out: '',
    err: '',
    isTTY,
    stdout: (s: string) => {
      io.out += s;
    },
    stderr: (s: string) => {
      io.err += s;
    },
  };
  return io;
}

function fixture(info?: Record<string, unknown>): string {
  const g = new SnapshotBuilder();
  const mod = g.node('module', 72, { label: 'app' });
  const globals = g.node('dict', 1000);
  const cache = g.node('dict', 500);
  g.edge(mod, globals, 'internal', '__dict__')
    .edge(globals, cache, 'dict-value', "'_SESSION_CACHE'")
    .root(mod, 'module', 'app');
  for (let i = 0; i < 3; i++) {
    const s = g.node('app.Session', 56);
    g.edge(cache, s, 'dict-value', `'req-${i}'`);
  }
  const a = g.node('app.Node', 40);
  g.edge(a, a, 'attr', 'self');
  g.danglingEdge(cache, 0xdead0);
  const path = join(mkdtempSync(join(tmpdir(), 'heapscope-cli-')), 'app.pyheap');
  writeFileSync(path, g.toBytes({ meta: { pid: 99 }, info }));
  return path;
}

describe('heapscope summary / paths', () => {
  it('summary --json prints process, totals and types by retained size', async () => {
    const io = capture();
    expect(await runSummary([fixture(), '--json'], io)).toBe(0);
    const out = JSON.parse(io.out);
    expect(Object.keys(out)).toEqual(['process', 'totals', 'types']);
    expect(out.process.pid).toBe(99);
    expect(out.totals).toEqual({
      objects: 7,
      edges: 6,
      shallow: 72 + 1000 + 500 + 3 * 56 + 40,
      unreachable: 1,
    });
    expect(out.types[0]).toEqual({ type: 'module', count: 1, shallow: 72, retained: 72 + 1000 + 500 + 168 });
    expect(out.types.map((t: { type: string }) => t.type)).toEqual([
      'module',
      'dict',
      'app.Session',
      'app.Node',
    ]);
    expect(io.err).toBe('');
  });

  it('summary --top limits rows; text output shows a table', async () => {
    const io = capture();
    expect(await runSummary([fixture(), '--json', '--top', '2'], io)).toBe(0);
    expect(JSON.parse(io.out).types).toHaveLength(2);
    const text = capture(true);
    expect(await runSummary([fixture()], text)).toBe(0);
    expect(text.out).toMatch(/app\.Session/);
    expect(text.err).toMatch(/indexing .*%/);
    await expect(runSummary([fixture(), '--top', 'x'], capture())).rejects.toThrow(/--top/);
  });

  it('summary warns in one line when other threads ran during the read, and only then', async () => {
    const shared = capture();
    expect(await runSummary([fixture({ walkExclusive: false, gilHeld: false })], shared)).toBe(0);
    const lines = shared.err.split('\n').filter(Boolean);
    expect(lines).toEqual([
      'warning: other threads ran while this snapshot was read; expect 1 dangling references and ' +
        'objects that look unreachable; dump in fork mode (heapscope.dump(path, fork=True)) for a consistent snapshot',
    ]);
    const json = capture();
    expect(await runSummary([fixture({ walkExclusive: false }), '--json'], json)).toBe(0);
    expect(JSON.parse(json.out).totals.objects).toBe(7);
    expect(json.err).toMatch(/^warning: other threads ran/);
    for (const info of [
      { walkExclusive: true, gilHeld: false },
      { walkExclusive: false, gilHeld: true },
      undefined,
    ]) {
      const quiet = capture();
      expect(await runSummary([fixture(info)], quiet)).toBe(0);
      expect(quiet.err, JSON.stringify(info)).toBe('');
    }
  });

  it('paths --json explains why an object is alive', async () => {
    const io = capture();
    const address = `0x${(0x7f3a00000000 + 3 * 16).toString(16)}`;
    expect(await runPaths([fixture(), address, '--json'], io)).toBe(0);
    const out = JSON.parse(io.out);
    expect(out.object).toMatchObject({ address, type: 'app.Session', shallow: 56, retained: 56 });
    expect(out.paths[0].text).toBe("module app → ['_SESSION_CACHE'] → ['req-0'] → app.Session");
    expect(out.paths[0].steps[0]).toMatchObject({ type: 'module', label: 'app', edge: null });
    expect(out.paths[0].steps[3].edge).toEqual({ kind: 'dict-value', name: "'req-0'", text: "['req-0']" });
    const missing = capture();
    expect(await runPaths([fixture(), '0x10'], missing)).toBe(1);
    expect(missing.err).toMatch(/nothing at or matching 0x10/);
  });

  it('refuses a broken file with one line', async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'heapscope-cli-')), 'bad.pyheap');
    writeFileSync(path, 'not a heap');
    await expect(runSummary([path], capture())).rejects.toThrow(
      /^bad\.pyheap: not a \.pyheap file \(bad magic\) at byte 0$/,
    );
  });
});
