// The indexer benchmark: time every stage, peak memory and paged-query latency on synthetic
// snapshots (1M and 10M objects by default; shape "python" — statistics of real dumps — and the
// "random" stress shape) and on a real dump from the Python dumper.
//   npm run bench -- --only indexer [--sizes 1000000,10000000] [--shapes python,random] [--runs 3]
//                                    [--compress] [--no-real] [--no-huge-pages] [--needles a,b,…]
// --needles: label searches timed as well (each a query row "search 'a'"), e.g. value-,value-a,-a0,e
// --leaks: instead, time leak finding: the diff and the leak suspects of each size N against N·1.05
//   (python shape, same seed; default N 1M), CPU seconds, each run in a fresh child, medians; e.g.
//   node test/bench/run.mjs --only indexer --leaks --sizes 1000000 --runs 5 [--snapshots 3]
//   (--snapshots 3 adds N·1.1: two intervals, as `heapscope leaks A B C`)
// Each run indexes in a fresh child process (peak RSS is that process's own); medians over runs.
// Snapshots are written to the OS temp dir once and reused.
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, renameSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type SyntheticShape, writeSyntheticHeap } from '../../electron/indexer/format/synthetic-heap';
import { fileSink } from '../../electron/indexer/format/writer';
import type { ShapeStats } from '../../electron/indexer/graph/shape-stats';
import { indexerEnv } from '../../electron/launcher/memory-env.mjs';
import { dumpPython, havePython } from '../unit/python-dump';
import { runChild } from './indexer.child';
import { runLeaksChild } from './leaks.child';

/** Bump when the synthetic heap's shape changes, so cached files are rewritten. */
const SHAPE_VERSION = 2;

interface Options {
  sizes: number[];
  shapes: SyntheticShape[];
  runs: number;
  compress: boolean;
  real: boolean;
  /** Children get the environment the CLI and app give the indexer (huge pages on Linux), or not. */
  hugePages: boolean;
  /** Extra label searches to time. */
  needles: string[];
  /** Time the diff and leak suspects of N vs N·1.05 objects instead of indexing. */
  leaks: boolean;
  /** Snapshots for --leaks: 2 (N, N·1.05) or 3 (… N·1.1). */
  snapshots: number;
}

function options(argv: string[]): Options {
  const value = (name: string) => {
    const i = argv.indexOf(`--${name}`);
    return i >= 0 ? argv[i + 1] : undefined;
  };
  return {
    sizes: (value('sizes') ?? (argv.includes('--leaks') ? '1000000' : '1000000,10000000'))
      .split(',')
      .map(Number),
    shapes: (value('shapes') ?? 'python,random').split(',') as SyntheticShape[],
    runs: Number(value('runs') ?? 3),
    compress: argv.includes('--compress'),
    real: !argv.includes('--no-real'),
    hugePages: !argv.includes('--no-huge-pages'),
    needles: (value('needles') ?? '').split(',').filter((n) => n !== ''),
    leaks: argv.includes('--leaks'),
    snapshots: Number(value('snapshots') ?? 2),
  };
}

function syntheticFile(objects: number, shape: SyntheticShape, compress: boolean): string {
  const dir = join(tmpdir(), 'heapscope-bench');
  mkdirSync(dir, { recursive: true });
  const path = join(dir, `synthetic-v${SHAPE_VERSION}-${shape}-${objects}${compress ? '-z' : ''}.pyheap`);
  if (existsSync(path)) return path;
  const t0 = performance.now();
  const out = fileSink(`${path}.tmp`);
  writeSyntheticHeap(out.sink, { objects, compress, shape });
  out.close();
  renameSync(`${path}.tmp`, path);
  console.log(`wrote ${path} in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  return path;
}

/** A web-app-like program: sessions in a module-level cache, request objects, strings, lists. */
const REAL_PROGRAM = `
class Request:
    def __init__(self, i):
        self.path = "/api/items/%d" % i
        self.headers = {"x-id": str(i), "accept": "application/json"}
        self.body = bytearray(64 + i % 512)

class Session:
    def __init__(self, i):
        self.user = "user-%d" % i
        self.requests = [Request(i * 10 + k) for k in range(3)]

_SESSION_CACHE = {}
for i in range(30000):
    _SESSION_CACHE["req-%d" % i] = Session(i)
`;

/**
 * A large, varied program (~8.9M objects): stdlib modules imported, 300k dataclass orders holding
 * lists of dicts, a parsed JSON document, an XML tree, log records, closures in a dict. Dumped once
 * (about a minute) and kept in the temp dir; its statistics are the ones the "python" synthetic
 * shape is checked against (docs/PERFORMANCE.md).
 */
const REAL_LARGE_PROGRAM = `
import asyncio, email.parser, http.server, json, xml.etree.ElementTree as ET, unittest, argparse, decimal
import sqlite3, logging, dataclasses, typing, collections, random, datetime, urllib.request, csv, io, re
import inspect, pydoc, difflib, textwrap, statistics, fractions, ipaddress, uuid, pathlib, tarfile, zipfile
random.seed(1)
@dataclasses.dataclass
class Order:
    id: int
    customer: str
    items: list
    total: decimal.Decimal
    created: datetime.datetime
    tags: frozenset
words = ["alpha", "beta", "gamma", "delta", "epsilon", "zeta", "eta", "theta"]
orders = [Order(i, "cust-%d" % (i % 5000), [{"sku": "SKU%05d" % random.randrange(100000), "qty": random.randrange(1, 9), "price": round(random.random() * 100, 2)} for _ in range(random.randrange(1, 6))], decimal.Decimal(i) / 7, datetime.datetime(2024, 1, 1) + datetime.timedelta(minutes=i), frozenset(random.sample(words, 2))) for i in range(300000)]
doc = json.loads(json.dumps([{"id": i, "name": "item %d" % i, "attrs": {"color": random.choice(words), "weight": random.random(), "dims": [random.randrange(100) for _ in range(3)]}} for i in range(300000)]))
tree = ET.fromstring("<root>" + "".join('<node id="%d"><child name="c%d">text %d</child></node>' % (i, i, i) for i in range(100000)) + "</root>")
index = collections.defaultdict(list)
for o in orders:
    index[o.customer].append(o)
log = logging.getLogger("app")
records = [logging.LogRecord("app", logging.INFO, __file__, i, "event %s", (i,), None) for i in range(100000)]
cache = {("k", i): (lambda x, i=i: x + i) for i in range(50000)}
`;
const REAL_LARGE_VERSION = 1;

function realLargeFile(): string {
  const dir = join(tmpdir(), 'heapscope-bench');
  mkdirSync(dir, { recursive: true });
  const path = join(dir, `real-large-v${REAL_LARGE_VERSION}.pyheap`);
  if (existsSync(path)) return path;
  const t0 = performance.now();
  copyFileSync(dumpPython(REAL_LARGE_PROGRAM, { timeoutMs: 600_000 }), path);
  console.log(`wrote ${path} (python-dumper) in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  return path;
}

interface RunResult {
  objects: number;
  edges: number;
  fileBytes: number;
  stages: Record<string, number>;
  cpu: Record<string, number>;
  faults: Record<string, number>;
  total: number;
  totalCpu: number;
  peakRss: number;
  rssAfterLoad: number;
  queries: Record<string, { first: number; median: number }>;
  shape: ShapeStats;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

let childEnv: NodeJS.ProcessEnv = process.env;
let childNeedles: string[] = [];

/** The environment without the huge-page tunable (other tunables a user set are kept). */
function withoutHugePages(): NodeJS.ProcessEnv {
  const env = { ...process.env };
  const rest = (env.GLIBC_TUNABLES ?? '')
    .split(':')
    .filter((t) => t !== '' && !t.startsWith('glibc.malloc.hugetlb='));
  if (rest.length > 0) env.GLIBC_TUNABLES = rest.join(':');
  else delete env.GLIBC_TUNABLES;
  return env;
}

function runOnce(file: string): RunResult {
  const r = spawnSync(process.execPath, [process.argv[1]!, '--child', file, JSON.stringify(childNeedles)], {
    env: childEnv,
    encoding: 'utf-8',
    maxBuffer: 1 << 24,
  });
  if (r.status !== 0) throw new Error(`child failed: ${r.stderr}`);
  return JSON.parse(r.stdout.trim().split('\n').at(-1)!) as RunResult;
}

function summarize(label: string, runs: RunResult[]): void {
  const first = runs[0]!;
  const stages = Object.keys(first.stages);
  const med = (f: (r: RunResult) => number) => median(runs.map(f));
  console.log(
    `\n${label}: ${first.objects.toLocaleString('en-US')} objects, ${first.edges.toLocaleString('en-US')} edges, ` +
      `${(first.fileBytes / 1e6).toFixed(0)} MB file; median of ${runs.length} run(s)`,
  );
  // CPU seconds count both threads; page faults are first touches of new memory (~1.4 µs each here).
  console.log('| stage | wall s | CPU s | page faults |\n|---|---|---|---|');
  for (const s of stages) {
    console.log(
      `| ${s} | ${med((r) => r.stages[s]!).toFixed(2)} | ${med((r) => r.cpu[s]!).toFixed(2)} | ${Math.round(med((r) => r.faults[s]!)).toLocaleString('en-US')} |`,
    );
  }
  console.log(
    `| **total** | **${med((r) => r.total).toFixed(2)}** | **${med((r) => r.totalCpu).toFixed(2)}** | ${Math.round(med((r) => Object.values(r.faults).reduce((a, b) => a + b, 0))).toLocaleString('en-US')} |`,
  );
  const peak = med((r) => r.peakRss);
  const afterLoad = med((r) => r.rssAfterLoad);
  console.log(
    `peak RSS ${(peak / 1e6).toFixed(0)} MB = ${(peak / first.objects).toFixed(0)} bytes/object ` +
      `(after load, before queries: ${(afterLoad / first.objects).toFixed(0)} bytes/object)`,
  );
  const sh = first.shape;
  const pct = (x: number) => `${(100 * x).toFixed(1)} %`;
  console.log(
    `shape: referenced once ${pct(sh.referencedOnce)}, leaves ${pct(sh.leaves)}, references to shared objects ${pct(sh.toShared)}, ` +
      `${sh.refsPerObject.toFixed(2)} references/object, ${pct(sh.near64)} within 64 objects in file order, deepest ${sh.maxDistance}`,
  );
  console.log(`| query | first call ms | median ms |\n|---|---|---|`);
  for (const q of Object.keys(first.queries)) {
    console.log(
      `| ${q} | ${med((r) => r.queries[q]!.first).toFixed(1)} | ${med((r) => r.queries[q]!.median).toFixed(1)} |`,
    );
  }
}

interface LeakRunResult {
  diffCpu: number;
  leaksCpu: number;
  suspects: number;
  digest: string;
}

/**
 * Leak finding on 1.05× (and 1.1×) larger heaps of the same seed: most objects match, the rest are
 * growth. Two snapshots by default (one interval); three add the second interval's rules.
 */
function benchLeaks(size: number, runs: number, snapshots: number): void {
  const sizes = [1, 1.05, 1.1].slice(0, snapshots).map((f) => Math.round(size * f));
  const files = sizes.map((n) => syntheticFile(n, 'python', false));
  const results: LeakRunResult[] = [];
  for (let i = 0; i < runs; i++) {
    const r = spawnSync(process.execPath, [process.argv[1]!, '--leaks-child', ...files], {
      env: childEnv,
      encoding: 'utf-8',
      maxBuffer: 1 << 24,
    });
    if (r.status !== 0) throw new Error(`child failed: ${r.stderr}`);
    const run = JSON.parse(r.stdout.trim().split('\n').at(-1)!) as LeakRunResult;
    console.log(
      `run ${i + 1}: diff ${run.diffCpu.toFixed(3)} s, leaks ${run.leaksCpu.toFixed(3)} s CPU; ${run.suspects} suspects, report ${run.digest}`,
    );
    results.push(run);
  }
  const med = (f: (r: LeakRunResult) => number) => median(results.map(f)).toFixed(3);
  console.log(
    `\nleaks, ${sizes.map((n) => n.toLocaleString('en-US')).join(' → ')} objects, median of ${runs}: ` +
      `diff ${med((r) => r.diffCpu)} s, leaks ${med((r) => r.leaksCpu)} s, both ${med((r) => r.diffCpu + r.leaksCpu)} s CPU`,
  );
}

async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  if (argv[0] === '--child') {
    await runChild(argv[1]!, JSON.parse(argv[2] ?? '[]') as string[]);
    return;
  }
  if (argv[0] === '--leaks-child') {
    await runLeaksChild(argv.slice(1));
    return;
  }
  const opts = options(argv);
  childEnv = opts.hugePages ? indexerEnv() : withoutHugePages();
  childNeedles = opts.needles;
  console.log(
    `node ${process.version}, ${(await import('node:os')).cpus().length} cores (shared), load average ${(
      await import('node:os')
    )
      .loadavg()
      .map((l) => l.toFixed(1))
      .join(' ')}, GLIBC_TUNABLES=${childEnv.GLIBC_TUNABLES ?? '(unset)'}`,
  );
  if (opts.leaks) {
    for (const size of opts.sizes) benchLeaks(size, opts.runs, opts.snapshots);
    return;
  }
  for (const shape of opts.shapes) {
    if (shape !== 'python' && shape !== 'random') throw new Error(`unknown shape ${shape}: python or random`);
    for (const size of opts.sizes) {
      const file = syntheticFile(size, shape, opts.compress);
      const runs = Array.from({ length: opts.runs }, () => runOnce(file));
      summarize(`synthetic, ${shape} shape${opts.compress ? ' (zlib chunks)' : ''}`, runs);
    }
  }
  if (opts.real && havePython()) {
    const t0 = performance.now();
    const file = dumpPython(REAL_PROGRAM);
    console.log(
      `\nreal dump written by python-dumper in ${((performance.now() - t0) / 1000).toFixed(1)} s (${(statSync(file).size / 1e6).toFixed(1)} MB)`,
    );
    summarize(
      'real dump (python-dumper, zlib chunks)',
      Array.from({ length: opts.runs }, () => runOnce(file)),
    );
    const large = realLargeFile();
    summarize(
      'large real dump (python-dumper, zlib chunks)',
      Array.from({ length: opts.runs }, () => runOnce(large)),
    );
  }
}

await main();
