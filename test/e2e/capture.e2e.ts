// Capture from the UI in browser mode: a real Python child process (which never imported heapscope) is
// listed, captured through gdb by the server, and its snapshot opens in a tab; the process keeps running.
import { type ChildProcessWithoutNullStreams, spawn, spawnSync } from 'node:child_process';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, type ServeHandle, screenshot, startServe } from './harness';

const canCapture = process.platform === 'linux' && spawnSync('gdb', ['--version']).status === 0;

// A recognisable command line to filter on, and a class to find in the captured snapshot.
const TARGET = `
import time
class CapturedMarker:
    def __init__(self):
        self.payload = bytes(200_000)  # 10 MB in all: the top row of the summary
keep = [CapturedMarker() for _ in range(50)]
print("ready", flush=True)
while True:
    time.sleep(0.2)
`;

let server: ServeHandle;
let browser: Browser;
let page: Page;
let target: ChildProcessWithoutNullStreams;

beforeAll(async () => {
  if (!canCapture) return;
  target = spawn('python3', ['-c', TARGET, 'heapscope-e2e-capture-target']);
  await new Promise<void>((resolve, reject) => {
    target.stdout.on('data', (d: Buffer) => d.toString().includes('ready') && resolve());
    target.on('error', reject);
  });
  server = await startServe();
  browser = await launchBrowser();
  page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
  await page.goto(server.url);
});

afterAll(async () => {
  target?.kill('SIGKILL');
  await browser?.close();
  await server?.stop();
});

describe.runIf(canCapture)('capture from the UI', () => {
  it('lists the process, captures it with progress, and opens the snapshot in a tab', async () => {
    await page.getByTestId('welcome').waitFor();
    await page.getByTestId('capture-open').click();
    await page.getByTestId('capture-dialog').waitFor();
    await page.getByTestId('capture-filter').fill('heapscope-e2e-capture-target');
    const row = page.getByTestId(`capture-row-${target.pid}`);
    await row.waitFor({ timeout: 30_000 });
    await screenshot(page, 'capture-dialog');
    await row.click();
    await page.getByTestId('capture-take').click();
    await page.getByTestId('progress').waitFor();
    await page.getByTestId('summary-view').waitFor({ timeout: 120_000 });
    await page.getByTestId('type-row-__main__.CapturedMarker').waitFor();
    expect(await page.getByTestId('tab').count()).toBe(1);
    expect(target.exitCode).toBeNull();
    await screenshot(page, 'capture-opened');
  });

  it('records a series of two and opens Compare over it', async () => {
    await page.getByTestId('tab-home').click();
    await page.getByTestId('capture-open').click();
    await page.getByTestId('capture-filter').fill('heapscope-e2e-capture-target');
    await page.getByTestId(`capture-row-${target.pid}`).click();
    await page.getByTestId('capture-count').fill('2');
    await page.getByTestId('capture-every').fill('1');
    await page.getByTestId('capture-record').click();
    await page.getByTestId('compare-view').waitFor({ timeout: 120_000 });
    expect(await page.getByTestId('tab').count()).toBe(3);
    expect(target.exitCode).toBeNull();
    await screenshot(page, 'capture-recorded');
  });
});
