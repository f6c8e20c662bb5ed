// The Compare view (issue 17) on three real dumps of one process whose every round adds 300
// Sessions to a cache (new objects), replaces 50 Tickets (freed and new) and extends a bytearray
// (grown): a type row expands to its new, freed and grown objects, each opens in the inspector with
// its retainer path in the snapshot it lives in; every number names its interval, the table's
// interval is the user's, and the choice survives a reload and a switch to a snapshot tab.
import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildOnce, fixture, openServed, ROOT, type Served, screenshot } from './harness';

const PROGRAM = `
import sys
sys.path.insert(0, ${JSON.stringify(fixture('leaks'))})
from _common import run

class Session:
    def __init__(self, rid):
        self.rid = rid
        self.items = [rid] * 4

class Ticket:
    def __init__(self, n):
        self.n = n

_CACHE = {}
_TICKETS = []
_BUF = bytearray()

def workload(r):
    for i in range(300):
        _CACHE["s%d-%d" % (r, i)] = Session(r * 1000 + i)
    # The new list is built while the old one still holds its Tickets: no address is reused.
    _TICKETS[:] = [Ticket(r * 1000 + i) for i in range(50)]
    _BUF.extend(b"x" * 100000)

run(workload)
`;

function dumpSeries(dir: string): Promise<string[]> {
  const program = join(dir, 'service.py');
  return writeFile(program, PROGRAM).then(
    () =>
      new Promise((resolve, reject) => {
        execFile(
          process.env.HEAPSCOPE_PYTHON || 'python3',
          [program, dir, '3'],
          { env: { ...process.env, PYTHONPATH: join(ROOT, 'python-dumper') }, timeout: 120_000 },
          (err, _out, stderr) =>
            err
              ? reject(new Error(`dumping failed: ${stderr || err.message}`))
              : resolve([1, 2, 3].map((i) => join(dir, `${i}.pyheap`))),
        );
      }),
  );
}

let dir: string;
let served: Served | undefined;
let page: Page;

beforeAll(async () => {
  buildOnce();
  dir = await mkdtemp(join(tmpdir(), 'heapscope-compare-e2e-'));
  served = await openServed(await dumpSeries(dir), { width: 1400, height: 900 });
  page = served.page;
  await page.getByTestId('tab').nth(2).waitFor({ timeout: 60_000 });
  await page.getByTestId('tab-compare').click();
  await page.getByTestId('compare-view').waitFor();
});

afterAll(async () => {
  await served?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

const table = () => page.getByTestId('diff-table');
const text = (testId: string) => page.getByTestId(testId).first().textContent();
/** What a change row says (its name cell, without the toggle and the numbers). */
const changeText = async (change: string) => {
  const cell = table().getByTestId(`diff-change-${change}`).locator('.diff-change');
  return `${await cell.textContent()} (${await cell.getAttribute('title')})`;
};

/** Filters the table to one type and expands it (once the filter has applied, so the click lands). */
async function expandType(type: string): Promise<void> {
  await page.getByTestId('diff-filter').fill(type);
  await expect.poll(() => table().locator('[data-testid^="diff-row-"]').count()).toBe(1);
  await page.getByTestId(`diff-row-${type}`).locator('.tt-toggle').click();
  await table().locator('[data-testid^="diff-change-"]').first().waitFor();
}

async function expandChange(change: 'new' | 'freed' | 'grown'): Promise<void> {
  await table().getByTestId(`diff-change-${change}`).locator('.tt-toggle').click();
  await table().getByTestId(`diff-object-${change}`).first().waitFor();
}

describe('Compare drill-down', () => {
  it('expands a type to its new and freed objects; a freed one opens with its path in the older snapshot', async () => {
    // The whole series by default: what the suspects and the report cover.
    await expect.poll(() => text('diff-interval')).toBe('1→3');
    await expandType('__main__.Ticket');
    const changes = table().locator('[data-testid^="diff-change-"]');
    await expect.poll(() => changes.count()).toBe(2);
    await expect(changeText('new')).resolves.toBe(
      'New 50 · in snapshot 3 (in snapshot 3 (3.pyheap), not in snapshot 1 (1.pyheap))',
    );
    await expect(changeText('freed')).resolves.toMatch(
      /^Freed 50 · in snapshot 1 \(in snapshot 1 \(1\.pyheap\), gone from snapshot 3 \(3\.pyheap\)\)$/,
    );

    await expandChange('freed');
    // Paged from the server: every freed Ticket is a row (virtualized: the table knows 1 + 2 + 50).
    await expect.poll(() => table().locator('.tt-body').getAttribute('data-row-count')).toBe('53');
    const freed = table().getByTestId('diff-object-freed').first();
    await expect(freed.textContent()).resolves.toMatch(/Ticket.*n=\d+/);
    await expect(freed.locator('.tt-td.num').nth(4).textContent()).resolves.toMatch(/^-\d+ B$/);
    await freed.click();
    await expect.poll(() => page.getByTestId('side-inspector').getAttribute('aria-selected')).toBe('true');
    await expect(page.getByTestId('inspector').locator('.insp-title').textContent()).resolves.toMatch(
      /Ticket/,
    );
    await expect(text('object-detail-where')).resolves.toBe('freed · retainers in snapshot 1, 1.pyheap');
    const path = page.getByTestId('object-detail').getByTestId('retainer-path-text').first();
    await path.waitFor({ timeout: 30_000 });
    await expect(path.textContent()).resolves.toMatch(/_TICKETS.*\[\d+\]/);
    await screenshot(page, 'compare-drill-freed-1400');
  });

  it('opens a new object in the newer snapshot, and a grown one with its growth', async () => {
    await expandType('__main__.Session');
    await expect(changeText('new')).resolves.toMatch(/^New 600 · in snapshot 3 /);
    await expandChange('new');
    const first = table().getByTestId('diff-object-new').first();
    await first.click();
    await expect(text('object-detail-where')).resolves.toBe('new · retainers in snapshot 3, 3.pyheap');
    const path = page.getByTestId('object-detail').getByTestId('retainer-path-text').first();
    await expect.poll(() => path.textContent(), { timeout: 30_000 }).toMatch(/_CACHE.*\['s[12]-\d+'\]/);
    // A step of the path selects inside the Compare view, in the same snapshot.
    await page.getByTestId('object-detail').locator('.chip-name').nth(1).click();
    await expect(text('object-detail-where')).resolves.toBe('retainers in snapshot 3, 3.pyheap');
    await expect(page.getByTestId('compare-view').count()).resolves.toBe(1);

    await expandType('bytearray');
    await expandChange('grown');
    const grown = table().getByTestId('diff-object-grown').first();
    // Two rounds of 100,000 bytes each.
    await expect(grown.locator('.tt-td.num').nth(4).textContent()).resolves.toMatch(/^\+\d+(\.\d+)? KiB$/);
  });
});

describe('intervals', () => {
  it('the table shows the interval the user picks, and says what the suspects cover', async () => {
    await page.getByTestId('diff-filter').fill('');
    await page.getByTestId('side-suspects').click();
    await expect(page.getByTestId('suspects-scope').count()).resolves.toBe(0);
    await expect(page.getByTestId('suspects-head').textContent()).resolves.toMatch(/over 1→3/);
    await expect(page.getByTestId('suspect').first().textContent()).resolves.toMatch(/1→2: \+.*2→3: \+/);
    await page.getByTestId('interval-2-3').click();
    await expect.poll(() => text('diff-interval')).toBe('2→3');
    await expect(text('diff-totals')).resolves.toMatch(/2\.pyheap → 3\.pyheap/);
    await expect(text('suspects-scope')).resolves.toMatch(
      /The table shows 2→3; suspects and the exported report cover the whole series, 1→3/,
    );
    await expandType('__main__.Session');
    await expect(changeText('new')).resolves.toBe(
      'New 300 · in snapshot 3 (in snapshot 3 (3.pyheap), not in snapshot 2 (2.pyheap))',
    );
    await screenshot(page, 'compare-interval-2-3-1400');
  });
});

describe('the comparison is kept in the URL', () => {
  it('survives a reload and a switch to a snapshot tab', async () => {
    await page.getByTestId('side-suspects').click();
    await page.getByTestId('suspect').first().click();
    await page.getByTestId('suspect-detail').waitFor();
    expect(new URL(page.url()).hash).toMatch(/c=s1%2Cs2%2Cs3.*cv=1.*ci=2-3.*cs=/);

    await page.reload();
    await page.getByTestId('compare-view').waitFor({ timeout: 30_000 });
    await expect.poll(() => text('diff-interval')).toBe('2→3');
    await page.getByTestId('suspect-detail').waitFor({ timeout: 30_000 });
    await expect(page.locator('.suspect-card.active').count()).resolves.toBe(1);

    // Back from a snapshot tab, the suspects are still there: not looked for again.
    const leakCalls: string[] = [];
    page.on('request', (r) => r.url().includes('/api/call/leaks') && leakCalls.push(r.url()));
    await page.getByTestId('tab').first().click();
    await page.getByTestId('snapshot-view').waitFor();
    await page.getByTestId('tab-compare').click();
    await page.getByTestId('suspect').first().waitFor();
    expect(leakCalls).toEqual([]);
    await expect.poll(() => text('diff-interval')).toBe('2→3');
    await expect.poll(() => page.locator('.suspect-card.active').count(), { timeout: 30_000 }).toBe(1);
    await page.getByTestId('suspect-detail').waitFor();
  });

  it('restores a picked object and the inspector from the URL', async () => {
    await expandType('__main__.Ticket');
    await expandChange('freed');
    await table().getByTestId('diff-object-freed').first().click();
    await page.getByTestId('object-detail').waitFor();
    const hash = new URL(page.url()).hash;
    expect(hash).toMatch(/co=s2%3A\d+%3Afreed&ct=__main__.Ticket.*cp=inspector/);
    await page.reload();
    await expect
      .poll(() => text('object-detail-where'), { timeout: 30_000 })
      .toBe('freed · retainers in snapshot 2, 2.pyheap');
    await page.getByTestId('inspector').waitFor();
    // The table opens the object's type and change again, its row under the cursor.
    const row = table().locator('.tt-row.cursor.selected');
    await expect.poll(() => row.getAttribute('data-testid'), { timeout: 30_000 }).toBe('diff-object-freed');
    await screenshot(page, 'compare-restored-object-1400');
  });
});

describe('screens', () => {
  it('reads at 1024×700 and 1400×900, light and dark', async () => {
    await page.getByTestId('diff-filter').fill('');
    for (const scheme of ['light', 'dark'] as const) {
      await page.emulateMedia({ colorScheme: scheme });
      for (const [width, height] of [
        [1400, 900],
        [1024, 700],
      ]) {
        await page.setViewportSize({ width, height });
        await screenshot(page, `compare-${scheme}-${width}`);
      }
      await page.getByTestId('side-suspects').click();
      await screenshot(page, `compare-${scheme}-1024-suspects`);
      await page.getByTestId('side-inspector').click();
    }
    // At 1024 px every numeric column stays in view: the last one ends inside the table's pane.
    const last = await table().getByTestId('diff-table-col-retainedDelta').boundingBox();
    const pane = await page.locator('.compare .main-pane').boundingBox();
    expect(last !== null && pane !== null && last.x + last.width <= pane.x + pane.width + 1).toBe(true);
  });
});
