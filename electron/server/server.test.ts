import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { InThreadBackend } from '../service/backend';
import { HeapService } from '../service/heap-service';
import { RecentFiles } from '../service/recent-files';
import { type FakeLoader, fakeLoader } from '../service/test-fakes';
import { type RunningServer, startServer } from './server';

let dir: string;
let loader: FakeLoader;
let server: RunningServer;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'heapscope-server-'));
  await writeFile(join(dir, 'index.html'), '<!doctype html><title>Heapscope</title>');
  loader = fakeLoader();
  const service = new HeapService({
    backend: new InThreadBackend(loader.load),
    recentFiles: new RecentFiles(join(dir, 'config')),
    transport: 'http',
    appVersion: '0.0.1',
    nativeDialogs: false,
  });
  server = await startServer({ service, staticDir: dir, token: 'secret-token' });
});

afterEach(async () => {
  await server.close();
  await rm(dir, { recursive: true, force: true });
});

interface Reply {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/** node:http rather than fetch, so tests can set Host and Origin freely. */
function send(
  path: string,
  init: { method?: string; headers?: Record<string, string>; body?: Uint8Array | string } = {},
) {
  return new Promise<Reply>((resolve, reject) => {
    const req = request(
      { host: '127.0.0.1', port: server.port, path, method: init.method ?? 'GET', headers: init.headers },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            body: Buffer.concat(chunks).toString(),
          }),
        );
      },
    );
    req.on('error', reject);
    req.end(init.body);
  });
}

const auth = { 'X-Heapscope-Token': 'secret-token' };
const call = (method: string, args: unknown, headers: Record<string, string> = auth) =>
  send(`/api/call/${method}`, { method: 'POST', headers, body: JSON.stringify(args) });

describe('browser-mode server', () => {
  it('prints a loopback URL carrying the token', () => {
    expect(server.url).toBe(`http://127.0.0.1:${server.port}/?token=secret-token`);
  });

  it('serves the page with a CSP and no-referrer, to any allowed Host', async () => {
    const page = await send('/?token=secret-token');
    expect(page.status).toBe(200);
    expect(page.headers['content-security-policy']).toContain("default-src 'none'");
    expect(page.headers['referrer-policy']).toBe('no-referrer');
    expect((await send('/', { headers: { Host: `localhost:${server.port}` } })).status).toBe(200);
  });

  it('answers calls with the token and refuses them without', async () => {
    const ok = await call('environment', {});
    expect(JSON.parse(ok.body)).toMatchObject({
      ok: true,
      value: { transport: 'http', appVersion: '0.0.1' },
    });
    expect((await call('environment', {}, {})).status).toBe(403);
    expect((await call('environment', {}, { 'X-Heapscope-Token': 'secret-tokeN' })).status).toBe(403);
  });

  it('refuses foreign Host and Origin headers, even with the token', async () => {
    expect((await call('list', {}, { ...auth, Host: `evil.example:${server.port}` })).status).toBe(403);
    expect((await send('/', { headers: { Host: 'evil.example' } })).status).toBe(403);
    expect((await call('list', {}, { ...auth, Origin: 'http://evil.example' })).status).toBe(403);
    expect((await call('list', {}, { ...auth, Origin: `http://localhost:${server.port}` })).status).toBe(200);
  });

  it('maps errors to {code, message} with a matching status', async () => {
    const bad = await call('summary', { snapshot: 's1' });
    expect(bad.status).toBe(400);
    expect(JSON.parse(bad.body)).toEqual({
      ok: false,
      error: { code: 'bad-argument', message: 'summary.range: expected an object, got undefined' },
    });
    expect((await call('objectDetails', { snapshot: 's9', node: 1 })).status).toBe(404);
    expect((await call('openDemo', { requestId: 'd' })).status).toBe(501);
    const junk = await send('/api/call/list', { method: 'POST', headers: auth, body: '{' });
    expect(JSON.parse(junk.body).error.message).toBe('request body is not valid JSON');
  });

  it('takes uploads as the raw body, byte for byte', async () => {
    const bytes = new Uint8Array(256).map((_, i) => i);
    const res = await send('/api/call/openBytes?requestId=u1&name=up.pyheap', {
      method: 'POST',
      headers: { ...auth, 'Content-Type': 'application/octet-stream' },
      body: bytes,
    });
    expect(JSON.parse(res.body)).toMatchObject({ ok: true, value: { name: 'up.pyheap', path: null } });
    const source = loader.sources[0] as { bytes: Uint8Array };
    expect(Buffer.from(source.bytes).equals(Buffer.from(bytes))).toBe(true);
  });

  it('streams progress and shell events to pages with the token', async () => {
    expect((await send('/api/events')).status).toBe(403);
    const received = new Promise<string>((resolve) => {
      const req = request(
        { host: '127.0.0.1', port: server.port, path: '/api/events?token=secret-token' },
        (res) => {
          let text = '';
          res.on('data', (c: Buffer) => {
            text += c.toString();
            if (text.includes('event: shell')) {
              req.destroy();
              resolve(text);
            }
          });
        },
      );
      req.end();
    });
    await new Promise((r) => setTimeout(r, 50));
    await call('open', { requestId: 'p1', path: '/tmp/a.pyheap' });
    server.shell({ type: 'open-dialog' });
    const text = await received;
    expect(text).toContain('event: progress\ndata: {"requestId":"p1"');
    expect(text).toContain('event: shell\ndata: {"type":"open-dialog"}');
  });

  it('never serves files outside the renderer folder', async () => {
    const secret = `heapscope-traversal-${process.pid}.txt`;
    await writeFile(join(dir, '..', secret), 'x');
    expect((await send(`/../${secret}`)).status).toBe(404);
    expect((await send(`/%2e%2e/${secret}`)).status).toBe(404);
    expect((await send('/assets/missing.js')).status).toBe(404);
    // Client-side routes fall back to the page.
    expect((await send('/some/route')).body).toContain('<title>Heapscope</title>');
    await rm(join(dir, '..', secret), { force: true });
  });
});
