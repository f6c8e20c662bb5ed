// `npm run bench:dump`: the Python dumper on service-shaped heaps (python-dumper/bench/bench_dump.py).
// Each measurement runs in a fresh Python process; reports medians of --runs runs (default 3):
// µs per object and per gc-tracked object, bytes per object on disk, peak extra memory of the
// dumping process vs its RSS before, the normal-mode pause, the fork-mode pause, and the ratio to a
// bare walk timed in the same run. Results go in docs/PERFORMANCE.md ("## Dumper").
//   npm run bench:dump -- [--sizes 1000000,3000000] [--runs 3] [--python python3] [--ballast-mb 1800]
//   npm run bench:dump -- --program ast [--modules 150,600] [--runs 3] [--python python3]
import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const SCRIPT = join(ROOT, 'python-dumper', 'bench', 'bench_dump.py');

function option(name, fallback) {
  const at = process.argv.indexOf(`--${name}`);
  return at >= 0 ? process.argv[at + 1] : fallback;
}

// --program ast: the heap is the syntax trees of --modules stdlib modules (a real program),
// one row per --modules value; --sizes is then ignored.
const program = option('program', 'service');
const sizes =
  program === 'ast'
    ? option('modules', '150').split(',').map(Number)
    : option('sizes', '1000000,3000000').split(',').map(Number);
const runs = Number(option('runs', '3'));
const python = option('python', process.env.HEAPSCOPE_PYTHON ?? 'python3');
const ballastMb = Number(option('ballast-mb', '1800'));

function once(objects, mode, extra = []) {
  const size =
    program === 'ast' ? ['--program', 'ast', '--modules', String(objects)] : ['--objects', String(objects)];
  const r = spawnSync(python, [SCRIPT, ...size, '--mode', mode, ...extra], {
    encoding: 'utf8',
    maxBuffer: 1 << 20,
  });
  if (r.status !== 0) throw new Error(`bench_dump.py ${mode} ${objects} failed:\n${r.stderr}`);
  return JSON.parse(r.stdout.trim().split('\n').pop());
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};

const rows = [];
for (const objects of sizes) {
  const bare = [];
  const normal = [];
  const fork = [];
  for (let i = 0; i < runs; i++) {
    // Interleaved, so a burst of load from other work on the machine hits all three alike.
    bare.push(once(objects, 'bare'));
    normal.push(once(objects, 'normal'));
    fork.push(once(objects, 'fork'));
  }
  const n = normal[0];
  const sec = median(normal.map((r) => r.seconds));
  const bareSec = median(bare.map((r) => r.seconds));
  rows.push({
    objects: n.objects,
    tracked: n.tracked,
    usPerObject: (sec * 1e6) / n.objects,
    cpuUsPerObject: (median(normal.map((r) => r.cpu)) * 1e6) / n.objects,
    cpuRatioToBare: median(normal.map((r) => r.cpu)) / median(bare.map((r) => r.cpu)),
    cpuUsPerTracked: (median(normal.map((r) => r.cpu)) * 1e6) / n.tracked,
    usPerTracked: (sec * 1e6) / n.tracked,
    bareUsPerTracked: (bareSec * 1e6) / n.tracked,
    ratioToBare: sec / bareSec,
    bytesPerObject: median(normal.map((r) => r.bytes / r.objects)),
    peakExtraPct: median(normal.map((r) => (100 * r.peakExtra) / r.rssBefore)),
    rssBeforeMb: n.rssBefore / 2 ** 20,
    pauseNormalS: median(normal.map((r) => r.pause)),
    pauseForkMs: median(fork.map((r) => r.pause * 1000)),
    bareForkMs: median(fork.map((r) => r.bareFork * 1000)),
    forkChildS: median(fork.map((r) => r.seconds)),
    python: n.python,
  });
}
let bigFork = null;
if (ballastMb > 0) {
  const pauses = [];
  for (let i = 0; i < runs; i++) pauses.push(once(sizes[0], 'fork', ['--ballast-mb', String(ballastMb)]));
  bigFork = {
    rssMb: median(pauses.map((r) => r.rssBefore / 2 ** 20)),
    pauseMs: median(pauses.map((r) => r.pause * 1000)),
    bareForkMs: median(pauses.map((r) => r.bareFork * 1000)),
  };
}

const f = (x, d = 2) => x.toFixed(d);
console.log(
  `python ${rows[0]?.python}, ${program === 'ast' ? `syntax trees of ${sizes.join(', ')} stdlib modules` : 'service-shaped heap'}, medians of ${runs} runs, ${new Date().toISOString()}`,
);
console.log(
  '| objects | gc-tracked | µs/object (wall) | µs/tracked (wall) | × bare (wall) | µs/object (CPU) | µs/tracked (CPU) | × bare (CPU) | B/object | peak extra | RSS before | pause | fork pause (bare fork) | fork child |',
);
console.log('|---|---|---|---|---|---|---|---|---|---|---|---|---|---|');
for (const r of rows) {
  console.log(
    `| ${r.objects.toLocaleString('en')} | ${r.tracked.toLocaleString('en')} | ${f(r.usPerObject)} | ${f(r.usPerTracked)} | ${f(r.ratioToBare, 1)} | ${f(r.cpuUsPerObject)} | ${f(r.cpuUsPerTracked)} | ${f(r.cpuRatioToBare, 1)} | ${f(r.bytesPerObject, 1)} | ${f(r.peakExtraPct, 0)}% | ${f(r.rssBeforeMb, 0)} MB | ${f(r.pauseNormalS)} s | ${f(r.pauseForkMs, 1)} ms (${f(r.bareForkMs, 1)} ms) | ${f(r.forkChildS)} s |`,
  );
}
if (bigFork) {
  console.log(
    `fork pause with ${f(bigFork.rssMb, 0)} MB resident: ${f(bigFork.pauseMs, 1)} ms (bare os.fork of the same process: ${f(bigFork.bareForkMs, 1)} ms), medians`,
  );
}
