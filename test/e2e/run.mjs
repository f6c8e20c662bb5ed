// `npm run test:e2e`: builds once, then runs test/e2e/**/*.e2e.ts with vitest (vitest.e2e.config.ts).
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { ensureBuilt, ROOT } from '../../electron/launcher/ensure-built.mjs';
import { locateBrowser } from './find-browser.mjs';

// A fresh machine needs nothing but `npm install` first: find a Chromium/Chrome, or install
// Debian's chromium where we may, or fail with the one command that gets one.
const browser = locateBrowser();
if (!browser.path) {
  console.error(browser.error);
  process.exit(1);
}
if (!ensureBuilt()) process.exit(1);
const vitest = join(ROOT, 'node_modules', 'vitest', 'vitest.mjs');
const result = spawnSync(
  process.execPath,
  [vitest, 'run', '--config', 'vitest.e2e.config.ts', ...process.argv.slice(2)],
  {
    cwd: ROOT,
    // The test files' harness takes the browser found here rather than searching again.
    env: { ...process.env, HEAPSCOPE_CHROMIUM: browser.path },
    stdio: 'inherit',
  },
);
process.exit(result.status ?? 1);
