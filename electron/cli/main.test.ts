import { describe, expect, it } from 'vitest';
import type { CliIO } from './io';
import { main } from './main';

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

describe('heapscope CLI', () => {
  it('prints its version and help', async () => {
    expect(await run('--version')).toEqual({ code: 0, out: 'heapscope 0.1.0\n', err: '' });
    const help = await run('--help');
    expect(help.code).toBe(0);
    for (const command of ['summary', 'paths', 'diff', 'leaks', 'report', 'serve']) {
      expect(help.out).toContain(`heapscope ${command}`);
    }
    expect((await run()).code).toBe(2);
  });

  it('answers unknown commands and options with one actionable line, exit 2', async () => {
    const unknown = await run('frobnicate');
    expect(unknown).toEqual({
      code: 2,
      out: '',
      err: 'heapscope: unknown command "frobnicate"; run `heapscope --help` for the list\n',
    });
    const badPort = await run('serve', '--port', 'http');
    expect(badPort.code).toBe(2);
    expect(badPort.err).toBe('heapscope serve: --port: expected a port number from 0 to 65535, got "http"\n');
    const badOption = await run('serve', '--bogus');
    expect(badOption.err).toMatch(/^heapscope serve: unknown option --bogus; usage: heapscope serve/);
    const missing = await run('serve', '/no/such/file.pyheap');
    expect(missing.err).toBe('heapscope serve: /no/such/file.pyheap: no such file\n');
    const noFile = await run('summary', '/no/such/file.pyheap');
    expect(noFile).toEqual({
      code: 2,
      out: '',
      err: 'heapscope summary: /no/such/file.pyheap: no such file\n',
    });
    for (const r of [badPort, badOption, missing]) expect(r.err.trim().split('\n')).toHaveLength(1);
  });

  it("answers the comparison commands' bad input with one line, exit 2 (issue 6; more in test/unit/leaks-cli.test.ts)", async () => {
    for (const command of ['diff', 'leaks']) {
      expect(await run(command, '/no/such/a.pyheap', '/no/such/b.pyheap')).toEqual({
        code: 2,
        out: '',
        err: `heapscope ${command}: /no/such/a.pyheap: no such file\n`,
      });
    }
    const report = await run('report', '/no/such/a.pyheap');
    expect(report.code).toBe(2);
    expect(report.err).toMatch(/^heapscope report: -o FILE is required; usage: heapscope report/);
  });
});
