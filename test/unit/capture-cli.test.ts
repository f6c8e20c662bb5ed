// `heapscope capture` and `heapscope record` end to end: a real Python child process captured through
// gdb, the snapshot indexed, and the one-line errors of the pre-flight checks. Needs python3 and gdb
// (Linux); the Python side's safety suite (python-dumper/tests/test_capture.py) covers every interpreter.
import { type ChildProcessWithoutNullStreams, spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { loadSnapshot } from '../../electron/indexer/index';
import { runCli } from './cli-run';

const canCapture =
  process.platform === 'linux' &&
  spawnSync('gdb', ['--version']).status === 0 &&
  spawnSync('python3', ['-c', 'import sys; sys.exit(sys.version_info < (3, 8))']).status === 0;

// Grows a list every 50 ms (a leak for `record` to find) and says each tick, in order.
const TARGET = `
import sys, time
held = []
print("ready", flush=True)
i = 0
while True:
    held.extend(bytearray(512) for _ in range(200))
    time.sleep(0.05)
    i += 1
    if i % 20 == 0:
        print("tick", i // 20, flush=True)
`;

let dir: string;
let target: ChildProcessWithoutNullStreams | null = null;
let targetOut = '';
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'heapscope-capture-cli-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));
afterEach(() => {
  target?.kill('SIGKILL');
  target = null;
});

function startTarget(): Promise<number> {
  targetOut = '';
  const child = spawn('python3', ['-c', TARGET], { env: { ...process.env, PYTHONPATH: '' } });
  target = child;
  return new Promise((resolve, reject) => {
    child.stdout.setEncoding('utf-8').on('data', (s: string) => {
      targetOut += s;
      if (targetOut.startsWith('ready\n') && child.pid !== undefined) resolve(child.pid);
    });
    child.on('error', reject);
  });
}

const run = runCli;

describe.runIf(canCapture)('heapscope capture', () => {
  it('snapshots a running process that never imported heapscope, and it keeps running', async () => {
    const pid = await startTarget();
    const out = join(dir, 'one.pyheap');
    const r = await run('capture', String(pid), '-o', out, '--timeout', '20');
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    expect(r.out).toMatch(
      /^wrote .*one\.pyheap \([\d,]+ objects, .*\); target paused \d.* \(fork \d+ ms\); total /,
    );
    const snap = await loadSnapshot({ path: out });
    expect(snap.info('a', 'one.pyheap', out).process.pid).toBe(pid);
    // Still alive and still ticking in order after the capture.
    const ticksBefore = (targetOut.match(/tick/g) ?? []).length;
    await new Promise((r) => setTimeout(r, 1500));
    expect(target?.exitCode).toBeNull();
    const ticks = targetOut.match(/tick (\d+)/g) ?? [];
    expect(ticks.length).toBeGreaterThan(ticksBefore);
    expect(ticks).toEqual(ticks.map((_, i) => `tick ${i + 1}`));
  });

  it('records a series and prints its leak suspects like `heapscope leaks`', async () => {
    const pid = await startTarget();
    const series = join(dir, 'series');
    const r = await run(
      'record',
      String(pid),
      '--every',
      '1s',
      '--count',
      '3',
      '--dir',
      series,
      '--timeout',
      '20',
    );
    expect(r.code).toBe(0);
    expect(readdirSync(series).filter((f) => f.endsWith('.pyheap'))).toHaveLength(3);
    expect(r.out).toMatch(/^3 snapshots in /);
    expect(r.out).toMatch(/leak suspect/);
    expect(r.out).toMatch(/held/);
    expect(r.err.match(/^\[\d\/3\] wrote /gm)).toHaveLength(3);
  });
});

describe('heapscope capture: pre-flight errors are one line, exit 2', () => {
  it('no such PID', async () => {
    const r = await run('capture', '999999999');
    expect(r.code).toBe(2);
    expect(r.err).toBe('heapscope capture: no process with PID 999999999\n');
  });

  it.runIf(process.platform === 'linux')('not a Python process', async () => {
    const sleeper = spawn('sleep', ['30']);
    try {
      const r = await run('capture', String(sleeper.pid));
      expect(r.code).toBe(2);
      expect(r.err).toMatch(/^heapscope capture: PID \d+ \(.*sleep\) is not a Python process .*\n$/);
    } finally {
      sleeper.kill();
    }
  });

  it('bad arguments', async () => {
    expect((await run('capture')).err).toMatch(/expected one PID/);
    expect((await run('capture', 'abc')).err).toMatch(/PID must be a positive whole number/);
    expect((await run('capture', '1', '--timeout', '-3')).err).toMatch(/--timeout needs seconds/);
    expect((await run('record', '1', '--every', 'soon')).err).toMatch(/--every needs a duration/);
    expect((await run('record', '1', '--count', '1')).err).toMatch(/--count needs a whole number from 2/);
  });
});
