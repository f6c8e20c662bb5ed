// `npm start [-- FILE…]` and `npm run dev`: the desktop app when Electron's binary is present,
// browser mode (`heapscope serve`) otherwise, after making sure out/ is built.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { findElectron } from './electron-binary.mjs';
import { ensureBuilt, ROOT } from './ensure-built.mjs';
import { indexerEnv } from './memory-env.mjs';

const args = process.argv.slice(2);
const dev = args.includes('--dev');
// npm runs scripts from the package folder; file arguments are relative to where the user typed.
const userCwd = process.env.INIT_CWD ?? process.cwd();
const files = args.filter((a) => a !== '--dev').map((f) => resolve(userCwd, f));

/** Runs a child with our stdio and exits with its code; Ctrl+C reaches it through the process group. */
function run(command, argv, env = process.env) {
  const child = spawn(command, argv, { cwd: ROOT, stdio: 'inherit', env: indexerEnv(env) });
  const forward = (signal) => child.kill(signal);
  process.on('SIGINT', forward);
  process.on('SIGTERM', forward);
  child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
}

function startBrowserMode() {
  if (!ensureBuilt()) process.exit(1);
  run(process.execPath, [join(ROOT, 'out', 'main', 'cli.js'), 'serve', ...files]);
}

const electron = await findElectron(ROOT);
if ('error' in electron) {
  process.stderr.write(
    `Electron's binary is not installed (${electron.error}); starting browser mode instead.\n`,
  );
  startBrowserMode();
} else if (dev) {
  const cli = join(ROOT, 'node_modules', 'electron-vite', 'bin', 'electron-vite.js');
  run(process.execPath, [cli, 'dev', ...(files.length ? ['--', ...files] : [])]);
} else {
  if (!ensureBuilt()) process.exit(1);
  // ELECTRON_RUN_AS_NODE inherited from a parent tool would turn the app into plain node.
  const env = { ...process.env };
  delete env.ELECTRON_RUN_AS_NODE;
  if (!existsSync(join(ROOT, 'out', 'main', 'index.js'))) process.exit(1);
  run(electron.path, [ROOT, ...files], env);
}
