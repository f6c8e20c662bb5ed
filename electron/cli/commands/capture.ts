// `heapscope capture PID [-o FILE] [--no-fork] [--timeout S]`: snapshot a running Python process that
// never imported heapscope (docs/CAPTURE.md). `heapscope record PID --every 60s --count 3 [--dir D]`:
// a series of captures, then the series' leak suspects, printed as `heapscope leaks` prints them.
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { formatBytes, formatSeconds } from '../../indexer/report/format';
import {
  CaptureFailure,
  type CaptureProgress,
  type CaptureResult,
  captureProcess,
} from '../../service/capture/runner';
import type { CliIO } from '../io';
import { CliError, parseArgs } from './args';
import { runLeaks } from './leaks';

export const CAPTURE_USAGE =
  'usage: heapscope capture PID [-o FILE] [--no-fork] [--timeout S] [--signal [--signal-dir D]]';
export const RECORD_USAGE =
  'usage: heapscope record PID --every 60s --count 3 [--dir D] [--no-fork] [--timeout S]';
const DEFAULT_TIMEOUT_S = 30;

export async function runCapture(argv: string[], io: CliIO): Promise<number> {
  const args = parseArgs(
    shortOutput(argv),
    { output: 'value', 'no-fork': 'flag', timeout: 'value', signal: 'flag', 'signal-dir': 'value' },
    CAPTURE_USAGE,
  );
  const pid = parsePid(args.positional, CAPTURE_USAGE);
  const output = args.options.output === undefined ? undefined : resolve(args.options.output);
  const result = await captureOnce(
    {
      pid,
      output,
      fork: !args.flags.has('no-fork'),
      timeoutSeconds: parseTimeout(args.options.timeout, CAPTURE_USAGE),
      signal: args.flags.has('signal'),
      signalDir: args.options['signal-dir'] === undefined ? undefined : resolve(args.options['signal-dir']),
    },
    io,
  );
  io.stdout(`${resultLine(result)}\n`);
  return 0;
}

export async function runRecord(argv: string[], io: CliIO): Promise<number> {
  const args = parseArgs(
    argv,
    { every: 'value', count: 'value', dir: 'value', 'no-fork': 'flag', timeout: 'value' },
    RECORD_USAGE,
  );
  const pid = parsePid(args.positional, RECORD_USAGE);
  const everyMs = parseDuration(args.options.every ?? '60s', RECORD_USAGE);
  const count = Number(args.options.count ?? '3');
  if (!(Number.isSafeInteger(count) && count >= 2 && count <= 100))
    throw new CliError(`--count needs a whole number from 2 to 100 (a series to compare); ${RECORD_USAGE}`);
  const dir = resolve(args.options.dir ?? '.');
  mkdirSync(dir, { recursive: true });
  const timeoutSeconds = parseTimeout(args.options.timeout, RECORD_USAGE);
  const files: string[] = [];
  const stamp = new Date().toISOString().replace(/[-:]/g, '').replace(/\..*/, '');
  for (let i = 1; i <= count; i++) {
    const started = Date.now();
    const output = join(dir, `heapscope-${pid}-${stamp}-${i}.pyheap`);
    const result = await captureOnce({ pid, output, fork: !args.flags.has('no-fork'), timeoutSeconds }, io);
    files.push(result.path);
    io.stderr(`[${i}/${count}] ${resultLine(result)}\n`);
    if (i < count) await sleep(Math.max(0, everyMs - (Date.now() - started)));
  }
  io.stdout(`${files.length} snapshots in ${dir}\n\n`);
  // The first, a middle and the last: what `heapscope leaks BASE TARGET FINAL` takes.
  const picked =
    files.length === 2 ? files : [files[0]!, files[Math.floor(files.length / 2)]!, files.at(-1)!];
  return runLeaks(picked, io);
}

async function captureOnce(request: Parameters<typeof captureProcess>[0], io: CliIO): Promise<CaptureResult> {
  const show = io.isTTY ? (line: string) => io.stderr(`\r\x1b[K${line}`) : () => {};
  try {
    return await captureProcess(request, (p) => show(progressLine(request.pid, p)));
  } catch (err) {
    if (err instanceof CaptureFailure) throw new CliError(err.message);
    throw err;
  } finally {
    if (io.isTTY) io.stderr('\r\x1b[K');
  }
}

function progressLine(pid: number, p: CaptureProgress): string {
  switch (p.stage) {
    case 'attaching':
      return `capturing ${pid}: attaching`;
    case 'waiting':
      return `capturing ${pid}: waiting for a safe point (up to ${p.timeoutSeconds} s)`;
    case 'walking':
      return `capturing ${pid}: the dump is walking the heap (${formatBytes(p.bytes)} written)`;
    case 'done':
      return '';
  }
}

export function resultLine(r: CaptureResult): string {
  const what = [
    r.objects === null ? null : `${r.objects.toLocaleString('en-US')} objects`,
    r.bytes === null ? null : formatBytes(r.bytes),
  ]
    .filter(Boolean)
    .join(', ');
  const pause =
    r.pauseSeconds === null
      ? ''
      : `; target paused ${seconds(r.pauseSeconds)}${r.fork && r.forkSeconds !== null ? ` (fork ${seconds(r.forkSeconds)})` : ''}`;
  return `wrote ${r.path}${what ? ` (${what})` : ''}${pause}; total ${seconds(r.totalSeconds)}`;
}

/** `-o FILE` is the one short option (as in the issue's usage); parseArgs knows long ones only. */
function shortOutput(argv: string[]): string[] {
  return argv.map((a) => (a === '-o' ? '--output' : a));
}

function parsePid(positional: string[], usage: string): number {
  if (positional.length !== 1) throw new CliError(`expected one PID; ${usage}`);
  const pid = Number(positional[0]);
  if (!(Number.isSafeInteger(pid) && pid > 0))
    throw new CliError(`PID must be a positive whole number, got "${positional[0]}"; ${usage}`);
  return pid;
}

function parseTimeout(value: string | undefined, usage: string): number {
  if (value === undefined) return DEFAULT_TIMEOUT_S;
  const s = Number(value.replace(/s$/, ''));
  if (!(Number.isFinite(s) && s > 0 && s <= 3600))
    throw new CliError(`--timeout needs seconds (0 < S ≤ 3600); ${usage}`);
  return s;
}

/** "60s", "2m", "1h", "500ms" or plain seconds → milliseconds. */
export function parseDuration(text: string, usage: string): number {
  const m = /^(\d+(?:\.\d+)?)(ms|s|m|h)?$/.exec(text.trim());
  const unit = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 } as const;
  const ms = m ? Number(m[1]) * unit[(m[2] ?? 's') as keyof typeof unit] : Number.NaN;
  if (!(ms >= 100 && ms <= 7 * 86_400_000))
    throw new CliError(`--every needs a duration like 60s, 5m or 1h; ${usage}`);
  return ms;
}

/** Pauses are milliseconds long: "23 ms", not formatSeconds' "0.0 s". */
function seconds(s: number): string {
  return s < 1 ? `${Math.round(s * 1000)} ms` : formatSeconds(s);
}

function sleep(ms: number): Promise<void> {
  return new Promise((done) => setTimeout(done, ms));
}
