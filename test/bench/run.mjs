// `npm run bench`: runs every benchmark in this folder named `*.bench.mjs` or `*.bench.ts`, one after
// another, each in its own Node process (so one's memory never counts against another's). To add a
// benchmark, drop a file with that suffix here; TypeScript ones are bundled with esbuild first.
//   npm run bench                       all benchmarks, default options
//   npm run bench -- --only indexer     benchmarks whose file name contains "indexer"
//   npm run bench -- --only indexer --sizes 1000000 --runs 1   (arguments after --only go to them)
import { spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const HERE = dirname(fileURLToPath(import.meta.url));
const ROOT = join(HERE, '..', '..');
const OUT = join(ROOT, '.heapscope-tmp', 'bench');

const argv = process.argv.slice(2);
let only = '';
const onlyAt = argv.indexOf('--only');
if (onlyAt >= 0) {
  only = argv[onlyAt + 1] ?? '';
  argv.splice(onlyAt, 2);
}

const benches = readdirSync(HERE)
  .filter((f) => /\.bench\.(mjs|ts)$/.test(f) && f.includes(only))
  .sort();
if (benches.length === 0) {
  console.error(`no benchmarks in ${HERE}${only ? ` matching "${only}"` : ''}`);
  process.exit(2);
}

mkdirSync(OUT, { recursive: true });
let failed = 0;
for (const file of benches) {
  let entry = join(HERE, file);
  if (file.endsWith('.ts')) {
    const outfile = join(OUT, file.replace(/\.ts$/, '.mjs'));
    await build({
      entryPoints: [entry],
      outfile,
      bundle: true,
      platform: 'node',
      format: 'esm',
      target: 'node20',
      sourcemap: 'inline',
      banner: {
        js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);",
      },
      logLevel: 'warning',
    });
    entry = outfile;
  }
  console.log(`\n=== ${file} ===`);
  const r = spawnSync(process.execPath, [entry, ...argv], { stdio: 'inherit', cwd: ROOT });
  if (r.status !== 0) {
    console.error(`${file} failed with exit code ${r.status}`);
    failed++;
  }
}
process.exit(failed ? 1 : 0);
