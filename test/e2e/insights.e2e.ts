// The Insights view in Chromium on a real snapshot: the accounting bar with its verdict, the
// findings by kind, a finding expanded to its owner path, and a click on the owner selecting it.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dumpPythonSnapshot, launchBrowser, type ServeHandle, screenshot, startServe } from './harness';

const PROGRAM = `
class Order:
    def __init__(self, i):
        self.id = i
        self.status = "".join(["sh", "ipped"])
        self.total = i * 1.5

ORDERS = [Order(i) for i in range(5000)]
PRICES = [i * 0.25 for i in range(20000)]
`;

let dir: string;
let server: ServeHandle;
let browser: Browser;
let page: Page;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'heapscope-insights-e2e-'));
  const file = await dumpPythonSnapshot(join(dir, 'orders.pyheap'), PROGRAM);
  server = await startServe([file]);
  browser = await launchBrowser();
  page = await browser.newPage({ viewport: { width: 1440, height: 1000 } });
  await page.goto(server.url);
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('Insights view', () => {
  it('shows the accounting, the findings and their owners', async () => {
    // The process header shows the same breakdown as a small bar.
    expect(await page.getByTestId('header-accounting-bar').locator('span').count()).toBeGreaterThanOrEqual(3);
    await page.getByTestId('view-insights').click();
    await page.getByTestId('insights-view').waitFor();
    await expect
      .poll(() => page.getByTestId('accounting').textContent())
      .toMatch(/% of RSS is live Python objects/);
    expect(await page.getByTestId('accounting-bar').locator('div').count()).toBeGreaterThanOrEqual(3);

    const dups = page.getByTestId('insights-duplicate-values');
    const shipped = dups.getByTestId('insight-finding').filter({ hasText: '"shipped"' });
    await shipped.locator('summary').click();
    const owner = shipped.locator('button.path').first();
    await expect
      .poll(() => owner.textContent())
      .toContain("module __main__ → ['ORDERS'] → [*] → __main__.Order → .status");
    await expect
      .poll(() => page.getByTestId('insights-missing-slots').textContent())
      .toContain('__main__.Order: 5,000 instances without __slots__');
    await expect
      .poll(() => page.getByTestId('insights-boxed-numbers').textContent())
      .toContain('boxed floats');
    await screenshot(page, 'insights');

    await owner.click();
    await page.getByTestId('inspector').waitFor();
  }, 120_000);
});
