// Finds Electron's binary, trying electron's own install.js once when it is missing (installs run
// with ignore-scripts, see .npmrc). Returns {path} or {error: one line saying why there is none}.
import { spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { request } from 'node:https';
import { homedir } from 'node:os';
import { join } from 'node:path';

// Where install.js would download from; a silent firewall makes it hang rather than fail, so we
// probe the host briefly first and only then allow a real (~100 MB) download its time.
const PROBE_TIMEOUT_MS = 5_000;
const INSTALL_TIMEOUT_MS = 600_000;

function downloadHost() {
  const mirror = process.env.ELECTRON_MIRROR ?? process.env.npm_config_electron_mirror;
  try {
    return mirror ? new URL(mirror).host : 'github.com';
  } catch {
    return 'github.com';
  }
}

/** @electron/get's cache folder; a cached zip installs with no network at all. */
function cacheRoot() {
  if (process.env.electron_config_cache) return process.env.electron_config_cache;
  if (process.platform === 'darwin') return join(homedir(), 'Library', 'Caches', 'electron');
  if (process.platform === 'win32') return join(process.env.LOCALAPPDATA ?? homedir(), 'electron', 'Cache');
  return join(process.env.XDG_CACHE_HOME ?? join(homedir(), '.cache'), 'electron');
}

function cachedZip(electronDir) {
  try {
    const { version } = JSON.parse(readFileSync(join(electronDir, 'package.json'), 'utf8'));
    const root = cacheRoot();
    return readdirSync(root).some((dir) => {
      try {
        return readdirSync(join(root, dir)).some((f) => f.startsWith(`electron-v${version}-`));
      } catch {
        return false;
      }
    });
  } catch {
    return false;
  }
}

/** The probe would wrongly fail where install.js can still succeed: behind a proxy, or from cache. */
function shouldProbe(electronDir) {
  const proxied = ['HTTPS_PROXY', 'https_proxy', 'ELECTRON_GET_USE_PROXY', 'GLOBAL_AGENT_HTTPS_PROXY'].some(
    (name) => process.env[name],
  );
  return !proxied && !cachedZip(electronDir);
}

/** Resolves null when `host` answers HTTPS at all, else a one-line reason. */
function probe(host) {
  return new Promise((resolve) => {
    const req = request({ host, method: 'HEAD', path: '/', timeout: PROBE_TIMEOUT_MS }, (res) => {
      res.resume();
      resolve(null);
    });
    req.on('timeout', () => req.destroy(new Error(`no answer within ${PROBE_TIMEOUT_MS / 1000} s`)));
    req.on('error', (err) => resolve(`cannot reach ${host} (${err.code ?? err.message})`));
    req.end();
  });
}

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
  const unreachable = shouldProbe(electronDir) ? await probe(downloadHost()) : null;
  if (unreachable) return { error: `download failed: ${unreachable}` };
  const { output, timedOut } = await runInstall(electronDir);
  const again = installedPath(electronDir);
  if (again) return { path: again };
  if (timedOut) return { error: `download timed out after ${INSTALL_TIMEOUT_MS / 1000} s` };
  return { error: `download failed: ${reasonFrom(output)}` };
}
