// Finds a Chromium or Chrome for the e2e tests wherever a user's machine keeps one, and says how to
// get one where there is none. The search and the install decision are pure functions over what
// they are given (env, platform, an "is this an executable file" probe), so tests can run them
// against a fake machine; `locateBrowser` wires them to the real one.
import { spawnSync } from 'node:child_process';
import { accessSync, constants, readFileSync, statSync } from 'node:fs';
import { posix, win32 } from 'node:path';

/** Names a Chromium-family browser goes by on PATH, in the order we prefer them. */
export const PATH_NAMES = ['chromium', 'chromium-browser', 'google-chrome', 'google-chrome-stable', 'chrome'];

/** The one command that gets a browser on Debian/Ubuntu (what `.ci/run` does). */
export const APT_COMMAND = 'sudo apt-get update && sudo apt-get install -y chromium';

/** Where installers put the browser outside PATH, per platform. `home` and env give the roots. */
function wellKnownLocations(platform, env, home) {
  if (platform === 'darwin') {
    const apps = ['/Applications', ...(home ? [posix.join(home, 'Applications')] : [])];
    const bundles = [
      'Chromium.app/Contents/MacOS/Chromium',
      'Google Chrome.app/Contents/MacOS/Google Chrome',
      'Google Chrome for Testing.app/Contents/MacOS/Google Chrome for Testing',
      'Google Chrome Canary.app/Contents/MacOS/Google Chrome Canary',
    ];
    return apps.flatMap((dir) => bundles.map((b) => posix.join(dir, b)));
  }
  if (platform === 'win32') {
    const roots = [
      env.LOCALAPPDATA,
      env.PROGRAMFILES ?? env.ProgramFiles,
      env['PROGRAMFILES(X86)'] ?? env['ProgramFiles(x86)'],
    ];
    const rel = ['Chromium\\Application\\chrome.exe', 'Google\\Chrome\\Application\\chrome.exe'];
    return roots.filter(Boolean).flatMap((root) => rel.map((r) => win32.join(root, r)));
  }
  // Linux and other Unix: PATH normally covers these; listed for shells with a trimmed PATH.
  return ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome', '/snap/bin/chromium'];
}

/**
 * Every place to look, in order: HEAPSCOPE_CHROMIUM, then PATH names, then the platform's usual
 * install locations. Each entry says where it came from, for messages.
 */
export function browserCandidates({ env, platform, home }) {
  const path = platform === 'win32' ? win32 : posix;
  const sep = platform === 'win32' ? ';' : ':';
  const exts = platform === 'win32' ? ['.exe'] : [''];
  const out = [];
  const dirs = (env.PATH ?? env.Path ?? '').split(sep).filter(Boolean);
  for (const name of PATH_NAMES)
    for (const dir of dirs)
      for (const ext of exts) out.push({ path: path.join(dir, name + ext), from: 'PATH' });
  for (const p of wellKnownLocations(platform, env, home)) out.push({ path: p, from: 'install location' });
  return out;
}

/**
 * The browser to use: `{path}` when one is found, `{error}` when HEAPSCOPE_CHROMIUM names a file that
 * is not there (the user asked for that one: never silently take another), `{}` when none exists.
 */
export function findBrowser({ env, platform, home, isExecutable }) {
  const chosen = env.HEAPSCOPE_CHROMIUM;
  if (chosen) {
    if (isExecutable(chosen)) return { path: chosen, from: 'HEAPSCOPE_CHROMIUM' };
    return {
      error: `e2e: HEAPSCOPE_CHROMIUM=${chosen} is not an executable file; point it at a Chromium or Chrome binary or unset it.`,
    };
  }
  for (const c of browserCandidates({ env, platform, home })) if (isExecutable(c.path)) return c;
  return {};
}

/** True when /etc/os-release text describes Debian or a derivative (Ubuntu, Mint, …). */
export function isDebianLike(osRelease) {
  const field = (name) => new RegExp(`^${name}=["']?([^"'\\n]*)`, 'm').exec(osRelease)?.[1] ?? '';
  return /\b(debian|ubuntu)\b/.test(`${field('ID')} ${field('ID_LIKE')}`.toLowerCase());
}

/**
 * What to do when no browser is found: `{run: [argv, …]}` when we can install Debian's chromium
 * ourselves (Debian-like with apt-get, as root or with passwordless sudo), else `{message}`: one line
 * with the exact command for this machine.
 */
export function installPlan({ platform, uid, osRelease, hasAptGet, passwordlessSudo }) {
  const none =
    'e2e: no Chromium or Chrome found (looked at HEAPSCOPE_CHROMIUM, PATH, and the usual install locations);';
  if (platform === 'linux' && osRelease !== undefined && isDebianLike(osRelease) && hasAptGet) {
    const prefix = uid === 0 ? [] : passwordlessSudo ? ['sudo', '-n'] : undefined;
    if (prefix) {
      return {
        run: [
          [...prefix, 'apt-get', 'update', '-qq'],
          [...prefix, 'env', 'DEBIAN_FRONTEND=noninteractive', 'apt-get', 'install', '-y', '-qq', 'chromium'],
        ],
      };
    }
    return { message: `${none} install one with: ${APT_COMMAND}` };
  }
  const command =
    platform === 'darwin'
      ? 'brew install --cask chromium'
      : platform === 'win32'
        ? 'winget install Google.Chrome'
        : "your package manager's chromium package";
  return { message: `${none} install one with: ${command} (or set HEAPSCOPE_CHROMIUM=/path/to/chrome)` };
}

// ── the real machine ────────────────────────────────────────────────────────────────────────────

function isExecutableFile(p) {
  try {
    if (!statSync(p).isFile()) return false;
    if (process.platform !== 'win32') accessSync(p, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

function readOsRelease() {
  try {
    return readFileSync('/etc/os-release', 'utf8');
  } catch {
    return undefined;
  }
}

function succeeds(argv) {
  return spawnSync(argv[0], argv.slice(1), { stdio: 'ignore' }).status === 0;
}

function here() {
  return {
    env: process.env,
    platform: process.platform,
    home: process.env.HOME,
    isExecutable: isExecutableFile,
  };
}

/**
 * The browser path for this machine, installing Debian's chromium first when none is found and we
 * may; `{error}` (one line) when there is none and we cannot install one.
 */
export function locateBrowser({ install = true, log = console.error } = {}) {
  const found = findBrowser(here());
  if (found.path || found.error || !install) return found;
  const plan = installPlan({
    platform: process.platform,
    uid: process.getuid?.(),
    osRelease: readOsRelease(),
    hasAptGet: succeeds(['sh', '-c', 'command -v apt-get']),
    passwordlessSudo: process.getuid?.() !== 0 && succeeds(['sudo', '-n', 'true']),
  });
  if (plan.message) return { error: plan.message };
  log("e2e: no Chromium or Chrome found; installing Debian's chromium with apt-get…");
  for (const argv of plan.run) {
    const r = spawnSync(argv[0], argv.slice(1), { stdio: 'inherit' });
    if (r.status !== 0)
      return { error: `e2e: \`${argv.join(' ')}\` failed; install it yourself with: ${APT_COMMAND}` };
  }
  const after = findBrowser(here());
  return after.path
    ? after
    : { error: `e2e: chromium installed but not found on PATH; set HEAPSCOPE_CHROMIUM to its binary.` };
}
