// The process header warns when other threads changed the heap while it was read (issue 15,
// INFO.walkExclusive / gilHeld): a real dump taken with a thread running and the dumper's GIL hold
// switched off says so in a badge whose title explains it; a dump with no other thread shows none.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dumpPythonSnapshot, launchBrowser, type ServeHandle, startServe } from './harness';

// The dumper has no option to skip its hold (it should always hold); the test replaces the private
// function that raises the switch interval, and fails loudly if it is renamed.
const SHARED_PY = `
import threading, time
import heapscope._dump as _d
assert callable(_d._hold_gil), "the dumper's hold moved: update consistency.e2e.ts"
_d._hold_gil = lambda old: None
_stop = threading.Event()
def _spin():
    while not _stop.is_set():
        time.sleep(0.001)
threading.Thread(target=_spin, daemon=True).start()
DATA = [str(i) for i in range(2000)]
`;

const CALM_PY = `
DATA = [str(i) for i in range(2000)]
`;

let dir: string;
let server: ServeHandle;
let browser: Browser;
let page: Page;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'heapscope-consistency-e2e-'));
  const shared = await dumpPythonSnapshot(join(dir, 'shared.pyheap'), SHARED_PY);
  const calm = await dumpPythonSnapshot(join(dir, 'calm.pyheap'), CALM_PY);
  server = await startServe([shared, calm]);
  browser = await launchBrowser();
  page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
  await page.goto(server.url);
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
  if (dir) await rm(dir, { recursive: true, force: true });
});

async function show(name: string): Promise<void> {
  await expect.poll(() => page.getByTestId('tab').count(), { timeout: 90_000 }).toBe(2);
  await page.getByTestId('tab').filter({ hasText: name }).locator('.tab-name').click();
  await page.getByTestId('process-header').waitFor();
}

describe('consistency badge', () => {
  it('warns on a dump other threads ran through, with the explanation as its title', async () => {
    await show('shared.pyheap');
    const badge = page.getByTestId('process-header').getByTestId('consistency-badge');
    await badge.waitFor();
    expect(await badge.textContent()).toMatch(/Threads ran during the dump/);
    const title = (await badge.getAttribute('title')) ?? '';
    expect(title).toMatch(
      /^Other threads ran while this snapshot was read; expect [\d,]+ dangling references/,
    );
    expect(title).toContain('heapscope.dump(path, fork=True)');
  });

  it('shows nothing on a dump no other thread ran through', async () => {
    await show('calm.pyheap');
    await expect.poll(() => page.getByTestId('fact-objects').count()).toBe(1);
    expect(await page.getByTestId('consistency-badge').count()).toBe(0);
  });
});
