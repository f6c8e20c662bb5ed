// Runs the Python capturer (`python -m heapscope._capture … --json`, python-dumper/heapscope/_capture.py)
// and turns its JSON lines into typed progress and a result. The capturer does all the work (pre-flight,
// gdb, following the dump); this module only spawns it with an argument array (never a shell string),
// maps its errors, and cancels it by SIGTERM, which the capturer turns into a clean cancel.
import { spawn } from 'node:child_process';
import { chmod, mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ApiError, type ApiErrorCode } from '@shared/contract';
import { findDemoRoot, pythonCommand } from '../demo';
import type { CaptureHooks } from '../heap-service';

export interface CaptureRequest {
  pid: number;
  /** Absolute path of the snapshot to write; the capturer picks ./heapscope-PID-TIME.pyheap if absent. */
  output?: string;
  /** Fork mode (default): the target pauses only for the fork; a child walks the heap. */
  fork: boolean;
  /** Seconds to wait for the target to reach a safe point. */
  timeoutSeconds: number;
  /** The program installed heapscope.install_signal_handler(): send it SIGUSR2 instead of attaching. */
  signal?: boolean;
  /** Where that handler writes (default: the target's working directory). */
  signalDir?: string;
}

/** Where a capture is: waiting for the target, then the dump child writing the file (bytes so far). */
export type CaptureProgress =
  | { stage: 'attaching' }
  | { stage: 'waiting'; timeoutSeconds: number }
  | { stage: 'walking'; bytes: number; pauseSeconds: number | null }
  | { stage: 'done' };

export interface CaptureResult {
  path: string;
  pid: number;
  objects: number | null;
  bytes: number | null;
  fork: boolean;
  /** How long the target's Python code was held (gdb attach stop + bootstrap, incl. the fork). */
  pauseSeconds: number | null;
  forkSeconds: number | null;
  totalSeconds: number;
}

export interface PythonProcess {
  pid: number;
  cmdline: string[];
  python: string;
  rss: number | null;
  /** Seconds since the epoch. */
  startTime: number | null;
  uid: number | null;
}

/** A capture that failed; `code` is the capturer's (no-such-process, not-python, ptrace, timeout, …). */
export class CaptureFailure extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'CaptureFailure';
  }
}

type CaptureEvent = Record<string, unknown> & { event: string };

export async function captureProcess(
  request: CaptureRequest,
  onProgress: (p: CaptureProgress) => void = () => {},
  signal?: AbortSignal,
): Promise<CaptureResult> {
  const args = [String(request.pid), '--json', '--timeout', String(request.timeoutSeconds)];
  if (request.output !== undefined) args.push('--output', request.output);
  if (!request.fork) args.push('--no-fork');
  if (request.signal) args.push('--signal');
  if (request.signalDir !== undefined) args.push('--signal-dir', request.signalDir);
  let result: CaptureResult | null = null;
  let failure: CaptureFailure | null = null;
  await runCapturer(args, signal, (e) => {
    if (e.event === 'error')
      failure = new CaptureFailure(str(e.code) ?? 'capture', str(e.message) ?? 'failed');
    else if (e.event === 'done') result = resultOf(request.pid, e);
    else {
      const progress = progressOf(e);
      if (progress) onProgress(progress);
    }
  });
  if (failure) throw failure;
  if (!result) throw new CaptureFailure('capture', 'the capturer ended without a result');
  onProgress({ stage: 'done' });
  return result;
}

/** Python processes the current user could capture (pre-flight passes), oldest first. */
export async function listPythonProcesses(): Promise<PythonProcess[]> {
  const out: PythonProcess[] = [];
  await runCapturer(['--list', '--json'], undefined, (e) => {
    if (e.event !== 'process') return;
    out.push({
      pid: num(e.pid) ?? 0,
      cmdline: Array.isArray(e.cmdline) ? e.cmdline.filter((a): a is string => typeof a === 'string') : [],
      python: str(e.python) ?? '?',
      rss: num(e.rss),
      startTime: num(e.startTime),
      uid: num(e.uid),
    });
  });
  return out;
}

function progressOf(e: CaptureEvent): CaptureProgress | null {
  if (e.event === 'preflight' || e.event === 'attached') return { stage: 'attaching' };
  if (e.event === 'waiting') return { stage: 'waiting', timeoutSeconds: num(e.timeout) ?? 0 };
  if (e.event === 'walking')
    return { stage: 'walking', bytes: num(e.bytes) ?? 0, pauseSeconds: num(e.pauseSeconds) };
  return null;
}

function resultOf(pid: number, e: CaptureEvent): CaptureResult {
  return {
    path: str(e.path) ?? '',
    pid,
    objects: num(e.objects),
    bytes: num(e.bytes),
    fork: e.fork === true,
    pauseSeconds: num(e.pauseSeconds),
    forkSeconds: num(e.forkSeconds),
    totalSeconds: num(e.totalSeconds) ?? 0,
  };
}

function runCapturer(
  args: string[],
  signal: AbortSignal | undefined,
  onEvent: (e: CaptureEvent) => void,
): Promise<void> {
  const root = findDemoRoot();
  if (root === null) {
    return Promise.reject(
      new CaptureFailure(
        'unavailable',
        'the Python dumper (python-dumper/heapscope) was not found; set HEAPSCOPE_ROOT',
      ),
    );
  }
  const dumper = join(root, 'python-dumper');
  const python = pythonCommand();
  return new Promise((resolve, reject) => {
    const child = spawn(python, ['-m', 'heapscope._capture', ...args], {
      cwd: dumper,
      env: { ...process.env, PYTHONPATH: dumper, PYTHONDONTWRITEBYTECODE: '1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const onAbort = () => child.kill('SIGTERM');
    signal?.addEventListener('abort', onAbort, { once: true });
    let buffered = '';
    let stderr = '';
    child.stdout.setEncoding('utf-8').on('data', (chunk: string) => {
      buffered += chunk;
      let nl = buffered.indexOf('\n');
      while (nl !== -1) {
        const line = buffered.slice(0, nl);
        buffered = buffered.slice(nl + 1);
        const event = parseLine(line);
        if (event) onEvent(event);
        nl = buffered.indexOf('\n');
      }
    });
    child.stderr.setEncoding('utf-8').on('data', (chunk: string) => {
      stderr += chunk;
    });
    child.on('error', (err: NodeJS.ErrnoException) => {
      signal?.removeEventListener('abort', onAbort);
      reject(
        err.code === 'ENOENT'
          ? new CaptureFailure(
              'unavailable',
              `${python} was not found: install Python 3.8+ or set HEAPSCOPE_PYTHON`,
            )
          : err,
      );
    });
    child.on('close', (code) => {
      signal?.removeEventListener('abort', onAbort);
      if (code === 0 || code === 2) return resolve(); // 2: the failure came as an `error` event
      const last = stderr.trim().split('\n').filter(Boolean).pop() ?? `exit code ${code}`;
      reject(new CaptureFailure('capture', `the capturer failed: ${last}`));
    });
  });
}

function parseLine(line: string): CaptureEvent | null {
  try {
    const value: unknown = JSON.parse(line);
    if (
      typeof value === 'object' &&
      value !== null &&
      typeof (value as { event?: unknown }).event === 'string'
    )
      return value as CaptureEvent;
  } catch {
    // not one of ours
  }
  return null;
}

const str = (v: unknown) => (typeof v === 'string' ? v : null);
const num = (v: unknown) => (typeof v === 'number' && Number.isFinite(v) ? v : null);

/** The service's capture hooks: the app's captures land in a fresh temp folder the target may write. */
export function captureHooks(): CaptureHooks {
  return {
    list: () => listPythonProcesses().then((rows) => rows.map(({ uid: _uid, ...row }) => row)),
    async run(request, onProgress, signal) {
      const dir = await mkdtemp(join(tmpdir(), 'heapscope-capture-'));
      // The target (possibly another user, when serving as root) writes the file: others may create
      // files here but not list them (sticky, no read bit).
      await chmod(dir, 0o1733);
      const output = join(dir, `heapscope-${request.pid}.pyheap`);
      try {
        const result = await captureProcess(
          { ...request, output },
          (p) => {
            if (p.stage === 'waiting') onProgress({ stage: 'waiting', bytes: 0 });
            else if (p.stage === 'walking') onProgress({ stage: 'walking', bytes: p.bytes });
          },
          signal,
        );
        return result.path;
      } catch (err) {
        throw err instanceof CaptureFailure ? new ApiError(apiCode(err.code), err.message) : err;
      }
    },
  };
}

function apiCode(code: string): ApiErrorCode {
  if (code === 'cancelled') return 'cancelled';
  if (code === 'no-such-process') return 'not-found';
  return 'unavailable';
}
