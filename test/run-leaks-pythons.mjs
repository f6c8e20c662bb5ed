// `node test/run-leaks-pythons.mjs`: the leak tests that run the fixture programs of
// test/fixtures/leaks/ (real dumps), once under every CPython ≥ 3.8 in ~/.pyenv/versions (or the
// interpreters given as arguments), one after the other: which holder a leak is charged to depends
// on what each version's gc reports. Prints a line per version; exits 1 when any failed.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';

const FILES = [
  'test/unit/leaks-real.test.ts',
  'test/unit/leaks-mechanisms.test.ts',
  'test/unit/leaks-shared.test.ts',
];

/** The dumper supports CPython 3.8+; older interpreters in pyenv are skipped. */
function supported(python) {
  const probe = spawnSync(python, ['-c', 'import sys; sys.exit(sys.version_info < (3, 8))']);
  return probe.status === 0;
}

function interpreters() {
  if (process.argv.length > 2) return process.argv.slice(2);
  const pyenv = join(process.env.PYENV_ROOT ?? join(homedir(), '.pyenv'), 'versions');
  if (!existsSync(pyenv)) return ['python3'];
  return readdirSync(pyenv)
    .sort((a, b) => a.localeCompare(b, 'en', { numeric: true }))
    .map((v) => join(pyenv, v, 'bin', 'python3'))
    .filter((p) => existsSync(p) && supported(p));
}

let failed = 0;
for (const python of interpreters()) {
  const started = Date.now();
  const run = spawnSync('npx', ['vitest', 'run', ...FILES], {
    env: { ...process.env, HEAPSCOPE_TEST_PYTHON: python },
    encoding: 'utf8',
  });
  const summary = (run.stdout ?? '').match(/Tests\s+.*$/m)?.[0] ?? 'no summary';
  const ok = run.status === 0;
  if (!ok) failed++;
  console.log(
    `${ok ? 'ok  ' : 'FAIL'} ${python}: ${summary} (${Math.round((Date.now() - started) / 1000)} s)`,
  );
  if (!ok)
    console.log(
      (run.stdout ?? '')
        .split('\n')
        .filter((l) => /×|FAIL|Error/.test(l))
        .slice(0, 30)
        .join('\n'),
    );
}
process.exit(failed > 0 ? 1 : 0);
