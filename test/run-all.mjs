// `npm test`: every check the project has, in one command — typecheck (node, web and e2e separately),
// lint, unit tests, the dumper's Python tests under every Python found, and browser-mode e2e.
// Runs them all even after a failure, then prints a summary and fails if any step failed.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = join(fileURLToPath(new URL('.', import.meta.url)), '..');
const bin = (...parts) => join(ROOT, 'node_modules', ...parts);

const STEPS = [
  ['typecheck (node)', [bin('typescript', 'bin', 'tsc'), '--noEmit', '-p', 'tsconfig.node.json']],
  ['typecheck (web)', [bin('typescript', 'bin', 'tsc'), '--noEmit', '-p', 'tsconfig.web.json']],
  // e2e tests run in Node but hand callbacks to the page (page.evaluate), so they see both Node and DOM types.
  ['typecheck (e2e)', [bin('typescript', 'bin', 'tsc'), '--noEmit', '-p', 'tsconfig.e2e.json']],
  ['lint', [bin('@biomejs', 'biome', 'bin', 'biome'), 'check', '.']],
  ['unit', [bin('vitest', 'vitest.mjs'), 'run']],
  ['python', [join(ROOT, 'test', 'run-python.mjs')]],
  ['e2e', [join(ROOT, 'test', 'e2e', 'run.mjs')]],
];

// `npm test -- unit e2e` runs only the named steps.
const only = process.argv.slice(2);
const results = [];
for (const [name, argv] of STEPS) {
  if (only.length > 0 && !only.some((o) => name.startsWith(o))) continue;
  console.log(`\n━━ ${name} ${'━'.repeat(Math.max(0, 70 - name.length))}`);
  const started = Date.now();
  const result = spawnSync(process.execPath, argv, { cwd: ROOT, stdio: 'inherit' });
  results.push({ name, ok: result.status === 0, seconds: (Date.now() - started) / 1000 });
}

console.log('\n━━ summary');
for (const r of results)
  console.log(`${r.ok ? 'pass' : 'FAIL'}  ${r.name.padEnd(18)} ${r.seconds.toFixed(1)} s`);
const failed = results.filter((r) => !r.ok).map((r) => r.name);
console.log(failed.length === 0 ? 'All checks passed.' : `Failed: ${failed.join(', ')}`);
process.exit(failed.length === 0 ? 0 : 1);
