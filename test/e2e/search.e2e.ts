// Search (issue 17): a query in double quotes matches whole values only; results are grouped by type
// with counts; picking a result closes them and opens the summary table down to the object, in view;
// Escape closes them wherever the focus is.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dumpPythonSnapshot, openServed, type Served, screenshot } from './harness';

// Labels made at run time (the program's own text holds none of them whole).
const PROGRAM = `
class Widget:
    def __init__(self, i):
        self.name = "widget-%d" % i

WIDGETS = [Widget(i) for i in range(40)]
TOKENS = ["tok" + "en-%d" % i for i in range(30)]
`;

let dir: string;
let served: Served | undefined;
let page: Page;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'heapscope-search-e2e-'));
  const file = await dumpPythonSnapshot(join(dir, 'search.pyheap'), PROGRAM);
  served = await openServed([file], { width: 1400, height: 900 });
  page = served.page;
});

afterAll(async () => {
  await served?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

const results = () => page.getByTestId('search-results');
const objectRows = () => page.getByTestId('search-table').getByTestId('search-row');
const typeRows = () => page.getByTestId('search-table').getByTestId('search-type-row');
const count = () => page.getByTestId('search-count').textContent();

async function search(text: string): Promise<void> {
  await page.getByTestId('search-input').fill(text);
  // The results of this query (typing is debounced), counted.
  await expect.poll(() => results().getAttribute('data-query')).toBe(text);
  await expect.poll(count).not.toBe('Searching…');
}

/** "1,234" → 1234 */
const number = (text: string) => Number(text.replace(/,/g, ''));

describe('search', () => {
  it('matches whole values only when the query is in double quotes', async () => {
    await search('token-1');
    await expect.poll(async () => number((await count())!.split(' ')[0]!)).toBeGreaterThanOrEqual(11);
    await search('"token-1"');
    await expect.poll(count).toBe('1 match (exact)');
    await expect.poll(() => objectRows().locator('.obj-label').allTextContents()).toEqual(["'token-1'"]);
    await screenshot(page, 'search-exact');
    await page.keyboard.press('Escape');
  });

  it('groups the results by type with their counts, the largest match first and open', async () => {
    // The type __main__.Widget (ignoring case) and the labels 'widget-…' (str objects).
    await search('widget');
    // The group of the largest match starts open; a click on a type closes or opens it, and keeps
    // the results.
    const first = typeRows().first();
    await expect.poll(() => first.getAttribute('aria-expanded')).toBe('true');
    await first.click();
    await expect.poll(() => first.getAttribute('aria-expanded')).toBe('false');
    await expect.poll(() => typeRows().count()).toBeGreaterThanOrEqual(2);
    const groups = await typeRows().evaluateAll((rows) =>
      rows.map((row) => [
        row.querySelector('.search-type')?.textContent,
        row.querySelectorAll('.tt-td')[1]?.textContent,
      ]),
    );
    expect(groups).toContainEqual(['__main__.Widget', '40']);
    // 'widget-0'…'widget-39', and the format string in the class's code.
    expect(number(groups.find(([type]) => type === 'str')?.[1] ?? '0')).toBeGreaterThanOrEqual(40);
    const total = groups.reduce((sum, [, n]) => sum + number(n ?? ''), 0);
    expect(await count()).toBe(`${total} matches in ${groups.length} types`);
    const str = typeRows().filter({ has: page.locator('.search-type', { hasText: /^str$/ }) });
    await str.click();
    await expect.poll(() => str.getAttribute('aria-expanded')).toBe('true');
    await expect.poll(() => objectRows().first().locator('.obj-type').textContent()).toBe('str');
    expect(await results().count()).toBe(1);
    for (const scheme of ['light', 'dark'] as const) {
      await page.emulateMedia({ colorScheme: scheme });
      await screenshot(page, `search-groups-${scheme}`);
    }
    await page.emulateMedia({ colorScheme: 'light' });
    await page.keyboard.press('Escape');
  });

  it('closes when an object is picked and opens the summary table down to it, in view', async () => {
    // A type filter that would hide it gives way.
    await page.getByTestId('summary-filter').fill('tuple');
    await expect.poll(() => page.getByTestId('type-row-dict').count()).toBe(0);
    await search('"Widget"');
    const instances = typeRows().filter({
      has: page.locator('.search-type', { hasText: '__main__.Widget' }),
    });
    await expect.poll(() => instances.locator('.tt-td').nth(1).textContent()).toBe('40');
    if ((await instances.getAttribute('aria-expanded')) !== 'true') await instances.click();
    // Not the first instance: the one at the end of the group.
    const pick = objectRows()
      .filter({ has: page.locator('.obj-type', { hasText: 'Widget' }) })
      .last();
    const address = (await pick.locator('.obj-addr').textContent())!;
    await pick.click();
    await expect.poll(() => results().count()).toBe(0);
    const selected = page.getByTestId('summary-table').locator('.tt-row.selected');
    await expect.poll(() => selected.locator('.obj-addr').textContent()).toBe(address);
    const body = (await page.getByTestId('summary-table').locator('.tt-body').boundingBox())!;
    const row = (await selected.boundingBox())!;
    expect(row.y).toBeGreaterThanOrEqual(body.y);
    expect(row.y + row.height).toBeLessThanOrEqual(body.y + body.height);
    expect(await page.getByTestId('summary-filter').inputValue()).toBe('');
    // An instance row, under its type's row.
    expect(await selected.getAttribute('data-depth')).toBe('1');
    expect(await selected.getAttribute('data-testid')).toBe('object-row');
    await screenshot(page, 'search-revealed');
  });

  it('closes on Escape wherever the focus is', async () => {
    await search('widget');
    await results().waitFor();
    await page.getByTestId('summary-table').locator('.tt-body').focus();
    await page.keyboard.press('Escape');
    await expect.poll(() => results().count()).toBe(0);
  });
});
