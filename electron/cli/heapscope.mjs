#!/usr/bin/env node
// The `heapscope` bin (package.json): makes sure out/ is built, then runs the bundled CLI with plain
// node. Kept in JS so it works before anything is compiled.
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { ensureBuilt, ROOT } from '../launcher/ensure-built.mjs';
import { indexerEnv } from '../launcher/memory-env.mjs';

if (!ensureBuilt()) process.exit(1);
const child = spawn(process.execPath, [join(ROOT, 'out', 'main', 'cli.js'), ...process.argv.slice(2)], {
  stdio: 'inherit',
  env: indexerEnv(),
});
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
