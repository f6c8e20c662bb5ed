// Held from C is a fact about an object, not a wall in front of its owners (issue 14): on a real dump,
// a dict that a module's attribute holds and C code holds three more times shows the fact in the
// inspector and a "C" marker on its rows (search, retainer path, dominator tree), while its retainer
// path starts at the module. A dict only the module holds shows neither; an object only C holds says
// "only" and keeps its honest root. The Dominator line says C is why no single owner dominates them;
// a closure's list reads its variable and function once in the path.
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dumpPythonSnapshot, openServed, type Served, screenshot } from './harness';

/** `Py_IncRef` stands in for an extension that keeps references of its own to a module's cache. */
const program = (addresses: string) => `
import ctypes, json, sys, types

class Registration:
    pass

def _setup():
    incref = ctypes.pythonapi.Py_IncRef
    incref.argtypes = [ctypes.py_object]
    mod = types.ModuleType("heldc_app")
    sys.modules["heldc_app"] = mod
    cache = {"session-%d" % i: i for i in range(50)}
    plain = {"plain-%d" % i: i for i in range(50)}
    mod.SESSION_CACHE = cache
    mod.PLAIN = plain
    for _ in range(3):
        incref(cache)
    # Kept only by the "extension": no Python object refers to it once _setup returns.
    lonely = Registration()
    incref(lonely)
    with open(${JSON.stringify(addresses)}, "w") as f:
        json.dump({"cache": hex(id(cache)), "plain": hex(id(plain)), "lonely": hex(id(lonely))}, f)

_setup()
del _setup

def make_audit_logger():
    history = [object() for _ in range(3)]
    def audit(event):
        history.append(event)
    return audit

audit_log = make_audit_logger()
with open(${JSON.stringify(addresses)}.replace(".json", "-closure.json"), "w") as f:
    json.dump({"history": hex(id(audit_log.__closure__[0].cell_contents))}, f)
`;

let dir: string;
let served: Served | undefined;
let page: Page;
let addresses: { cache: string; plain: string; lonely: string; history: string };

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'heapscope-heldc-e2e-'));
  const addressFile = join(dir, 'addresses.json');
  const file = await dumpPythonSnapshot(join(dir, 'heldc.pyheap'), program(addressFile));
  addresses = {
    ...JSON.parse(await readFile(addressFile, 'utf8')),
    ...JSON.parse(await readFile(addressFile.replace('.json', '-closure.json'), 'utf8')),
  };
  served = await openServed([file], { width: 1280, height: 800 });
  page = served.page;
});

afterAll(async () => {
  await served?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

const MARKER = 'also held from C (3 references the dump cannot see)';

/** Searches for `address` and picks the one result; returns the result row's markers' names. */
async function pick(address: string): Promise<string[]> {
  await page.getByTestId('search-input').fill(address);
  const row = page.getByTestId('search-table').getByTestId('search-row');
  await expect.poll(() => row.locator('.obj-addr').allTextContents()).toEqual([`@${address}`]);
  const markers = await row
    .getByTestId('held-from-c')
    .evaluateAll((els) => els.map((el) => el.getAttribute('aria-label') ?? ''));
  await row.click();
  await expect.poll(() => page.getByTestId('search-results').count()).toBe(0);
  await page.getByTestId('inspector').locator('.obj-addr', { hasText: address }).waitFor();
  return markers;
}

describe('also held from C', () => {
  it('is a fact in the inspector and a marker on its rows, with the module as the owner', async () => {
    expect(await pick(addresses.cache)).toEqual([MARKER]);

    const fact = page.getByTestId('inspector-held-from-c');
    await expect.poll(() => fact.textContent()).toBe('also: 3 references the dump cannot see');
    const title = (await fact.getAttribute('title')) ?? '';
    expect(title).toContain('holds 3 more references');
    expect(title).toContain('even if every Python owner lets go');
    // No single owner dominates it: C's references are why, said in the Dominator line.
    await expect
      .poll(() => page.getByTestId('inspector-dominator').textContent())
      .toBe('held from C code as well as by Python: no single owner');
    // Said once, as the fact: not again as a "Root" line.
    expect(
      await page
        .getByTestId('inspector')
        .locator('dt', { hasText: /^Root$/ })
        .count(),
    ).toBe(0);

    const first = page.getByTestId('retainer-path').first();
    await expect
      .poll(() => first.getByTestId('retainer-path-text').textContent())
      .toBe("module heldc_app → ['SESSION_CACHE'] → dict");
    // The path's last step is the dict itself, marked; its owner, the module, is not.
    const markers = first.locator('.chip').getByTestId('held-from-c');
    expect(await markers.count()).toBe(1);
    expect(await first.locator('.chip.target').getByTestId('held-from-c').getAttribute('aria-label')).toBe(
      MARKER,
    );
    await screenshot(page, 'held-from-c-inspector');
    await page.screenshot({ path: '/tmp/heldc.png' });

    // The dominator tree opens down to it (under the held-from-C group: C keeps it alive), marked.
    await page.getByTestId('view-dominators').click();
    const selected = page.getByTestId('dominator-table').locator('.tt-row.selected');
    await expect.poll(() => selected.locator('.obj-addr').textContent()).toBe(`@${addresses.cache}`);
    expect(await selected.getByTestId('held-from-c').getAttribute('aria-label')).toBe(MARKER);
    await screenshot(page, 'held-from-c-dominators');
    await page.getByTestId('view-summary').click();
  });

  it('shows neither for a dict only Python holds', async () => {
    expect(await pick(addresses.plain)).toEqual([]);
    const inspector = page.getByTestId('inspector');
    expect(await inspector.getByTestId('inspector-held-from-c').count()).toBe(0);
    expect(await inspector.getByTestId('held-from-c').count()).toBe(0);
    await expect
      .poll(() => page.getByTestId('retainer-path-text').first().textContent())
      .toBe("module heldc_app → ['PLAIN'] → dict");
    expect(await page.getByTestId('retainer-path').first().getByTestId('held-from-c').count()).toBe(0);
  });

  it('says "only" for an object no Python object refers to, whose path is its C root', async () => {
    expect(await pick(addresses.lonely)).toEqual(['also held from C (1 reference the dump cannot see)']);
    const fact = page.getByTestId('inspector-held-from-c');
    await expect.poll(() => fact.textContent()).toBe('only: 1 reference the dump cannot see');
    expect(await fact.getAttribute('title')).toContain('No Python object in the snapshot refers to it');
    await expect
      .poll(() => page.getByTestId('inspector-dominator').textContent())
      .toBe('held from C code only: no Python owner');
    const path = page.getByTestId('retainer-path').first();
    await expect
      .poll(() => path.getByTestId('retainer-path-text').textContent())
      .toMatch(/^\S*Registration \(held from C\)$/);
    expect(await path.locator('.chip.target').getByTestId('held-from-c').count()).toBe(1);
  });
});

describe('retainer path wording', () => {
  it('names a closure variable and its function once, not the cell twice', async () => {
    expect(await pick(addresses.history)).toEqual([]);
    await expect
      .poll(() => page.getByTestId('retainer-path-text').first().textContent())
      .toBe("module __main__ → ['audit_log'] → closure history of make_audit_logger.<locals>.audit → list");
    await screenshot(page, 'path-closure');
  });
});
