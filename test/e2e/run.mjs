// `npm run test:e2e`: builds once, then runs test/e2e/**/*.e2e.ts with vitest (vitest.e2e.config.ts).
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { ensureBuilt, ROOT } from '../../electron/launcher/ensure-built.mjs';

const chromium = process.env.HEAPSCOPE_CHROMIUM ?? '/usr/bin/chromium';
if (!existsSync(chromium)) {
  console.error(
    `e2e: ${chromium} not found; install Debian's chromium (bash .ci/run does) or set HEAPSCOPE_CHROMIUM.`,
  );
  process.exit(1);
}
if (!ensureBuilt()) process.exit(1);
const vitest = join(ROOT, 'node_modules', 'vitest', 'vitest.mjs');
const result = spawnSync(
  process.execPath,
  [vitest, 'run', '--config', 'vitest.e2e.config.ts', ...process.argv.slice(2)],
  {
    cwd: ROOT,
    stdio: 'inherit',
  },
);
process.exit(result.status ?? 1);
