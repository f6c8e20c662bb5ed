// The Insights view in Chromium on a real snapshot: the accounting bar with its verdict and
// tracemalloc's total (off here), the findings by kind a page at a time, a finding expanded to its
// owner path and that owner's objects (paged), and a click on the owner selecting it.
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
TAGS = ["".join(["tag-", str(i % 30)]) for i in range(600)]
`;

/** Polls wait this long: on a loaded machine the first analysis of a snapshot can take seconds. */
const WAIT = { timeout: 20_000 };

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
    // (polled: right after the page opens, the header may not have drawn it yet)
    await expect
      .poll(() => page.getByTestId('header-accounting-bar').locator('span').count(), WAIT)
      .toBeGreaterThanOrEqual(3);
    await page.getByTestId('view-insights').click();
    await page.getByTestId('insights-view').waitFor();
    await expect
      .poll(() => page.getByTestId('accounting').textContent(), WAIT)
      .toMatch(/% of RSS is live Python objects/);
    expect(await page.getByTestId('accounting-bar').locator('div').count()).toBeGreaterThanOrEqual(3);

    // The process was not tracing: said, not left out (header fact and the accounting legend).
    expect(await page.getByTestId('fact-tracemalloc').textContent()).toContain('off');
    expect(await page.getByTestId('accounting-tracemalloc').textContent()).toContain('tracemalloc off');

    // 30 tags and "shipped" (and the interpreter's own duplicates): ten a page, then the next ten.
    const dups = page.getByTestId('insights-duplicate-values');
    // Each kind's heading counts its findings in words, as the CLI does ("in 42 findings").
    expect(await dups.locator('h3').textContent()).toMatch(/: .+ in \d[\d,]* findings$/);
    const pager = dups.getByTestId('findings-duplicate-values-pager');
    await expect.poll(() => pager.textContent(), WAIT).toMatch(/1–10 of \d[\d,]+ findings/);
    const firstPage = await dups.locator('.finding-title').allTextContents();
    await dups.getByTestId('findings-duplicate-values-next').click();
    await expect.poll(() => pager.textContent(), WAIT).toMatch(/11–20 of \d[\d,]+ findings/);
    await expect
      .poll(() => dups.locator('.finding-title').first().textContent(), WAIT)
      .not.toBe(firstPage[0]);
    await pager.getByRole('button', { name: '‹' }).click();
    await expect.poll(() => dups.locator('.finding-title').first().textContent(), WAIT).toBe(firstPage[0]);

    // Every duplicated value grouped by holder: the Orders' .status keeps the most copies.
    const byOwner = dups.getByTestId('kind-owners-duplicate-values');
    await byOwner.locator('summary').click();
    await expect
      .poll(() => byOwner.locator('button.path').first().textContent(), WAIT)
      .toContain("module __main__ → ['ORDERS'] → [*] → __main__.Order → .status");
    await byOwner.locator('summary').click();

    const shipped = dups.getByTestId('insight-finding').filter({ hasText: '"shipped"' });
    await shipped.locator('summary').click();
    const owner = shipped.locator('button.path').first();
    await expect
      .poll(() => owner.textContent(), WAIT)
      .toContain("module __main__ → ['ORDERS'] → [*] → __main__.Order → .status");
    // The owner's 5,000 objects, twenty a page.
    await shipped.getByTestId('owner-objects-toggle').first().click();
    const objects = shipped.getByTestId('insight-objects');
    await expect.poll(() => objects.locator('.object-row').count(), WAIT).toBe(20);
    await expect
      .poll(() => objects.getByTestId('insight-objects-pager').textContent(), WAIT)
      .toMatch(/1–20 of 5,000 objects/);
    await page.getByTestId('insights-view').evaluate((el) => el.scrollTo(0, 0));
    await screenshot(page, 'insights');
    await objects.getByTestId('insight-objects-next').click();
    await expect
      .poll(() => objects.getByTestId('insight-objects-pager').textContent(), WAIT)
      .toMatch(/21–40 of 5,000 objects/);
    await expect
      .poll(() => page.getByTestId('insights-missing-slots').textContent(), WAIT)
      .toContain('__main__.Order: 5,000 instances without __slots__');
    await expect
      .poll(() => page.getByTestId('insights-boxed-numbers').textContent(), WAIT)
      .toContain('boxed floats');

    await owner.click();
    await page.getByTestId('inspector').waitFor();
  }, 120_000);
});
