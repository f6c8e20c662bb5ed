// The leak report and the Diff view in Chromium. The HTML report: a real leaking program (test/fixtures/leaks/cache_dict.py) dumps
// itself three times, the built CLI writes `heapscope report 1 2 3 -o report.html`, and the file is
// opened from disk. It must render the verdict, the suspect with its holder's path and the charts,
// with no request other than the file itself (self-contained: no network, no script).
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildOnce, launchBrowser, ROOT, type ServeHandle, screenshot, startServe } from './harness';

function run(cmd: string, args: string[], env: NodeJS.ProcessEnv = {}): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(
      cmd,
      args,
      { cwd: ROOT, env: { ...process.env, ...env }, timeout: 120_000 },
      (err, stdout, stderr) =>
        err
          ? reject(new Error(`${cmd} ${args.join(' ')} failed: ${stderr || err.message}`))
          : resolve(stdout),
    );
  });
}

let dir: string;
let browser: Browser;
beforeAll(async () => {
  buildOnce();
  dir = await mkdtemp(join(tmpdir(), 'heapscope-report-e2e-'));
  await run('python3', [join(ROOT, 'test/fixtures/leaks/cache_dict.py'), dir, '3'], {
    PYTHONPATH: join(ROOT, 'python-dumper'),
  });
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
  await rm(dir, { recursive: true, force: true });
});

describe('HTML leak report', () => {
  it('opens from disk and shows the suspect, its path and the charts, with no network', async () => {
    const out = join(dir, 'report.html');
    const snaps = [1, 2, 3].map((i) => join(dir, `${i}.pyheap`));
    const printed = await run(process.execPath, [
      join(ROOT, 'out/main/cli.js'),
      'report',
      ...snaps,
      '-o',
      out,
    ]);
    expect(printed).toMatch(/^wrote .*report\.html \(html/);
    const html = await readFile(out, 'utf8');
    expect(html).not.toMatch(/<script|<link|src="http|href="http/);

    const page = await browser.newPage({ viewport: { width: 1200, height: 900 } });
    const requests: string[] = [];
    page.on('request', (r) => requests.push(r.url()));
    const url = pathToFileURL(out).href;
    await page.goto(url);
    expect(requests).toEqual([url]);

    await expect(page.title()).resolves.toMatch(/^Heapscope leak report/);
    const verdict = await page.locator('#verdict').textContent();
    expect(verdict).toMatch(/^1 leak suspect, together growing by \d/);
    const suspect = page.locator('#suspects article.suspect').first();
    await expect(suspect.locator('h3').textContent()).resolves.toMatch(
      /dict _SESSION_CACHE in module __main__ gained 4,000 Session entries/,
    );
    await expect(suspect.locator('.path').textContent()).resolves.toBe(
      "module __main__ → ['_SESSION_CACHE'] → dict",
    );
    // Growth bars, heap per snapshot, types that grew, dominator breakdown.
    expect(await page.locator('svg.chart').count()).toBeGreaterThanOrEqual(4);
    const bars = await page.locator('#suspects svg.chart rect').count();
    expect(bars).toBe(1);
    await expect(page.locator('#suspects svg.chart text').first().textContent()).resolves.toBe(
      'dict _SESSION_CACHE',
    );
    await expect(page.locator('#types tbody tr').first().textContent()).resolves.toMatch(/Session|dict|str/);
    await expect(page.locator('#dominators').textContent()).resolves.toContain('_SESSION_CACHE');
    await expect(page.locator('#process tbody tr').count()).resolves.toBe(3);
    const shot = await screenshot(page, 'report-html');
    expect(shot).toMatch(/report-html\.png$/);
    await page.close();
  });

  it('for one snapshot, names the MAT-style large holder at its accumulation point', async () => {
    const out = join(dir, 'single.md');
    await run(process.execPath, [join(ROOT, 'out/main/cli.js'), 'report', join(dir, '1.pyheap'), '-o', out]);
    const md = await readFile(out, 'utf8');
    expect(md).toMatch(/One snapshot: 1 holder retains 10% or more of the heap/);
    expect(md).toMatch(
      /- dict `_SESSION_CACHE` in module `__main__` retains [\d.]+ MiB \(\d+% of the heap\)/,
    );
    const html = join(dir, 'single.html');
    await run(process.execPath, [join(ROOT, 'out/main/cli.js'), 'report', join(dir, '1.pyheap'), '-o', html]);
    const page = await browser.newPage({ viewport: { width: 1200, height: 900 } });
    await page.goto(pathToFileURL(html).href);
    await expect(page.locator('#large-holders').textContent()).resolves.toContain('_SESSION_CACHE');
    await screenshot(page, 'report-html-single');
    await page.close();
  });

  it('says "no leak suspects" for a bounded workload', async () => {
    const churn = join(dir, 'churn');
    await run('python3', [join(ROOT, 'test/fixtures/leaks/bounded_churn.py'), churn, '3'], {
      PYTHONPATH: join(ROOT, 'python-dumper'),
    });
    const out = join(dir, 'churn.html');
    const snaps = [1, 2, 3].map((i) => join(churn, `${i}.pyheap`));
    await run(process.execPath, [join(ROOT, 'out/main/cli.js'), 'report', ...snaps, '-o', out]);
    const page = await browser.newPage({ viewport: { width: 1200, height: 900 } });
    await page.goto(pathToFileURL(out).href);
    await expect(page.locator('#verdict').textContent()).resolves.toMatch(/^No leak suspects/);
    await expect(page.locator('#suspects').textContent()).resolves.toMatch(/None\. Noise floor/);
    await screenshot(page, 'report-html-no-leak');
    await page.close();
  });
});

describe('Diff view (browser mode)', () => {
  let server: ServeHandle;
  afterAll(async () => {
    await server?.stop();
  });

  it('compares three open snapshots: type deltas, the suspect, its retainers, and the report download', async () => {
    server = await startServe([1, 2, 3].map((i) => join(dir, `${i}.pyheap`)));
    const page = await browser.newPage({ viewport: { width: 1440, height: 900 }, acceptDownloads: true });
    await page.goto(server.url);
    await expect.poll(() => page.getByTestId('tab').count(), { timeout: 60_000 }).toBe(3);
    await page.getByTestId('tab-compare').click();
    await page.getByTestId('compare-view').waitFor();
    await expect.poll(() => page.getByTestId('compare-final').inputValue()).not.toBe('');

    const suspect = page.getByTestId('suspect').first();
    await suspect.waitFor({ timeout: 60_000 });
    expect(await page.getByTestId('suspect').count()).toBe(1);
    await expect(suspect.textContent()).resolves.toMatch(
      /dict _SESSION_CACHE in module __main__ gained 4,000/,
    );
    await expect(suspect.getByTestId('suspect-path').textContent()).resolves.toBe(
      "module __main__ → ['_SESSION_CACHE'] → dict",
    );
    // The type table is paged from the server, largest retained growth first.
    await page.getByTestId('diff-row-__main__.Session').waitFor();
    await expect(page.getByTestId('diff-totals').textContent()).resolves.toMatch(/new [\d,]+ objects/);

    await suspect.click();
    await page
      .getByTestId('suspect-detail')
      .getByTestId('retainer-path')
      .first()
      .waitFor({ timeout: 30_000 });
    await expect(page.getByTestId('retainer-path-text').first().textContent()).resolves.toContain(
      '_SESSION_CACHE',
    );
    await screenshot(page, 'diff-view');

    // "include values" sits with the export buttons and says plainly what it writes.
    const exportGroup = page.locator('.compare-export');
    await exportGroup.getByTestId('include-values').check();
    await expect(page.getByTestId('include-values-warning').textContent()).resolves.toMatch(
      /passwords, tokens.*written into the file/,
    );
    await screenshot(page, 'diff-view-include-values');
    await exportGroup.getByTestId('include-values').uncheck();
    await expect(page.getByTestId('include-values-warning').count()).resolves.toBe(0);

    const download = page.waitForEvent('download');
    await page.getByTestId('export-html').click();
    const file = await download;
    expect(file.suggestedFilename()).toBe('heapscope-report-3.html');
    // The confirmation names the file and where it went.
    await expect
      .poll(() => page.getByTestId('notice').textContent())
      .toBe("Downloaded heapscope-report-3.html to your browser's downloads folder");
    const saved = join(dir, 'downloaded.html');
    await file.saveAs(saved);
    expect(await readFile(saved, 'utf8')).toContain('_SESSION_CACHE');

    await page.getByTestId('show-holder').click();
    await page.getByTestId('snapshot-view').waitFor();
    await screenshot(page, 'diff-view-holder-in-snapshot');
    await page.close();
  });
});
