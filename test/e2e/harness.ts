// Reusable pieces for end-to-end tests against browser mode: build once, run `heapscope serve` on a
// free port, drive Debian's Chromium with playwright-core, and save screenshots under test-results/.
//
//   const { page, close } = await openServed([fixture('small.pyheap')], { width: 1280, height: 800 });
//   await screenshot(page, 'summary'); await close();
//
// or, piece by piece:
//   const server = await startServe([fixture('small.pyheap')]);
//   const browser = await launchBrowser();
//   const page = await browser.newPage();
//   await page.goto(server.url);
//   await screenshot(page, 'summary');
//   await browser.close(); await server.stop();
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Browser, chromium, type Page } from 'playwright-core';
import { ensureBuilt, ROOT } from '../../electron/launcher/ensure-built.mjs';
import { locateBrowser } from './find-browser.mjs';

export { ROOT };
export const RESULTS_DIR = join(ROOT, 'test-results');
/** The browser run.mjs found (it passes HEAPSCOPE_CHROMIUM on); searched again when run directly. */
const BROWSER = locateBrowser({ install: false });
export const CHROMIUM = BROWSER.path ?? '';
export const CHROMIUM_FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--no-first-run',
  '--disable-sync',
];

const BUILT_FLAG = 'HEAPSCOPE_E2E_BUILT';

/**
 * Builds out/ when it is missing or stale, once per run: global-setup.ts builds before any test file
 * starts and sets HEAPSCOPE_E2E_BUILT, so a source edited mid-run never rebuilds out/ under a running
 * server. Safe to call from every test file.
 */
export function buildOnce(): void {
  if (process.env[BUILT_FLAG]) return;
  if (!ensureBuilt({ quiet: true })) throw new Error('the build failed; run `npm run build` to see why');
  process.env[BUILT_FLAG] = '1';
}

export function fixture(...parts: string[]): string {
  return join(ROOT, 'test', 'fixtures', ...parts);
}

export interface ServeHandle {
  /** The URL `heapscope serve` printed: http://127.0.0.1:PORT/?token=… */
  url: string;
  /** http://127.0.0.1:PORT */
  origin: string;
  port: number;
  token: string;
  /** Everything the server wrote to stderr so far (progress, errors). */
  stderr(): string;
  stop(): Promise<void>;
}

export interface ServeOptions {
  /** Extra arguments after the files (e.g. ['--port', '0']). */
  args?: string[];
  env?: NodeJS.ProcessEnv;
  /** How long to wait for the URL (indexing of the given files happens first). */
  timeoutMs?: number;
}

/** Starts `node out/main/cli.js serve FILES…` on a free port with a throw-away config folder. */
export async function startServe(files: string[] = [], options: ServeOptions = {}): Promise<ServeHandle> {
  buildOnce();
  const configDir = await mkdtemp(join(tmpdir(), 'heapscope-e2e-'));
  const child = spawn(
    process.execPath,
    [join(ROOT, 'out', 'main', 'cli.js'), 'serve', ...files, ...(options.args ?? [])],
    {
      cwd: ROOT,
      env: { ...process.env, HEAPSCOPE_CONFIG_DIR: configDir, ...options.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (chunk: Buffer) => {
    stdout += chunk.toString();
  });
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  const stop = async () => {
    await kill(child);
    await rm(configDir, { recursive: true, force: true });
  };
  try {
    const url = await waitFor(() => /http:\/\/127\.0\.0\.1:\d+\/\?token=\S+/.exec(stdout)?.[0], child, {
      timeoutMs: options.timeoutMs ?? 60_000,
      describe: () => `heapscope serve printed no URL.\nstdout: ${stdout}\nstderr: ${stderr}`,
    });
    const parsed = new URL(url);
    return {
      url,
      origin: parsed.origin,
      port: Number(parsed.port),
      token: parsed.searchParams.get('token')!,
      stderr: () => stderr,
      stop,
    };
  } catch (err) {
    await stop();
    throw err;
  }
}

async function waitFor<T>(
  probe: () => T | undefined,
  child: ChildProcess,
  options: { timeoutMs: number; describe: () => string },
): Promise<T> {
  const deadline = Date.now() + options.timeoutMs;
  for (;;) {
    const value = probe();
    if (value !== undefined) return value;
    if (child.exitCode !== null)
      throw new Error(`serve exited with code ${child.exitCode}. ${options.describe()}`);
    if (Date.now() > deadline) throw new Error(`timed out. ${options.describe()}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

function kill(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    child.kill('SIGTERM');
  });
}

/** Chromium or Chrome (find-browser.mjs), headless, with the flags CI needs (no sandbox, no background network). */
export async function launchBrowser(): Promise<Browser> {
  if (!CHROMIUM)
    throw new Error(
      BROWSER.error ??
        'e2e: no Chromium or Chrome found; run `npm run test:e2e`, which installs one or says how',
    );
  return chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_FLAGS });
}

/** A served set of files open in one Chromium page; `close()` ends both. */
export interface Served {
  server: ServeHandle;
  browser: Browser;
  page: Page;
  close(): Promise<void>;
}

/** `heapscope serve files…`, a page at `viewport` on its token URL, the summary view shown. */
export async function openServed(
  files: string[],
  viewport: { width: number; height: number },
): Promise<Served> {
  const server = await startServe(files);
  const browser = await launchBrowser().catch(async (err: unknown) => {
    await server.stop();
    throw err;
  });
  const page = await browser.newPage({ viewport });
  await page.goto(server.url);
  await page.getByTestId('summary-view').waitFor();
  return {
    server,
    browser,
    page,
    async close() {
      await browser.close();
      await server.stop();
    },
  };
}

/** Saves a full-page PNG as test-results/<name>.png and returns its path. */
export async function screenshot(page: Page, name: string): Promise<string> {
  await mkdir(RESULTS_DIR, { recursive: true });
  const path = join(RESULTS_DIR, `${name.replace(/[^\w.-]+/g, '-')}.png`);
  await page.screenshot({ path, fullPage: true });
  return path;
}

/** Calls the API as the page would (token header), from Node; for checks that need no browser. */
export async function apiCall(server: ServeHandle, method: string, args: unknown = {}): Promise<Response> {
  return fetch(`${server.origin}/api/call/${method}`, {
    method: 'POST',
    headers: { 'X-Heapscope-Token': server.token, 'Content-Type': 'application/json' },
    body: JSON.stringify(args),
  });
}

/**
 * Runs `setup` (Python source) in a fresh python3, then dumps that process with the repository's
 * dumper to `out`. For tests that need a real snapshot with known contents.
 */
export function dumpPythonSnapshot(out: string, setup = ''): Promise<string> {
  const python = process.env.HEAPSCOPE_PYTHON || 'python3';
  const code = `${setup}\nimport heapscope\nheapscope.dump(${JSON.stringify(out)})\n`;
  return new Promise((resolve, reject) => {
    execFile(
      python,
      ['-c', code],
      { env: { ...process.env, PYTHONPATH: join(ROOT, 'python-dumper') }, timeout: 60_000 },
      (err, _stdout, stderr) =>
        err ? reject(new Error(`dumping failed: ${stderr || err.message}`)) : resolve(out),
    );
  });
}
