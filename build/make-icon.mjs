// Rasterizes build/icon.svg to build/icon.png (512×512, transparent corners) with the same Chromium
// the e2e tests use. Run after editing the SVG: `node build/make-icon.mjs`. electron-builder derives
// the .icns and .ico from the PNG.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const here = fileURLToPath(new URL('.', import.meta.url));
const svg = readFileSync(join(here, 'icon.svg'), 'utf8');
const browser = await chromium.launch({
  executablePath: process.env.HEAPSCOPE_CHROMIUM ?? '/usr/bin/chromium',
  headless: true,
  args: ['--no-sandbox', '--disable-gpu'],
});
const page = await browser.newPage({ viewport: { width: 512, height: 512 } });
await page.setContent(`<html><body style="margin:0;background:transparent">${svg}</body></html>`);
await page.locator('svg').screenshot({ path: join(here, 'icon.png'), omitBackground: true });
await browser.close();
console.log('wrote build/icon.png');
