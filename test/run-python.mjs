// `npm run test:python`: the dumper's unittest suite under every CPython minor version ≥ 3.8 on this
// machine (pyenv versions and python3.X on PATH), since the dumper must work on all of them. Prints which
// versions ran; fails when any failed or none could run.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readdirSync, realpathSync } from 'node:fs';
import { availableParallelism, homedir } from 'node:os';
import { delimiter, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = join(fileURLToPath(new URL('.', import.meta.url)), '..');
const DUMPER = join(ROOT, 'python-dumper');
const TESTS = join(DUMPER, 'tests');
const MIN = [3, 8];
// A hang guard, not a speed target: with the capture, adversarial and consistency suites a run takes
// 8–12 min per interpreter on a loaded 2-core machine (two at a time); 900 s left too little room.
const SUITE_TIMEOUT_S = Number(process.env.HEAPSCOPE_PYTHON_TIMEOUT ?? 1500);

function candidates() {
  const found = [];
  const pyenv = join(process.env.PYENV_ROOT ?? join(homedir(), '.pyenv'), 'versions');
  if (existsSync(pyenv)) {
    for (const version of readdirSync(pyenv).sort()) found.push(join(pyenv, version, 'bin', 'python3'));
  }
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    // pyenv shims re-dispatch to one of the versions above; counting them would run one twice.
    if (!dir || dir.includes(`${join('.pyenv', 'shims')}`) || !existsSync(dir)) continue;
    let entries = [];
    try {
      entries = readdirSync(dir);
    } catch {
      continue;
    }
    for (const name of entries) if (/^python3(\.\d+)?$/.test(name)) found.push(join(dir, name));
  }
  return found;
}

/**
 * Distinct interpreters that run and are new enough, one per minor version (the dumper's code differs
 * by minor version only; a second 3.11 — Debian's beside pyenv's — doubled a suite's time and added
 * nothing), pyenv's first. Returns them with the ones left out.
 */
function interpreters() {
  const seen = new Set();
  const minors = new Set();
  const out = [];
  const skipped = [];
  for (const path of candidates()) {
    let real;
    try {
      real = realpathSync(path);
    } catch {
      continue;
    }
    if (seen.has(real)) continue;
    seen.add(real);
    const probe = spawnSync(path, ['-c', 'import sys; print("%d.%d.%d" % sys.version_info[:3])'], {
      encoding: 'utf8',
      timeout: 10_000,
    });
    const version = probe.stdout?.trim();
    if (probe.status !== 0 || !version) continue;
    const [major, minor] = version.split('.').map(Number);
    if (major < MIN[0] || (major === MIN[0] && minor < MIN[1])) continue;
    if (minors.has(`${major}.${minor}`)) {
      skipped.push({ path, version });
      continue;
    }
    minors.add(`${major}.${minor}`);
    out.push({ path, version });
  }
  out.sort((a, b) => a.version.localeCompare(b.version, 'en', { numeric: true }));
  return { found: out, skipped };
}

function runSuite({ path }) {
  return new Promise((resolve) => {
    // The dumper's documented invocation (python-dumper/tests/README.md): from python-dumper/, so
    // `heapscope` imports from the checkout and the tests' own helpers import as top-level modules.
    const child = spawn(path, ['-m', 'unittest', 'discover', '-s', 'tests'], {
      cwd: DUMPER,
      env: { ...process.env, PYTHONDONTWRITEBYTECODE: '1' },
    });
    let output = '';
    child.stdout.on('data', (c) => {
      output += c;
    });
    child.stderr.on('data', (c) => {
      output += c;
    });
    // A runaway suite (a dump that never ends, a heap that keeps growing) must fail, not hang CI.
    const timer = setTimeout(() => {
      output += `\nkilled: still running after ${SUITE_TIMEOUT_S} s (HEAPSCOPE_PYTHON_TIMEOUT)\n`;
      child.kill('SIGKILL');
    }, SUITE_TIMEOUT_S * 1000);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code: code ?? 1, output });
    });
  });
}

async function pool(items, size, run) {
  const results = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      results[i] = await run(items[i]);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(size, items.length)) }, worker));
  return results;
}

async function main() {
  // Until the dumper has test modules there is nothing to run; once it has, they must pass.
  const modules = existsSync(TESTS) ? readdirSync(TESTS).filter((f) => /^test.*\.py$/.test(f)) : [];
  if (modules.length === 0) {
    console.log('Python: python-dumper/tests has no test_*.py yet; nothing to run.');
    return 0;
  }
  const { found, skipped } = interpreters();
  for (const py of skipped)
    console.log(`Python ${py.version} (${py.path}): skipped, its minor version already runs`);
  if (found.length === 0) {
    console.error('Python: no CPython ≥ 3.8 found (looked in pyenv versions and python3.X on PATH).');
    return 1;
  }
  // Suites are independent and CPU-bound: run as many at once as there are cores.
  const size = availableParallelism();
  console.log(`Python: running python-dumper/tests under ${found.length} interpreter(s), ${size} at a time…`);
  const results = await pool(found, size, runSuite);
  let failed = 0;
  found.forEach((py, i) => {
    const { code, output } = results[i];
    const summary = output
      .trim()
      .split('\n')
      .filter((l) => /^(Ran |OK|FAILED)/.test(l))
      .join(', ');
    if (code !== 0) {
      failed++;
      const tail = output.trim().split('\n').slice(-40).join('\n');
      console.log(`--- Python ${py.version} (${py.path}), last lines ---\n${tail}\n`);
    }
    console.log(`Python ${py.version.padEnd(8)} ${code === 0 ? 'passed' : 'FAILED'}  ${summary}  ${py.path}`);
  });
  const ran = found.map((p) => p.version).join(', ');
  console.log(`Python: ran under ${found.length} interpreter(s): ${ran}; ${failed} failed.`);
  return failed === 0 ? 0 : 1;
}

process.exit(await main());
