// Rows say what they are (issue 17): on a real dump of a small service, instances of one type are told
// apart by a preview of their first fields, bound methods by their function's qualname, and the
// dominator tree's rows by how they are held; retainer paths come on demand and any step, the root
// included, can be ignored.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dumpPythonSnapshot, openServed, type Served, screenshot } from './harness';

const SERVICE_PY = `
class Request:
    def __init__(self, rid, path):
        self.rid = rid
        self.path = path
        self.headers = {"accept": "*/*"}

class EventBus:
    def __init__(self):
        self.listeners = []

class AuditHandler:
    def on_commit(self, event):
        pass

CATALOGUE = {i: "item-%d" % i * 40 for i in range(4000)}
BUS = EventBus()
_handler = AuditHandler()
for _ in range(300):
    BUS.listeners.append(_handler.on_commit)
REQUESTS = [Request(i, "/api/orders/%d/items" % i) for i in range(1200)]

class Config:
    def __init__(self):
        self.name = "prod"

class Worker:
    def __init__(self, config):
        self.config = config

CONFIG = Config()
WORKERS = [Worker(CONFIG) for _ in range(30)]
# Plugins keep the config too, each in its own module: paths from many different roots.
import types, sys
for _i in range(12):
    _plugin = types.ModuleType("plugin%d" % _i)
    _plugin.CONFIG = CONFIG
    sys.modules[_plugin.__name__] = _plugin
`;

let dir: string;
let served: Served | undefined;
let page: Page;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'heapscope-names-e2e-'));
  const file = await dumpPythonSnapshot(join(dir, 'service.pyheap'), SERVICE_PY);
  served = await openServed([file], { width: 1400, height: 900 });
  page = served.page;
});

afterAll(async () => {
  await served?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

/** WCAG contrast ratio of two computed `rgb(…)` colours. */
function contrast(a: string, b: string): number {
  const lum = (c: string) => {
    const [r, g, bl] = (c.match(/[\d.]+/g) ?? []).slice(0, 3).map((x) => {
      const v = Number(x) / 255;
      return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4;
    });
    return 0.2126 * r! + 0.7152 * g! + 0.0722 * bl!;
  };
  const [hi, lo] = [lum(a), lum(b)].sort((x, y) => y - x);
  return (hi! + 0.05) / (lo! + 0.05);
}

const summary = () => page.getByTestId('summary-table');

async function expandType(type: string): Promise<void> {
  await page.getByTestId('summary-filter').fill(type);
  // Once the filter has applied (one type row left): a click while the rows are being replaced
  // lands on a row that is about to go, and nothing expands.
  await expect.poll(() => summary().locator('[data-testid^="type-row-"]').count()).toBe(1);
  const row = page.getByTestId(`type-row-${type}`);
  await row.locator('.tt-toggle').click();
  await summary().getByTestId('object-row').first().waitFor();
}

describe('rows say what they are', () => {
  it('shows each instance with a preview of its first labelled fields', async () => {
    await expandType('__main__.Request');
    const previews = () => summary().getByTestId('obj-preview').allTextContents();
    await expect.poll(async () => (await previews()).length).toBeGreaterThan(5);
    const shown = await previews();
    for (const p of shown) expect(p).toMatch(/^rid=\d+ path='\/api\/orders\/\d+\/items'$/);
    // Distinct previews: the rows can be told apart.
    expect(new Set(shown).size).toBe(shown.length);
    await screenshot(page, 'names-instance-previews');
  });

  it("names bound methods by their function's qualname", async () => {
    // BUS → .listeners → [0]: a bound method, named by the function it binds.
    await expandType('__main__.EventBus');
    await summary().getByTestId('object-row').first().click();
    await page.keyboard.press('ArrowRight');
    const listeners = summary().getByTestId('edge-row').filter({ hasText: '.listeners' });
    await listeners.click();
    await page.keyboard.press('ArrowRight');
    const first = summary().getByTestId('edge-row').filter({ hasText: '[0]' }).first();
    await expect.poll(() => first.getByTestId('obj-preview').textContent()).toBe('AuditHandler.on_commit');
    await screenshot(page, 'names-methods');
    await page.getByTestId('summary-filter').fill('');
  });

  it('names dominator-tree and treemap rows by how they are held', async () => {
    await page.getByTestId('view-dominators').click();
    const table = page.getByTestId('dominator-table');
    // Relative to each row when used in `has`, to the table otherwise.
    const held = (text: string) => page.getByTestId('obj-held').filter({ hasText: text });
    const globals = table.locator('.tt-row').filter({ has: held('globals of module __main__') });
    await globals.first().waitFor();
    await globals.first().click();
    await page.keyboard.press('ArrowRight');
    await table.getByTestId('obj-held').filter({ hasText: "['CATALOGUE']" }).first().waitFor();
    const bus = table.locator('.tt-row').filter({ has: held("['BUS']") });
    await expect.poll(() => bus.locator('.obj-type').first().textContent()).toBe('EventBus');
    // The treemap's cells carry the same names.
    const cells = page.locator('.tm-label');
    await expect
      .poll(async () => (await cells.allTextContents()).some((t) => t.startsWith("dict ['CATALOGUE']")))
      .toBe(true);
    await screenshot(page, 'names-dominators-held-as');
    await page.keyboard.press('ArrowLeft'); // folds the globals again for the next test
  });

  it('shows module names whole in the dominator tree at 1024×700, the address giving way first', async () => {
    await page.setViewportSize({ width: 1024, height: 700 });
    await page.getByTestId('view-dominators').click();
    const rows = page
      .getByTestId('dominator-table')
      .locator('.tt-row')
      .filter({ has: page.locator('.obj-type', { hasText: /^module$/ }) });
    await rows.first().waitFor();
    expect(await rows.count()).toBeGreaterThan(2);
    const clipped = await rows
      .locator('.obj-label')
      .evaluateAll((els) =>
        els.filter((el) => el.scrollWidth > el.clientWidth + 1).map((el) => el.textContent),
      );
    expect(clipped).toEqual([]);
    await screenshot(page, 'names-dominators-1024');
    await page.setViewportSize({ width: 1400, height: 900 });
  });
});

describe('retainer paths', () => {
  const paths = () => page.getByTestId('retainer-path');
  const texts = () => page.getByTestId('retainer-path-text').allTextContents();

  it('shows more paths on demand, and lets the root step be ignored like any other', async () => {
    await page.getByTestId('view-summary').click();
    await expandType('__main__.Config');
    await summary().getByTestId('object-row').first().click();
    await expect.poll(() => paths().count()).toBe(5);
    // Held by many modules, dominated by none of them.
    expect(await page.getByTestId('inspector-dominator').textContent()).toBe(
      'several roots: no single owner',
    );
    await page.getByTestId('more-paths').click();
    await expect.poll(() => paths().count()).toBe(10);
    const before = await texts();
    expect(new Set(before).size).toBe(10);
    await screenshot(page, 'paths-more');
    // The first path's root: ignoring it leaves only paths from other roots.
    const root = (await before[0]!.split(' → ')[0])!;
    await paths().first().getByTestId('ignore-retainer').first().click();
    await expect.poll(async () => (await texts()).length).toBeGreaterThan(0);
    await expect
      .poll(async () => (await texts()).every((t) => !t.startsWith(`${root} `) && t !== root))
      .toBe(true);
    await screenshot(page, 'paths-root-ignored');
  });
});

describe('hover and focus states', () => {
  it('keeps the Open snapshot button readable when hovered, in light and dark', async () => {
    await page.getByTestId('tab-home').click();
    const open = page.locator('button.primary').first();
    for (const colorScheme of ['light', 'dark'] as const) {
      await page.emulateMedia({ colorScheme });
      await open.hover();
      const [fg, bg] = await open.evaluate((el) => {
        const s = getComputedStyle(el);
        return [s.color, s.backgroundColor];
      });
      expect(contrast(fg, bg), `${colorScheme}: ${fg} on ${bg}`).toBeGreaterThan(4.5);
      await screenshot(page, `welcome-open-hover-${colorScheme}`);
    }
    await page.emulateMedia({ colorScheme: 'light' });
  });
});

describe('every button when hovered and focused', () => {
  it('stays readable in light and dark', async () => {
    await page.getByTestId('tab').first().click();
    await page.getByTestId('view-summary').click();
    await expandType('__main__.Request');
    await summary().getByTestId('object-row').first().click();
    // The inspector and the retainer paths load after the click: marked before they arrive, the
    // buttons they replace were gone when probed (a 30 s timeout in CI on a busy machine).
    await page.getByTestId('inspector-dominator').waitFor();
    await page.getByTestId('retainer-path').first().waitFor();
    // Every kind of button on the screen: of those alike (class, name and where they sit: the
    // rows' toggles, the path steps' ignore buttons), the first.
    await page.evaluate(() => {
      const seen = new Set<string>();
      for (const el of document.querySelectorAll('button')) {
        if (el.offsetParent === null) continue;
        const name = el.getAttribute('aria-label') ?? (el.textContent ?? '').replace(/[\d,.]+/g, '#');
        const key = `${el.parentElement?.className}|${el.className}|${name}`;
        if (!seen.has(key)) el.setAttribute('data-contrast-probe', '');
        seen.add(key);
      }
    });
    const buttons = await page.locator('button[data-contrast-probe]').all();
    for (const colorScheme of ['light', 'dark'] as const) {
      await page.emulateMedia({ colorScheme });
      const unreadable: string[] = [];
      for (const button of buttons) {
        if (await button.isDisabled()) continue;
        await button.hover();
        await button.evaluate((el) => (el as HTMLElement).focus());
        // The colour on the first opaque background at or behind the button (a translucent wash,
        // like the table's striping, is passed over: the one under it decides).
        const [fg, bg, name] = await button.evaluate((el) => {
          const fgColor = getComputedStyle(el).color;
          let at: Element | null = el;
          let bgColor = 'rgb(255, 255, 255)';
          while (at !== null) {
            const c = getComputedStyle(at).backgroundColor;
            if (/^rgb\(/.test(c)) {
              bgColor = c;
              break;
            }
            at = at.parentElement;
          }
          return [fgColor, bgColor, el.getAttribute('aria-label') || el.textContent || el.className];
        });
        if (contrast(fg, bg) < 4.5) unreadable.push(`${name}: ${fg} on ${bg}`);
      }
      expect(unreadable, colorScheme).toEqual([]);
    }
    await page.mouse.move(0, 0);
    await page.emulateMedia({ colorScheme: 'light' });
    await page.getByTestId('summary-filter').fill('');
  });
});

describe('type names and links', () => {
  it('shows type names as plain text, and an object inside a link as the link', async () => {
    await page.getByTestId('tab').first().click();
    await page.getByTestId('view-summary').click();
    await expandType('__main__.Request');
    await summary().getByTestId('object-row').first().click();
    const link = page.getByTestId('inspector-dominator').locator('button.link');
    await link.waitFor();
    for (const colorScheme of ['light', 'dark'] as const) {
      await page.emulateMedia({ colorScheme });
      const text = await page.evaluate(() => getComputedStyle(document.body).color);
      const style = (el: Element) => {
        const s = getComputedStyle(el);
        return { color: s.color, cursor: s.cursor, underline: s.textDecorationLine };
      };
      // Clicking a type name does nothing of its own (the row is selected as any row is).
      const typeName = await summary().locator('.type-name').first().evaluate(style);
      expect(typeName, colorScheme).toEqual({ color: text, cursor: 'default', underline: 'none' });
      const rowType = await summary().getByTestId('object-row').first().locator('.obj-type').evaluate(style);
      expect(rowType.color, colorScheme).toBe(text);
      // The Dominator is a link: the type inside it wears the link's colour, not the text's.
      const linkColor = await link.evaluate((el) => getComputedStyle(el).color);
      expect(linkColor, colorScheme).not.toBe(text);
      expect(await link.locator('.obj-type').evaluate((el) => getComputedStyle(el).color), colorScheme).toBe(
        linkColor,
      );
      await screenshot(page, `names-type-links-${colorScheme}`);
    }
    await page.emulateMedia({ colorScheme: 'light' });
    await page.getByTestId('summary-filter').fill('');
  });
});

describe('search', () => {
  it('closes the results when one is picked, and on Escape from anywhere', async () => {
    await page.getByTestId('tab-home').click();
    await page.getByTestId('tab').first().click();
    const results = page.getByTestId('search-results');
    await page.getByTestId('search-input').fill('EventBus');
    const row = page.getByTestId('search-table').getByTestId('search-row').first();
    await row.waitFor();
    await row.click();
    await expect.poll(() => results.count()).toBe(0);
    await screenshot(page, 'search-picked');
    // Open again, move into the results, and press Escape there.
    await page.getByTestId('search-input').focus();
    await row.waitFor();
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('Escape');
    await expect.poll(() => results.count()).toBe(0);
  });
});
