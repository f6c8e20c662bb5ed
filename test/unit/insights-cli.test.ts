// `heapscope insights`: the text and --json outputs on a real dump, and its exit codes.
import { describe, expect, it } from 'vitest';
import { insightsText } from '../../electron/cli/commands/insights';
import type { CliIO } from '../../electron/cli/io';
import { main } from '../../electron/cli/main';
import { dumpPython, havePython } from './python-dump';

function capture(): CliIO & { out: string; err: string } {
  const io = {
    out: '',
    err: '',
    isTTY: false,
    stdout: (s: string) => {
      io.out += s;
    },
    stderr: (s: string) => {
      io.err += s;
    },
  };
  return io;
}

async function run(...argv: string[]) {
  const io = capture();
  const code = await main(argv, io);
  return { code, out: io.out, err: io.err };
}

const PROGRAM = `
class Point:
    def __init__(self, x, y):
        self.x = x
        self.y = y

STATUS = ["".join(["act", "ive"]) for _ in range(2000)]
POINTS = [Point(i, i) for i in range(3000)]
`;

describe('heapscope insights text', () => {
  it('sums the holders past the three shown, so the lines add up to the finding', () => {
    const owner = (count: number) => ({
      path: `p${count}`,
      holder: null,
      count,
      wastedBytes: count,
      addresses: [],
    });
    const text = insightsText(
      'x.pyheap',
      {
        accounting: null,
        pythonVersion: '3.12',
        totals: [{ kind: 'empty-collections', findings: 1, count: 100, wastedBytes: 100 }],
        findings: [
          {
            kind: 'empty-collections',
            title: 'empty lists: 100',
            type: 'list',
            count: 100,
            wastedBytes: 100,
            estimate: '',
            remedy: '',
            owners: [owner(40), owner(20), owner(10), owner(5), owner(5)],
            ownersOf: 100,
            otherOwners: { owners: 7, count: 20, wastedBytes: 20 },
            addresses: [],
          },
        ],
        assumptions: [],
        notCounted: [],
        seconds: 0,
      },
      3,
    );
    expect(text).toContain('              30 in 9 other holders\n');
  });
});

describe.skipIf(!havePython())('heapscope insights', () => {
  it('lists the waste with owners, bytes and remedy; --json is the documented report', async () => {
    const file = dumpPython(PROGRAM);
    const text = await run('insights', file);
    expect(text.code).toBe(0);
    expect(text.out).toContain('"active" (str, ');
    expect(text.out).toContain("2,000 in module __main__ → ['STATUS'] → list → [*]");
    expect(text.out).toContain('__main__.Point: 3,000 instances without __slots__');
    expect(text.out).toContain('Not counted:');
    // The dumper's accounting (META.accounting) as one sourced breakdown with a verdict.
    expect(text.out).toMatch(/Process memory: RSS [\d.]+ MiB \(\/proc\/self\/status\)/);
    expect(text.out).toMatch(
      /\d+ % of RSS is live Python objects; \d+ % is free space the allocators keep \(pymalloc/,
    );
    expect(text.out).toContain('[sys._debugmallocstats (free blocks + unused pools)]');
    expect(text.out).toContain('  tracemalloc off: the process was not tracing');

    const json = await run('insights', file, '--json');
    const report = JSON.parse(json.out);
    expect(report.insightsVersion).toBe(1);
    expect(report.accounting.segments.map((s: { key: string }) => s.key)).toContain('pymalloc-free');
    expect(Object.keys(report)).toEqual(
      expect.arrayContaining([
        'file',
        'pythonVersion',
        'totals',
        'findings',
        'assumptions',
        'notCounted',
        'seconds',
      ]),
    );
    const dup = report.findings.find((f: { title: string }) => f.title.startsWith('"active"'));
    expect(dup).toMatchObject({ kind: 'duplicate-values', type: 'str', count: 2000 });
    expect(dup.owners[0]).toMatchObject({ count: 2000 });
    expect(dup.owners[0].path).toContain('STATUS');
    expect(dup.owners[0].addresses[0]).toMatch(/^0x[0-9a-f]+$/);
  }, 60_000);

  it("shows tracemalloc's traced total with its source when the process was tracing", async () => {
    const file = dumpPython(
      'import tracemalloc\ntracemalloc.start()\nDATA = [bytes(1000) for _ in range(1000)]\n',
    );
    const text = await run('insights', file);
    const m =
      /\n {2}tracemalloc: ([\d.]+) (KiB|MiB) traced, peak [\d.]+ (KiB|MiB) {2}\[tracemalloc\.get_traced_memory\(\) when the dump started\]\n/.exec(
        text.out,
      );
    expect(m, text.out).not.toBeNull();
    // At least the 1,000 kB of bytes objects made while tracing.
    expect(Number(m![1]) * (m![2] === 'MiB' ? 1024 : 1)).toBeGreaterThan((1000 * 1000) / 1024);
    const report = JSON.parse((await run('insights', file, '--json')).out);
    expect(report.accounting.tracemalloc).toMatchObject({ tracing: true, note: '' });
    expect(report.accounting.tracemalloc.tracedBytes).toBeGreaterThan(1_000_000);
  }, 60_000);

  it('exits 2 with one line on bad input', async () => {
    expect(await run('insights')).toMatchObject({
      code: 2,
      err: expect.stringMatching(/^heapscope insights: expected one FILE/),
    });
    const missing = await run('insights', '/no/such/file.pyheap');
    expect(missing).toEqual({
      code: 2,
      out: '',
      err: 'heapscope insights: /no/such/file.pyheap: no such file\n',
    });
    const top = await run('insights', '/no/such/file.pyheap', '--top', 'x');
    expect(top.err).toMatch(/^heapscope insights: --top needs a positive whole number/);
  });
});
