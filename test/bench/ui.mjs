// `npm run bench:ui`: how the Explorer feels on a big snapshot, measured in Chromium.
//   node test/bench/ui.mjs [OBJECTS]      (default 10,000,000; e.g. 1000000 for a quick run)
// Writes a synthetic snapshot (./ui-synthetic.mjs), starts `heapscope serve` with no file, opens the
// snapshot through the page (#open=PATH) and times, with performance marks inside the page:
//   first paint   "indexed" (the open call returned) → summary rows painted
//   expand        click on a dominator-tree toggle → its children painted (the 3.3M-child dict too)
//   scroll        jump 100k rows down a 100k+ row list → rows painted; then 100 steps of 1,000 rows
//   retainers     click an object → its retainer path painted
// Each interaction ends at the first animation frame after the DOM shows the result.
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { ensureBuilt, ROOT } from '../../electron/launcher/ensure-built.mjs';
import { syntheticSnapshot } from './ui-synthetic.mjs';

const OBJECTS = Number(process.argv[2] ?? process.env.HEAPSCOPE_BENCH_OBJECTS ?? 10_000_000);
const CHROMIUM = process.env.HEAPSCOPE_CHROMIUM ?? '/usr/bin/chromium';

function serve() {
  const child = spawn(process.execPath, [join(ROOT, 'out', 'main', 'cli.js'), 'serve', '--port', '0'], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, HEAPSCOPE_CONFIG_DIR: join(ROOT, '.heapscope-tmp', 'bench-config') },
  });
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout.on('data', (b) => {
      out += b;
      const url = /http:\/\/127\.0\.0\.1:\d+\/\?token=\S+/.exec(out)?.[0];
      if (url) resolve({ url, child });
    });
    child.on('exit', (code) => reject(new Error(`serve exited with ${code}: ${out}`)));
  });
}

/**
 * In the page: mark start, run `act`, then poll each animation frame until `done` holds and mark the
 * end at the next frame (the result is on screen). Returns {ms, api}: the measure and the longest
 * API call made during it (the server's share).
 */
function timeInPage(page, name, act, done) {
  return page.evaluate(
    ({ name, act, done }) => {
      const run = new Function(act);
      const check = new Function(done);
      return new Promise((resolve, reject) => {
        const limit = performance.now() + 120_000;
        performance.mark(`bench:${name}:start`);
        run();
        const poll = () => {
          if (performance.now() > limit) return reject(new Error(`${name}: timed out`));
          if (!check()) return requestAnimationFrame(poll);
          requestAnimationFrame(() => {
            const end = performance.mark(`bench:${name}:end`);
            const measure = performance.measure(`bench:${name}`, `bench:${name}:start`, `bench:${name}:end`);
            // The longest API call made meanwhile: how much of the wait was the server's.
            const api = performance
              .getEntriesByType('resource')
              .filter((r) => r.name.includes('/api/call/'))
              .filter((r) => r.startTime >= measure.startTime && r.startTime <= end.startTime)
              .reduce((longest, r) => Math.max(longest, r.duration), 0);
            resolve({ ms: measure.duration, api });
          });
        };
        requestAnimationFrame(poll);
      });
    },
    { name, act, done },
  );
}

const ROWS_LOADED = (table) =>
  `const rows = document.querySelectorAll('[data-testid="${table}"] .tt-row');
   return rows.length > 0 && ![...rows].some((r) => r.classList.contains('placeholder'));`;

async function main() {
  if (!ensureBuilt()) process.exit(1);
  const t0 = Date.now();
  const file = await syntheticSnapshot(OBJECTS);
  console.log(`snapshot: ${file} (${((Date.now() - t0) / 1000).toFixed(1)} s to write or reuse)`);
  const { url, child } = await serve();
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--no-sandbox', '--disable-gpu'],
  });
  const results = {};
  try {
    const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
    // Keep every resource timing: the scroll walk alone makes hundreds of calls.
    await page.addInitScript(() => performance.setResourceTimingBufferSize(100_000));
    const openStart = Date.now();
    await page.goto(`${url}#open=${encodeURIComponent(file)}`);
    await page.waitForTimeout(4000);
    await page.screenshot({ path: join(ROOT, 'test-results', 'bench-ui-progress.png') });
    await page.waitForFunction(
      () => performance.getEntriesByName('heapscope:summary-painted').length > 0,
      null,
      {
        timeout: 600_000,
        polling: 50,
      },
    );
    results.indexSeconds = (Date.now() - openStart) / 1000;
    results.firstPaint = await page.evaluate(
      () =>
        performance.measure('bench:first-paint', 'heapscope:snapshot-indexed', 'heapscope:summary-painted')
          .duration,
    );

    await page.getByTestId('view-dominators').click();
    await page.waitForFunction(() => performance.getEntriesByName('heapscope:dominators-painted').length > 0);
    // Expand the largest root (module bench), then down to the CACHE dict whose children are the sessions.
    console.log('expanding…');
    results.expand = [];
    for (let depth = 0; depth < 3; depth++) {
      const ms = await timeInPage(
        page,
        `expand-${depth}`,
        `document.querySelector('[data-testid="dominator-table"] .tt-row[data-depth="${depth}"] .tt-toggle:not(.open)').click();`,
        `const rows = document.querySelectorAll('[data-testid="dominator-table"] .tt-row[data-depth="${depth + 1}"]');
         return rows.length > 0 && ![...document.querySelectorAll('[data-testid="dominator-table"] .tt-row')].some((r) => r.classList.contains('placeholder'));`,
      );
      results.expand.push(ms);
    }
    results.listRows = await page.evaluate(
      () => document.querySelector('[data-testid="dominator-table"] .tt-body').dataset.rowCount,
    );

    // Scroll: jump 100,000 rows, then walk 100 × 1,000 rows. Past ~360k rows the table scales its
    // scroll range (browsers cap element height), so rows are converted to pixels with its scale.
    const BODY = `document.querySelector('[data-testid="dominator-table"] .tt-body')`;
    // The act records which row must come into view; done when that row is painted with its data.
    const scrollBy = (rows) =>
      `const el = ${BODY}; const scale = Number(el.dataset.scale);
       window.__benchTarget = Math.floor((el.scrollTop * scale) / 22) + ${rows};
       el.scrollTop += (${rows} * 22) / scale;`;
    const ARRIVED = `const row = document.querySelector('[data-testid="dominator-table"] .tt-row[data-index="' + window.__benchTarget + '"]');
       return row !== null && !row.classList.contains('placeholder') && (() => { ${ROWS_LOADED('dominator-table')} })();`;
    console.log('scrolling…');
    results.jump = await timeInPage(page, 'scroll-jump', scrollBy(100_000), ARRIVED);
    results.steps = [];
    for (let i = 0; i < 100; i++) {
      results.steps.push(await timeInPage(page, `scroll-${i}`, scrollBy(1000), ARRIVED));
    }

    // Retainers: select a session row and wait for its path.
    console.log('retainers…');
    results.retainers = await timeInPage(
      page,
      'retainers',
      `document.querySelector('[data-testid="dominator-table"] .tt-row[data-depth="3"]').click();`,
      `return document.querySelector('[data-testid="retainer-path-text"]') !== null;`,
    );
    results.path = await page.getByTestId('retainer-path-text').first().textContent();
    await page.screenshot({ path: join(ROOT, 'test-results', 'bench-ui-dominators.png') });
  } finally {
    await browser.close();
    child.kill('SIGTERM');
  }
  report(results);
}

function percentile(values, p) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

function report(r) {
  const ms = (v) =>
    typeof v === 'number' ? `${v.toFixed(0)} ms` : `${v.ms.toFixed(0)} ms (server ${v.api.toFixed(0)})`;
  const stepMs = r.steps.map((s) => s.ms);
  const stepApi = r.steps.map((s) => s.api);
  console.log(`\nUI benchmark, ${OBJECTS.toLocaleString('en-US')} objects (Chromium, headless)`);
  console.log(`open + index (wall clock, not UI)     ${r.indexSeconds.toFixed(1)} s`);
  console.log(`indexed → first summary paint         ${ms(r.firstPaint)}   (target ≤ 300 ms)`);
  console.log(`expand dominator node (3 levels)      ${r.expand.map(ms).join(', ')}   (target ≤ 100 ms)`);
  console.log(`rows in the expanded dominator list    ${Number(r.listRows).toLocaleString('en-US')}`);
  console.log(`scroll: jump 100,000 rows             ${ms(r.jump)}`);
  console.log(
    `scroll: 100 × 1,000 rows              median ${ms(percentile(stepMs, 50))}, p95 ${ms(percentile(stepMs, 95))}, max ${ms(Math.max(...stepMs))}; server median ${ms(percentile(stepApi, 50))}, max ${ms(Math.max(...stepApi))}`,
  );
  console.log(`open retainer path                    ${ms(r.retainers)}   (${r.path})`);
}

main().catch((e) => {
  console.error(`bench:ui: ${e.message}`);
  process.exit(1);
});
