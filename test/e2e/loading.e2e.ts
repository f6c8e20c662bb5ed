// The loading dialog's counts agree with the header (issue 17: "edges 6,179,344 during loading vs
// 3,134,967 after"; the dialog showed the edges stage's units of work, objects plus edges): once the
// edges stage has kept its edges, the dialog shows the objects and edges the header then shows, in
// the same words, and no stage's units of work.
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { syntheticSnapshot } from '../bench/ui-synthetic.mjs';
import { launchBrowser, type ServeHandle, startServe } from './harness';

let server: ServeHandle;
let close: () => Promise<void>;
let page: Page;

beforeAll(async () => {
  server = await startServe();
  const browser = await launchBrowser();
  close = async () => {
    await browser.close();
    await server.stop();
  };
  page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
});

afterAll(async () => {
  await close?.();
});

/** Records every text the progress card's stage line and counts line showed, however briefly. */
function recordProgress(): void {
  const seen = { stage: [] as string[], counts: [] as string[] };
  Object.assign(window, { progressSeen: seen });
  const note = (list: string[], testId: string) => {
    const text = document.querySelector(`[data-testid="${testId}"]`)?.textContent;
    if (text && list.at(-1) !== text) list.push(text);
  };
  new MutationObserver(() => {
    note(seen.stage, 'progress-stage');
    note(seen.counts, 'progress-counts');
  }).observe(document, { subtree: true, childList: true, characterData: true });
}

describe('loading dialog', () => {
  it('shows the objects and edges the header then shows', async () => {
    // Big enough that indexing takes a second or more (written once, cached in .heapscope-tmp/).
    const file = await syntheticSnapshot(1_000_000);
    await page.addInitScript(recordProgress);
    await page.goto(`${server.url}#open=${encodeURIComponent(file)}`);
    await page.getByTestId('summary-view').waitFor({ timeout: 90_000 });
    const seen = await page.evaluate(
      () => (window as unknown as { progressSeen: { stage: string[]; counts: string[] } }).progressSeen,
    );
    const objects = await page.getByTestId('fact-objects').locator('.fact-value').textContent();
    const edges = await page.getByTestId('fact-edges').locator('.fact-value').textContent();
    // The header says what it counts.
    expect(await page.getByTestId('fact-edges').getAttribute('title')).toBe(
      'References between the objects in the file (weak ones included)',
    );
    expect(seen.counts.length).toBeGreaterThan(0);
    expect(new Set(seen.counts)).toEqual(new Set([`${objects} objects · ${edges} edges`]));
    // Stages say where they are; only reading counts something (bytes).
    expect(seen.stage.some((s) => /^stage 1 of 8: reading [\d.]+ [kMG]?B of [\d.]+ [kMG]?B$/.test(s))).toBe(
      true,
    );
    for (const s of seen.stage) expect(s).not.toMatch(/\d \/ \d/);
  });
});
