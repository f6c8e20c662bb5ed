// "Is out/ current?" for the launchers (`npm start`, the `heapscope` bin, the e2e harness): builds with
// electron-vite when an output is missing or any source is newer than the oldest output. Plain JS so
// it runs before anything is compiled.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

const OUTPUTS = [
  'out/main/index.js',
  'out/main/cli.js',
  'out/main/indexer-worker.js',
  'out/preload/index.js',
  'out/renderer/index.html',
];
const SOURCE_DIRS = ['electron', 'renderer'];
const SOURCE_FILES = ['electron.vite.config.ts', 'package.json', 'tsconfig.base.json'];
// Tests, docs and the launchers themselves do not end up in out/.
const IGNORED = /(\.test\.tsx?|\.md|\.mjs)$/;

function newestMtime(path) {
  let stats;
  try {
    stats = statSync(path);
  } catch {
    return 0;
  }
  if (!stats.isDirectory()) return IGNORED.test(path) ? 0 : stats.mtimeMs;
  let newest = 0;
  for (const entry of readdirSync(path)) {
    if (entry === 'node_modules' || entry.startsWith('.')) continue;
    newest = Math.max(newest, newestMtime(join(path, entry)));
  }
  return newest;
}

/** Why a build is needed, or null when out/ is current. */
export function staleReason(root = ROOT) {
  let oldestOutput = Number.POSITIVE_INFINITY;
  for (const output of OUTPUTS) {
    const path = join(root, output);
    if (!existsSync(path)) return `${output} is missing`;
    oldestOutput = Math.min(oldestOutput, statSync(path).mtimeMs);
  }
  // An installed copy without sources (a packaged app) is always current.
  const sources = [...SOURCE_DIRS, ...SOURCE_FILES].map((p) => newestMtime(join(root, p)));
  return Math.max(...sources) > oldestOutput ? 'sources changed since the last build' : null;
}

/**
 * Builds when needed, saying so in one line (unless `quiet`); electron-vite's own output is shown only
 * when the build fails. Everything goes to stderr so a command's stdout stays clean for pipes.
 * Returns true when out/ is usable; on failure prints why and returns false.
 */
export function ensureBuilt({ root = ROOT, quiet = false } = {}) {
  const reason = staleReason(root);
  if (reason === null) return true;
  const cli = join(root, 'node_modules', 'electron-vite', 'bin', 'electron-vite.js');
  if (!existsSync(cli)) {
    process.stderr.write(
      `Heapscope is not built (${reason}) and electron-vite is missing: run \`npm install\`.\n`,
    );
    return false;
  }
  if (!quiet) process.stderr.write(`Building Heapscope (${reason})…\n`);
  const result = spawnSync(process.execPath, [cli, 'build'], {
    cwd: root,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  if (result.status === 0) return true;
  process.stderr.write(`${result.stdout ?? ''}${result.stderr ?? ''}`);
  process.stderr.write('The build failed (see above); fix the error or run `npm run build` to retry.\n');
  return false;
}
