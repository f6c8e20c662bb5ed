// Finds Electron's binary, trying electron's own install.js once when it is missing (installs run
// with ignore-scripts, see .npmrc). Returns {path} or {error: one line saying why there is none}.
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

// A real download is ~100 MB; without network install.js fails within a second or two.
const INSTALL_TIMEOUT_MS = 180_000;

function installedPath(electronDir) {
  const pathFile = join(electronDir, 'path.txt');
  if (!existsSync(pathFile)) return null;
  const binary = join(electronDir, 'dist', readFileSync(pathFile, 'utf8').trim());
  return existsSync(binary) ? binary : null;
}

/** The last meaningful line of install.js's output: usually "RequestError: getaddrinfo ENOTFOUND github.com". */
function reasonFrom(output) {
  const lines = output
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith('at '));
  return lines[0] ?? 'no output';
}

/** Runs install.js, announcing the download only if it is really happening (slower than a failure). */
function runInstall(electronDir) {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['install.js'], {
      cwd: electronDir,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (c) => {
      output += c;
    });
    child.stderr.on('data', (c) => {
      output += c;
    });
    const announce = setTimeout(
      () => process.stderr.write("Downloading Electron's binary (first run)…\n"),
      3_000,
    );
    const limit = setTimeout(() => child.kill(), INSTALL_TIMEOUT_MS);
    child.on('close', (code, signal) => {
      clearTimeout(announce);
      clearTimeout(limit);
      resolve({ output, timedOut: signal !== null && code === null });
    });
    child.on('error', (err) => resolve({ output: err.message, timedOut: false }));
  });
}

export async function findElectron(root) {
  const electronDir = join(root, 'node_modules', 'electron');
  if (!existsSync(join(electronDir, 'install.js'))) return { error: 'the electron package is not installed' };
  const found = installedPath(electronDir);
  if (found) return { path: found };
  if (process.env.ELECTRON_SKIP_BINARY_DOWNLOAD) return { error: 'ELECTRON_SKIP_BINARY_DOWNLOAD is set' };
  const { output, timedOut } = await runInstall(electronDir);
  const again = installedPath(electronDir);
  if (again) return { path: again };
  if (timedOut) return { error: `download timed out after ${INSTALL_TIMEOUT_MS / 1000} s` };
  return { error: `download failed: ${reasonFrom(output)}` };
}
