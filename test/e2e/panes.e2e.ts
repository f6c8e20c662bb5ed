// Pane sizes are remembered (issue 17): the inspector's width and the retainers panel's height, as
// dragged, survive a reload and a switch to another snapshot's tab; on a 1024×700 window they give
// way so that the summary's numeric columns stay in view; a double-click on a splitter resets it.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dumpPythonSnapshot, openServed, type Served, screenshot } from './harness';

let dir: string;
let served: Served | undefined;
let page: Page;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'heapscope-panes-e2e-'));
  const a = await dumpPythonSnapshot(join(dir, 'a.pyheap'), 'DATA = [str(i) * 3 for i in range(2000)]');
  const b = await dumpPythonSnapshot(join(dir, 'b.pyheap'), 'OTHER = {i: [i] for i in range(500)}');
  served = await openServed([a, b], { width: 1400, height: 900 });
  page = served.page;
});

afterAll(async () => {
  await served?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

const width = async (selector: string) => (await page.locator(selector).boundingBox())?.width ?? -1;
const height = async (selector: string) => (await page.locator(selector).boundingBox())?.height ?? -1;

/** Drags a splitter by (dx, dy) with the mouse, from its middle. */
async function drag(testId: string, dx: number, dy: number): Promise<void> {
  const box = (await page.getByTestId(testId).boundingBox())!;
  const x = box.x + box.width / 2;
  const y = box.y + box.height / 2;
  await page.mouse.move(x, y);
  await page.mouse.down();
  await page.mouse.move(x + dx / 2, y + dy / 2, { steps: 3 });
  await page.mouse.move(x + dx, y + dy, { steps: 3 });
  await page.mouse.up();
}

async function reload(): Promise<void> {
  await page.reload();
  await page.getByTestId('summary-view').waitFor();
}

describe('pane sizes', () => {
  it('are remembered across a reload and a tab switch', async () => {
    expect(await width('.side-pane')).toBe(380);
    const bottom = await height('.bottom-pane');
    await drag('splitter-side', -200, 0);
    await drag('splitter-bottom', 0, -100);
    expect(await width('.side-pane')).toBe(580);
    const dragged = await height('.bottom-pane');
    // The default height is a share of the window (fractional px); a dragged one is whole.
    expect(Math.abs(dragged - (bottom + 100))).toBeLessThanOrEqual(2);
    await reload();
    expect(await width('.side-pane')).toBe(580);
    expect(await height('.bottom-pane')).toBe(dragged);
    await page.getByTestId('tab').nth(1).click();
    await page.getByTestId('summary-view').waitFor();
    expect(await width('.side-pane')).toBe(580);
    expect(await height('.bottom-pane')).toBe(dragged);
    await screenshot(page, 'panes-remembered-1400');
  });

  it("give way at 1024×700 so that the summary's numeric columns stay in view", async () => {
    await page.setViewportSize({ width: 1024, height: 700 });
    await page.getByTestId('summary-table').locator('[data-testid^="type-row-"]').first().waitFor();
    const pane = (await page.getByTestId('summary-table').boundingBox())!;
    const headers = page.getByTestId('summary-table').locator('[role="columnheader"]');
    await expect.poll(() => headers.count()).toBe(6);
    for (const header of await headers.all()) {
      const box = (await header.boundingBox())!;
      expect(box.x + box.width, (await header.textContent()) ?? '').toBeLessThanOrEqual(pane.x + pane.width);
    }
    // The panel keeps its rows: the tables above it keep theirs too.
    expect(await height('.workspace')).toBeGreaterThan(200);
    for (const scheme of ['light', 'dark'] as const) {
      await page.emulateMedia({ colorScheme: scheme });
      await screenshot(page, `panes-1024-${scheme}`);
    }
    await page.emulateMedia({ colorScheme: 'light' });
    await page.getByTestId('view-dominators').click();
    const dominators = page.getByTestId('dominator-table');
    await dominators.locator('.tt-row').first().waitFor();
    const table = (await dominators.boundingBox())!;
    for (const header of await dominators.locator('[role="columnheader"]').all()) {
      const box = (await header.boundingBox())!;
      expect(box.x + box.width, (await header.textContent()) ?? '').toBeLessThanOrEqual(
        table.x + table.width,
      );
    }
    await screenshot(page, 'panes-1024-dominators');
    await page.getByTestId('view-summary').click();
    // The remembered width is the user's: back on a wide window, it is theirs again.
    await page.setViewportSize({ width: 1400, height: 900 });
    await expect.poll(() => width('.side-pane')).toBe(580);
    // The inspector at its narrowest keeps its references' sizes in view too.
    await page.getByTestId('summary-table').locator('.tt-toggle').first().click();
    await page.getByTestId('summary-table').getByTestId('object-row').first().click();
    const references = page.getByTestId('inspector-referents');
    await references.locator('[role="columnheader"]').first().waitFor();
    await drag('splitter-side', 1000, 0);
    const side = (await page.locator('.side-pane').boundingBox())!;
    expect(side.width).toBe(360);
    for (const header of await references.locator('[role="columnheader"]').all()) {
      const box = (await header.boundingBox())!;
      expect(box.x + box.width, (await header.textContent()) ?? '').toBeLessThanOrEqual(side.x + side.width);
    }
    await screenshot(page, 'panes-narrowest-inspector');
  });

  it('reset to the defaults on a double-click, and stay reset', async () => {
    const bottom = await height('.bottom-pane');
    await page.getByTestId('splitter-side').dblclick();
    await page.getByTestId('splitter-bottom').dblclick();
    await expect.poll(() => width('.side-pane')).toBe(380);
    await expect.poll(() => height('.bottom-pane')).toBeLessThan(bottom - 50);
    const reset = await height('.bottom-pane');
    await reload();
    expect(await width('.side-pane')).toBe(380);
    expect(await height('.bottom-pane')).toBeCloseTo(reset, 0);
  });
});
