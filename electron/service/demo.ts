// "Open demo snapshot": dumps the bundled leaky program (demo/leaky_service.py) with the repository's
// Python dumper and returns the .pyheap path. Paths are found by walking up from this module, so the
// same code works from electron/service (vitest, tsx) and from the bundle in out/main.
import { type ExecFileException, execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { ApiError } from '@shared/contract';

const DEMO_PROGRAM = join('electron', 'service', 'demo', 'leaky_service.py');
const DUMPER_PACKAGE = join('python-dumper', 'heapscope');
const TIMEOUT_MS = 60_000;

/** Where the repository (or the unpacked app) keeps the demo program and the dumper, or null. */
export function findDemoRoot(): string | null {
  // resourcesPath: a packaged app ships both as extraResources (build/electron-builder.yml).
  const resources = (process as { resourcesPath?: string }).resourcesPath;
  const starts = [process.env.HEAPSCOPE_ROOT, moduleDir(), process.cwd(), resources].filter(
    (d): d is string => typeof d === 'string' && d !== '',
  );
  for (const start of starts) {
    let dir = resolve(start);
    for (;;) {
      if (existsSync(join(dir, DEMO_PROGRAM)) && existsSync(join(dir, DUMPER_PACKAGE))) return dir;
      const parent = dirname(dir);
      if (parent === dir) break;
      dir = parent;
    }
  }
  return null;
}

/** Python to run: $HEAPSCOPE_PYTHON, else python3 on PATH. */
export function pythonCommand(): string {
  return process.env.HEAPSCOPE_PYTHON || 'python3';
}

export async function dumpDemoSnapshot(): Promise<string> {
  const root = findDemoRoot();
  if (root === null) {
    throw new ApiError(
      'unavailable',
      `Demo unavailable: could not find ${DEMO_PROGRAM} and ${DUMPER_PACKAGE} above ${moduleDir() ?? process.cwd()}`,
    );
  }
  const out = join(await mkdtemp(join(tmpdir(), 'heapscope-demo-')), 'demo.pyheap');
  const python = pythonCommand();
  const args = ['-m', 'heapscope', 'run', '--dump-at-exit', out, join(root, DEMO_PROGRAM)];
  const env = { ...process.env, PYTHONPATH: joinPath(join(root, 'python-dumper'), process.env.PYTHONPATH) };
  await new Promise<void>((done, fail) => {
    execFile(python, args, { env, timeout: TIMEOUT_MS, cwd: root }, (error, _stdout, stderr) => {
      if (error === null) return done();
      fail(demoError(python, error, stderr));
    });
  });
  if (!existsSync(out)) {
    throw new ApiError(
      'unavailable',
      `Demo failed: ${python} -m heapscope ran but wrote no snapshot at ${out}`,
    );
  }
  return out;
}

function demoError(python: string, error: ExecFileException, stderr: string): ApiError {
  if (error.code === 'ENOENT') {
    return new ApiError(
      'unavailable',
      `Demo unavailable: ${python} was not found (install Python 3.11+ or set HEAPSCOPE_PYTHON)`,
    );
  }
  if (error.killed)
    return new ApiError(
      'unavailable',
      `Demo failed: the demo program did not finish within ${TIMEOUT_MS / 1000} s`,
    );
  // The last non-empty line of a Python traceback is the one that says what went wrong.
  const last = stderr.trim().split('\n').filter(Boolean).pop() ?? error.message;
  if (/No module named heapscope/.test(last)) {
    return new ApiError(
      'unavailable',
      'Demo unavailable: the Python dumper (python-dumper/heapscope) could not be imported',
    );
  }
  return new ApiError('unavailable', `Demo failed: ${last}`);
}

function joinPath(first: string, rest: string | undefined): string {
  return rest ? `${first}${process.platform === 'win32' ? ';' : ':'}${rest}` : first;
}

function moduleDir(): string | undefined {
  // CommonJS bundles (out/main) define __dirname; ESM test runners give import.meta.url.
  if (typeof __dirname === 'string') return __dirname;
  try {
    return dirname(new URL(import.meta.url).pathname);
  } catch {
    return undefined;
  }
}
