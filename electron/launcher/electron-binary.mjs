// Finds Electron's binary, trying electron's own install.js once when it is missing (installs run
// with ignore-scripts, see .npmrc). Returns {path} or {error: one line saying why there is none}.
import { spawnSync } from 'node:child_process';
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

export function findElectron(root) {
  const electronDir = join(root, 'node_modules', 'electron');
  if (!existsSync(join(electronDir, 'install.js'))) return { error: 'the electron package is not installed' };
  const found = installedPath(electronDir);
  if (found) return { path: found };
  if (process.env.ELECTRON_SKIP_BINARY_DOWNLOAD) return { error: 'ELECTRON_SKIP_BINARY_DOWNLOAD is set' };
  process.stderr.write("Downloading Electron's binary (first run)…\n");
  const result = spawnSync(process.execPath, ['install.js'], {
    cwd: electronDir,
    encoding: 'utf8',
    timeout: INSTALL_TIMEOUT_MS,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const again = installedPath(electronDir);
  if (again) return { path: again };
  if (result.error?.code === 'ETIMEDOUT')
    return { error: `download timed out after ${INSTALL_TIMEOUT_MS / 1000} s` };
  return { error: `download failed: ${reasonFrom(`${result.stderr ?? ''}\n${result.stdout ?? ''}`)}` };
}
