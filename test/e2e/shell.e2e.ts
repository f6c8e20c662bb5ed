// The app shell in browser mode: the page loads through the printed token URL and talks to the
// service; requests without the token, or naming a foreign Host, are refused.
import { mkdtemp, rm } from 'node:fs/promises';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  apiCall,
  dumpPythonSnapshot,
  launchBrowser,
  type ServeHandle,
  screenshot,
  startServe,
} from './harness';

let server: ServeHandle;
let browser: Browser;

beforeAll(async () => {
  server = await startServe();
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

/** fetch() will not let us forge Host, so this goes through node:http. */
function rawPost(path: string, headers: Record<string, string>): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: '127.0.0.1',
        port: server.port,
        path,
        method: 'POST',
        headers: { 'Content-Type': 'application/json', ...headers },
      },
      (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      },
    );
    req.on('error', reject);
    req.end('{}');
  });
}

describe('browser mode', () => {
  it('prints a 127.0.0.1 URL carrying a token', () => {
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/\?token=[\w-]{20,}$/);
  });

  it('loads the page through the token URL, with a strict CSP, and reaches the service', async () => {
    const page = await browser.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    const response = await page.goto(server.url);
    expect(response?.status()).toBe(200);
    expect(response?.headers()['content-security-policy']).toContain("script-src 'self'");
    // The page's own transport must work: ask for the environment through it.
    const env = await page.evaluate(async (token) => {
      const res = await fetch('/api/call/environment', {
        method: 'POST',
        headers: { 'X-Heapscope-Token': token, 'Content-Type': 'application/json' },
        body: '{}',
      });
      return res.json();
    }, server.token);
    expect(env).toMatchObject({ ok: true, value: { transport: 'http', apiVersion: 1 } });
    await page.waitForLoadState('networkidle');
    await screenshot(page, 'shell-start');
    expect(errors).toEqual([]);
    await page.close();
  });

  it('answers API calls that carry the token', async () => {
    const res = await apiCall(server, 'list');
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ ok: true, value: [] });
  });

  it('refuses API calls without the token, or with a wrong one', async () => {
    expect(await rawPost('/api/call/list', {})).toBe(403);
    expect(await rawPost('/api/call/list', { 'X-Heapscope-Token': 'nope' })).toBe(403);
    expect(await rawPost(`/api/call/list?token=${server.token}x`, {})).toBe(403);
  });

  it('refuses a foreign Host header even with the right token (DNS rebinding)', async () => {
    const token = { 'X-Heapscope-Token': server.token };
    expect(await rawPost('/api/call/list', { ...token, Host: `evil.example:${server.port}` })).toBe(403);
    expect(await rawPost('/api/call/list', { ...token, Host: '127.0.0.1:1' })).toBe(403);
    expect(await rawPost('/api/call/list', { ...token, Host: `localhost:${server.port}` })).toBe(200);
  });

  it('refuses cross-origin requests that carry the right Host', async () => {
    const headers = { 'X-Heapscope-Token': server.token, Origin: 'http://evil.example' };
    expect(await rawPost('/api/call/list', headers)).toBe(403);
  });

  it('turns bad arguments into one readable line', async () => {
    const res = await apiCall(server, 'summary', { snapshot: 's1', range: { start: 3, end: 1 } });
    expect(res.status).toBe(400);
    expect(await res.json()).toEqual({
      ok: false,
      error: { code: 'bad-argument', message: 'summary.range: end (1) is before start (3)' },
    });
  });
});

describe('serve FILE', () => {
  it('opens the files given on the command line before printing the URL', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'heapscope-shell-e2e-'));
    const file = await dumpPythonSnapshot(
      join(dir, 'cache.pyheap'),
      'class Session:\n    pass\n_SESSION_CACHE = {f"req-{i}": Session() for i in range(500)}',
    );
    const withFile = await startServe([file]);
    try {
      const list = (await (await apiCall(withFile, 'list')).json()) as {
        value: { name: string; path: string }[];
      };
      expect(list.value).toMatchObject([{ name: 'cache.pyheap', path: file }]);
      const page = await browser.newPage();
      await page.goto(withFile.url);
      await page.getByText('cache.pyheap').first().waitFor({ timeout: 30_000 });
      await page.waitForLoadState('networkidle');
      await screenshot(page, 'shell-snapshot-open');
      await page.close();
    } finally {
      await withFile.stop();
      await rm(dir, { recursive: true, force: true });
    }
  });
});
