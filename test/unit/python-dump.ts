// Real snapshots for tests: run a Python program that ends in `heapscope.dump(path)` with the
// dumper from python-dumper/ and return the .pyheap path. Skips cleanly when python3 is missing.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

/** Tests and benchmarks run from the repository root. */
const DUMPER = process.env.HEAPSCOPE_DUMPER ?? resolve(process.cwd(), 'python-dumper');

export function havePython(): boolean {
  return spawnSync('python3', ['-c', 'import sys; sys.exit(sys.version_info < (3, 9))']).status === 0;
}

/**
 * Runs `program` (Python source) and then dumps its heap. The program runs as __main__, so its
 * globals are reachable from `module __main__`. Returns the snapshot's path.
 */
export function dumpPython(
  program: string,
  options: { collect?: boolean; tracemalloc?: boolean; timeoutMs?: number } = {},
): string {
  const dir = mkdtempSync(join(tmpdir(), 'heapscope-py-'));
  const script = join(dir, 'program.py');
  const out = join(dir, 'program.pyheap');
  const prologue = options.tracemalloc ? 'import tracemalloc; tracemalloc.start(8)\n' : '';
  const collect = options.collect === false ? 'False' : 'True';
  writeFileSync(
    script,
    `${prologue}${program}\nimport heapscope as _hs\n_hs.dump(${JSON.stringify(out)}, collect=${collect})\n`,
  );
  const run = spawnSync('python3', [script], {
    env: { ...process.env, PYTHONPATH: DUMPER },
    encoding: 'utf-8',
    timeout: options.timeoutMs ?? 120_000,
  });
  if (run.status !== 0)
    throw new Error(`python3 ${script} failed (${run.status}): ${run.stderr.trim().split('\n').at(-1)}`);
  return out;
}
