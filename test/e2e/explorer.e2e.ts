// The Explorer UI on a real dump: a small service whose module-level session cache leaks. Each step is
// what a user does to find the leak: summary → dominator tree → retainers → chart, then a bad file.
import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, ROOT, type ServeHandle, screenshot, startServe } from './harness';

const APP_PY = `
import weakref

class Session:
    def __init__(self, request_id):
        self.request_id = request_id
        self.user = f"user{request_id % 17}"
        self.payload = bytearray(4096)

_SESSION_CACHE = {}
# Weak references must show up as referrers but never keep a Session alive.
_WATCH = []

def handle(request_id):
    session = Session(request_id)
    _SESSION_CACHE[f"req-{request_id}"] = session
    _WATCH.append(weakref.ref(session))
`;

const MAIN_PY = `
import tracemalloc
tracemalloc.start(4)  # the dump then carries allocation tracebacks
import app
for i in range(1500):
    app.handle(i)
`;

/** Writes the program and dumps it at exit with the repository's dumper. */
async function dumpLeakyProgram(dir: string): Promise<string> {
  await writeFile(join(dir, 'app.py'), APP_PY);
  await writeFile(join(dir, 'main.py'), MAIN_PY);
  const out = join(dir, 'leaky.pyheap');
  const python = process.env.HEAPSCOPE_PYTHON || 'python3';
  await new Promise<void>((resolve, reject) => {
    execFile(
      python,
      ['-m', 'heapscope', 'run', '--dump-at-exit', out, join(dir, 'main.py')],
      {
        cwd: dir,
        env: { ...process.env, PYTHONPATH: `${join(ROOT, 'python-dumper')}:${dir}` },
        timeout: 60_000,
      },
      (err, _stdout, stderr) =>
        err ? reject(new Error(`dump failed: ${stderr || err.message}`)) : resolve(),
    );
  });
  return out;
}

let dir: string;
let server: ServeHandle;
let browser: Browser;
let page: Page;
const pageErrors: string[] = [];

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'heapscope-explorer-e2e-'));
  const file = await dumpLeakyProgram(dir);
  server = await startServe([file]);
  browser = await launchBrowser();
  const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: server.origin });
  page = await context.newPage();
  page.on('pageerror', (e) => pageErrors.push(e.message));
  await page.goto(server.url);
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
  if (dir) await rm(dir, { recursive: true, force: true });
});

const table = (id: string) => page.locator(`[data-testid="${id}"]`);
const inspectorType = () => page.locator('[data-testid="inspector"] .facts dd').first();

describe('Explorer on a leaking service', () => {
  it('lands on the summary with the leaking type first among the program’s types', async () => {
    await page.getByTestId('summary-view').waitFor();
    await page.getByTestId('type-row-app.Session').waitFor();
    await expect.poll(() => page.getByTestId('fact-objects').textContent()).toMatch(/Objects\s*[\d,]+/);
    const names = await table('summary-table').locator('.type-name').allTextContents();
    // Containers (dict, module) hold everything, the leak included; the leak must be the first type
    // the program defined, and within the first rows overall.
    const programTypes = names.filter((n) => n.startsWith('app.'));
    expect(programTypes[0]).toBe('app.Session');
    expect(names.indexOf('app.Session')).toBeLessThan(4);
    // The retained column of the leak: 1500 sessions × a 4 KiB payload.
    const retained = await page.getByTestId('type-row-app.Session').locator('.tt-td').nth(3).locator('span');
    expect(await retained.getAttribute('title')).toMatch(/^[\d,]+ bytes$/);
    const bytes = Number((await retained.getAttribute('title'))!.replace(/[^\d]/g, ''));
    expect(bytes).toBeGreaterThan(1500 * 4096);
    await screenshot(page, 'explorer-summary');
  });

  it('expands the type into instances and an instance into its labelled referents', async () => {
    await page.getByTestId('type-row-app.Session').locator('.tt-toggle').click();
    const instance = table('summary-table').getByTestId('object-row').first();
    await instance.waitFor();
    await instance.click();
    await expect.poll(() => inspectorType().textContent()).toBe('app.Session');
    await page.keyboard.press('ArrowRight');
    await table('summary-table').getByTestId('edge-row').filter({ hasText: '.payload' }).first().waitFor();
    await screenshot(page, 'explorer-summary-expanded');
  });

  it('filters types by name and sorts by any column', async () => {
    const names = () => table('summary-table').locator('.type-name').allTextContents();
    await page.getByTestId('summary-filter').fill('app.');
    // An empty table (between the filter and the filtered page) passes `every`: wait for rows.
    await expect
      .poll(async () => {
        const shown = await names();
        return shown.length > 0 && shown.every((n) => n.includes('app.')) && shown.includes('app.Session');
      })
      .toBe(true);
    await page.getByTestId('summary-filter').fill('');
    await expect.poll(async () => (await names()).includes('dict')).toBe(true);
    await page.getByTestId('summary-table-col-name').click();
    await expect
      .poll(() => page.getByTestId('summary-table-col-name').getAttribute('aria-sort'))
      .toBe('ascending');
    await expect
      .poll(async () => {
        const shown = await names();
        return shown.length > 3 && shown.every((n, i) => i === 0 || shown[i - 1].localeCompare(n, 'en') <= 0);
      })
      .toBe(true);
    await page.getByTestId('summary-table-col-retained').click();
    await expect
      .poll(() => page.getByTestId('summary-table-col-retained').getAttribute('aria-sort'))
      .toBe('descending');
  });

  it('keeps a second ArrowRight pressed while the rows of the first are loading', async () => {
    // A slow server: the instances come 0.8 s after they are asked for. The first press expands the
    // type; the second, pressed at once, steps into its first instance when that arrives, instead
    // of being lost on the "Loading…" row.
    const slow = '**/api/call/instances**';
    await page.route(slow, async (route) => {
      await new Promise((resolve) => setTimeout(resolve, 800));
      await route.continue();
    });
    try {
      const summary = table('summary-table');
      const cursorRow = () => summary.locator('.tt-row.cursor').getAttribute('data-testid');
      await page.getByTestId('type-row-bytearray').click();
      await expect.poll(cursorRow).toBe('type-row-bytearray');
      await page.keyboard.press('ArrowRight');
      await page.keyboard.press('ArrowRight');
      await summary.locator('.tt-row.placeholder').first().waitFor(); // the press came before the rows
      await expect.poll(cursorRow, { timeout: 5000 }).toBe('object-row');
      await expect.poll(() => inspectorType().textContent()).toBe('bytearray');
    } finally {
      await page.unroute(slow);
    }
  });

  it('sorts types and their instances by distance from the roots, and flips any column', async () => {
    const summary = table('summary-table');
    const header = (id: string) => page.getByTestId(`summary-table-col-${id}`);
    // The Distance column (the fifth); a dash is an unreachable object's: -1, as the API sorts it.
    const distances = (rows: string) =>
      summary
        .locator(rows)
        .evaluateAll((els) =>
          els.map((el) => el.querySelectorAll('.tt-td')[4]?.textContent?.replace(/,/g, '') ?? ''),
        )
        .then((cells) => cells.map((c) => (c === '—' ? -1 : Number(c))));
    const ordered = (xs: number[], sign: number) =>
      xs.every((x, i) => i === 0 || sign * (x - xs[i - 1]!) >= 0);
    await header('distance').click();
    await expect.poll(() => header('distance').getAttribute('aria-sort')).toBe('ascending');
    await expect
      .poll(async () => {
        const d = await distances('.tt-row[data-depth="0"]');
        return d.length > 5 && d.every((x) => Number.isInteger(x)) && ordered(d, 1);
      })
      .toBe(true);
    // A type's instances follow: nearest first (dict, found by the filter: by distance it can be
    // rows below the fold).
    await page.getByTestId('summary-filter').fill('dict');
    await page.getByTestId('type-row-dict').locator('.tt-toggle').click();
    await expect
      .poll(async () => {
        const d = await distances('[data-testid="object-row"]');
        return d.length > 5 && ordered(d, 1);
      })
      .toBe(true);
    await page.getByTestId('summary-filter').fill('');
    await header('distance').click();
    await expect.poll(() => header('distance').getAttribute('aria-sort')).toBe('descending');
    await expect.poll(async () => ordered(await distances('.tt-row[data-depth="0"]'), -1)).toBe(true);
    // Any sorted column flips on a second click, the name column too.
    await header('name').click();
    await expect.poll(() => header('name').getAttribute('aria-sort')).toBe('ascending');
    await header('name').click();
    await expect.poll(() => header('name').getAttribute('aria-sort')).toBe('descending');
    await header('retained').click();
    await expect.poll(() => header('retained').getAttribute('aria-sort')).toBe('descending');
    await screenshot(page, 'explorer-summary-by-distance');
  });

  it('drills down the dominator tree by keyboard to a leaked Session', async () => {
    await page.getByTestId('view-dominators').click();
    const dom = table('dominator-table');
    const appRow = dom.locator('.tt-row[data-depth="0"]').filter({ hasText: /module\s*app\b/ });
    await appRow.first().click();
    // The cursor itself on the app row (the inspector alone may still show an earlier module).
    await expect.poll(() => dom.locator('.tt-row.cursor').textContent()).toMatch(/module\s*app\b/);
    await expect.poll(() => inspectorType().textContent()).toBe('module');
    // Follow the biggest child (rows are sorted by retained size) until a Session is reached: the
    // cache holds nearly all of app's memory, so that path must lead to it within a few levels.
    // ArrowRight expands a collapsed row or steps into its first (largest) child. Each press waits
    // for the rows it loads, as a user would (a fixed pause was too short on a loaded CI machine).
    const cursorType = () => dom.locator('.tt-row.cursor .tt-td').nth(1).textContent();
    for (let press = 0; press < 12; press++) {
      if ((await cursorType()) === 'app.Session') break;
      await page.keyboard.press('ArrowRight');
      await expect.poll(() => dom.locator('.tt-row.placeholder').count()).toBe(0);
      await page.waitForTimeout(100);
    }
    await expect.poll(() => inspectorType().textContent()).toBe('app.Session');
    await expect(dom.locator('.tt-row.cursor').textContent()).resolves.toContain('Session');
    await screenshot(page, 'explorer-dominators');
  });

  it('follows a referent from the inspector and shows where it was allocated', async () => {
    // CPython 3.11 cannot trace objects with an inline __dict__ (tracemalloc returns None for the
    // Session itself), so follow its payload, a bytearray allocated in Session.__init__.
    await page.getByTestId('inspector-referents').locator('.tt-row', { hasText: '.payload' }).dblclick();
    await expect.poll(() => inspectorType().textContent()).toBe('bytearray');
    const frames = page.getByTestId('traceback').locator('.frame');
    await frames.first().waitFor();
    const text = (await frames.allTextContents()).join('\n');
    expect(text).toMatch(/app\.py:\d+/);
    expect(text).toMatch(/main\.py:\d+/);
    await screenshot(page, 'explorer-traceback');
    await page.keyboard.press('Alt+ArrowLeft');
    await expect.poll(() => inspectorType().textContent()).toBe('app.Session');
  });

  it('copies the address of the inspected object', async () => {
    const address = await page.locator('[data-testid="inspector"] .facts dd.mono').first().textContent();
    expect(address).toMatch(/^0x[0-9a-f]+$/);
    await page.getByTestId('copy-address').click();
    await page.getByTestId('notice').waitFor();
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(address);
  });

  it('shows why it is alive: the labelled path from the module, weak references not counted', async () => {
    const path = page.getByTestId('retainer-path-text').first();
    await expect
      .poll(() => path.textContent())
      .toMatch(/^module app → \['_SESSION_CACHE'\] → \['req-\d+'\] → app\.Session$/);
    expect(await page.getByTestId('weak-note').textContent()).toMatch(/weakly by 1 object/);
    await screenshot(page, 'explorer-retainers');
    // Ignoring the cache leaves only the weak dictionary, which does not retain: no path.
    const cacheChip = page.getByTestId('retainer-path').first().getByTestId('ignore-retainer').last();
    await cacheChip.click();
    await page.getByTestId('no-retainer-path').waitFor();
    await page.getByRole('button', { name: 'Show all' }).click();
    await path.waitFor();
    // The referrer tree does list the weak reference, marked as such.
    await page.getByTestId('referrer-tree-tab').click();
    await table('referrer-tree').locator('.tt-row.weak-row').first().waitFor();
    // …and opens into the referrers of the referrers: the cache dict is held by app's namespace.
    const cacheRow = table('referrer-tree').locator('.tt-row[data-depth="0"]').filter({ hasText: "['req-" });
    await cacheRow.locator('.tt-toggle').click();
    await expect
      .poll(() => table('referrer-tree').locator('.tt-row[data-depth="1"]').allTextContents())
      .toContainEqual(expect.stringContaining("['_SESSION_CACHE']"));
    await screenshot(page, 'explorer-referrers');
  });

  it('keeps the chart and the table in step, and zooms', async () => {
    const cells = page.locator('[data-testid^="treemap-cell-"]');
    await cells.first().waitFor();
    // Click a cell that is not selected yet; the table must select the same node.
    const testId = await cells.nth(1).getAttribute('data-testid');
    const node = testId!.replace('treemap-cell-', '');
    await cells.nth(1).click({ position: { x: 4, y: 4 } });
    await table('dominator-table').locator(`[data-testid="dom-row-${node}"].selected`).waitFor();
    await expect(page.locator(`[data-testid="treemap-cell-${node}"]`)).toBeDefined();
    expect(await page.locator(`[data-testid="treemap-cell-${node}"]`).getAttribute('class')).toContain(
      'selected',
    );
    await screenshot(page, 'explorer-chart-selected');
    // Zoom into it, then walk back up with the breadcrumb.
    await page.getByTestId('zoom-in').click();
    await expect.poll(() => page.getByTestId('breadcrumb').locator('.crumb').count()).toBeGreaterThan(1);
    await screenshot(page, 'explorer-chart-zoomed');
    await page.getByTestId('breadcrumb').getByRole('button', { name: 'All roots' }).click();
    await expect.poll(() => page.getByTestId('breadcrumb').locator('.crumb').count()).toBe(1);
  });

  it('goes back and forward through the selection history (Backspace, Alt+→)', async () => {
    const nodeInUrl = () => /[#&]n=(\d+)/.exec(new URL(page.url()).hash)?.[1] ?? null;
    const before = nodeInUrl();
    expect(before).not.toBeNull();
    await page.getByTestId('process-header').click();
    await page.keyboard.press('Backspace');
    await expect.poll(nodeInUrl).not.toBe(before);
    await page.keyboard.press('Alt+ArrowRight');
    await expect.poll(nodeInUrl).toBe(before);
  });

  it('searches labels with Ctrl+F', async () => {
    await page.keyboard.press('Control+f');
    await page.keyboard.type('req-1499');
    const row = page.getByTestId('search-table').getByTestId('search-row').first();
    await row.waitFor();
    // The box searches 200 ms after the last key: on a loaded machine a pause between two keys
    // shows a prefix's results first ('r' matched modules in one CI run), then the whole query's.
    await expect.poll(() => row.textContent(), { timeout: 10_000 }).toContain('req-1499');
    await expect.poll(() => page.locator('.search-head').textContent()).toMatch(/^\d+ match(es)?/);
    await screenshot(page, 'explorer-search');
    await page.keyboard.press('Escape');
  });

  it('shows a bad file’s one-line error instead of a blank screen', async () => {
    await page.getByTestId('tab-home').click();
    await page.getByTestId('file-input').setInputFiles({
      name: 'broken.pyheap',
      mimeType: 'application/octet-stream',
      buffer: Buffer.from('this is not a heap snapshot at all'),
    });
    const error = page.getByTestId('error');
    await error.waitFor();
    expect(await error.textContent()).toMatch(/broken\.pyheap/);
    await expect(page.getByTestId('welcome').isVisible()).resolves.toBe(true);
    await screenshot(page, 'explorer-bad-file');
    expect(pageErrors).toEqual([]);
  });
});
