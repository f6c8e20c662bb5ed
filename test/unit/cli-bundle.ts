// The CLI (or the service's worker) as one plain-node file, bundled with esbuild into a temporary folder: for tests that must
// run it in a child process (under `ulimit -v`, or where a regression would block the test's own
// thread forever) without `npm run build`.
import { type SpawnSyncReturns, spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { buildSync } from 'esbuild';

const ROOT = resolve(__dirname, '..', '..');

/** Bundles electron/cli/main.ts; returns the path of the bundle. */
export function bundleCli(): string {
  return bundle('electron/cli/main.ts', 'cli.js');
}

/** Bundles the service's worker entry (what out/main/indexer-worker.js is), for a WorkerBackend. */
export function bundleWorker(): string {
  return bundle('electron/service/worker.ts', 'indexer-worker.js');
}

function bundle(entry: string, name: string): string {
  const outfile = join(mkdtempSync(join(tmpdir(), 'heapscope-bundle-')), name);
  buildSync({
    entryPoints: [join(ROOT, entry)],
    bundle: true,
    platform: 'node',
    format: 'cjs',
    outfile,
    alias: { '@shared': join(ROOT, 'electron', 'shared') },
    logLevel: 'warning',
  });
  return outfile;
}

/**
 * Runs the bundled CLI, optionally under an address-space limit (`ulimit -v`, KiB), with a time
 * limit so that a command that blocks fails the test instead of hanging it.
 */
export function runCli(
  cli: string,
  argv: string[],
  options: { limitKiB?: number; timeoutMs?: number } = {},
): SpawnSyncReturns<string> {
  const quoted = [process.execPath, cli, ...argv].map((a) => `'${a.replace(/'/g, `'\\''`)}'`).join(' ');
  const limit = options.limitKiB === undefined ? '' : `ulimit -v ${options.limitKiB}; `;
  return spawnSync('bash', ['-c', `${limit}exec ${quoted}`], {
    encoding: 'utf8',
    timeout: options.timeoutMs ?? 20_000,
  });
}
