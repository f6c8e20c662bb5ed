// Opening snapshots in the Explorer: the demo (dumped by the real Python dumper, with a progress bar),
// deep links that restore a selection, several tabs, and the dark theme.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { syntheticSnapshot } from '../bench/ui-synthetic.mjs';
import { dumpPythonSnapshot, launchBrowser, type ServeHandle, screenshot, startServe } from './harness';

let server: ServeHandle;
let browser: Browser;
let page: Page;

beforeAll(async () => {
  server = await startServe();
  browser = await launchBrowser();
  page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
  await page.goto(server.url);
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

const inspectorType = (p: Page) => p.locator('[data-testid="inspector"] .facts dd').first();

describe('opening snapshots', () => {
  it('opens the demo: a progress bar while it is dumped and indexed, then the summary', async () => {
    await page.getByTestId('welcome').waitFor();
    await page.getByTestId('open-demo').click();
    await page.getByTestId('progress').waitFor();
    await screenshot(page, 'explorer-progress');
    await page.getByTestId('summary-view').waitFor({ timeout: 90_000 });
    await page.getByTestId('type-row-__main__.Session').waitFor();
    expect(await page.getByTestId('tab').count()).toBe(1);
    await screenshot(page, 'explorer-demo');
  });

  it('restores a selection from a deep link, keeping the token in the query', async () => {
    await page.getByTestId('type-row-__main__.Session').locator('.tt-toggle').click();
    await page.getByTestId('summary-table').getByTestId('object-row').first().click();
    await expect.poll(() => inspectorType(page).textContent()).toBe('__main__.Session');
    const address = await page.locator('[data-testid="inspector"] .facts dd.mono').first().textContent();
    const url = page.url();
    expect(url).toMatch(/\?token=[^#]+#s=[^&]+&v=summary&n=\d+$/);

    const second = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    await second.goto(url);
    await expect.poll(() => inspectorType(second).textContent()).toBe('__main__.Session');
    expect(await second.locator('[data-testid="inspector"] .facts dd.mono').first().textContent()).toBe(
      address,
    );
    await second.close();
  });

  it('keeps several snapshots in tabs', async () => {
    await page.getByTestId('tab-home').click();
    await page.getByTestId('open-demo').click();
    await expect.poll(() => page.getByTestId('tab').count(), { timeout: 90_000 }).toBe(2);
    await page.getByTestId('summary-view').waitFor();
    await page.getByTestId('tab').first().locator('.tab-close').click();
    await expect.poll(() => page.getByTestId('tab').count()).toBe(1);
    await page.getByTestId('summary-view').waitFor();
  });

  it('uploads a snapshot chosen with Open… and reads a file dropped on the page', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'heapscope-upload-e2e-'));
    try {
      const file = await dumpPythonSnapshot(
        join(dir, 'upload.pyheap'),
        'class Upload:\n    pass\nkept = [Upload() for _ in range(300)]',
      );
      await page.getByTestId('tab-home').click();
      await page.getByTestId('file-input').setInputFiles(file);
      await page.getByTestId('summary-filter').fill('Upload', { timeout: 60_000 });
      await page.getByTestId('type-row-__main__.Upload').waitFor();
      expect(await page.getByTestId('tab').last().textContent()).toContain('upload.pyheap');
      // A drop is read the same way (browser mode); a bad one says why in one line.
      await page.evaluate(() => {
        const data = new DataTransfer();
        data.items.add(new File(['not a snapshot'], 'dropped.pyheap'));
        window.dispatchEvent(new DragEvent('drop', { dataTransfer: data, cancelable: true }));
      });
      await expect.poll(() => page.getByTestId('error').textContent()).toMatch(/^dropped\.pyheap: /);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('cancels a load in progress: no tab, no error', async () => {
    // Big enough that indexing takes seconds (written once, cached in .heapscope-tmp/).
    const file = await syntheticSnapshot(3_000_000);
    const loader = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    await loader.goto(`${server.url}#open=${encodeURIComponent(file)}`);
    // Wait for a real progress event from the indexer, then cancel.
    await expect
      .poll(() => loader.getByTestId('progress-stage').textContent(), { timeout: 60_000 })
      .toMatch(/^stage \d of 8/);
    // The deep link is applied after the open snapshots are listed, so the tab count is settled.
    const tabsBefore = await loader.getByTestId('tab').count();
    await screenshot(loader, 'explorer-progress-indexing');
    await loader.getByTestId('progress-cancel').click();
    await loader.getByTestId('progress').waitFor({ state: 'detached', timeout: 30_000 });
    expect(await loader.getByTestId('error').count()).toBe(0);
    expect(await loader.getByTestId('tab').count()).toBe(tabsBefore);
    await loader.close();
  });

  it('lists the keyboard shortcuts on ?', async () => {
    await page.getByTestId('summary-view').waitFor();
    // Not while typing in a box (the filter still has focus from the last test): click outside first.
    await page.getByTestId('process-header').click();
    await page.keyboard.press('?');
    await page.getByTestId('shortcuts-help').waitFor();
    expect(await page.getByTestId('shortcuts-help').textContent()).toContain('Ctrl/⌘ + F');
    await screenshot(page, 'explorer-shortcuts');
    await page.keyboard.press('Escape');
    await page.getByTestId('shortcuts-help').waitFor({ state: 'detached' });
  });

  it('follows the system’s dark theme', async () => {
    const dark = await browser.newPage({ viewport: { width: 1440, height: 900 }, colorScheme: 'dark' });
    await dark.goto(server.url);
    await dark.getByTestId('summary-view').waitFor();
    await dark.getByTestId('view-dominators').click();
    await dark.locator('[data-testid^="treemap-cell-"]').first().waitFor();
    const background = await dark.evaluate(() => getComputedStyle(document.body).backgroundColor);
    expect(background).toBe('rgb(30, 31, 34)');
    await screenshot(dark, 'explorer-dark');
    await dark.close();
  });
});
