import { existsSync, readFileSync, statSync } from 'node:fs';
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
  server = await startServer({ service: serviceFor(loader), staticDir: dir, token: 'secret-token' });
});

const MAGIC = Uint8Array.of(0x89, 0x50, 0x59, 0x48, 0x45, 0x41, 0x50, 0x0a);

/** A service over `loader` (read at each load, so a test may swap `loader.load`). */
function serviceFor(fake: FakeLoader): HeapService {
  return new HeapService({
    backend: new InThreadBackend((source, options) => fake.load(source, options)),
    recentFiles: new RecentFiles(join(dir, 'config')),
    transport: 'http',
    appVersion: '0.0.1',
    nativeDialogs: false,
  });
}

/**
 * Offers an upload of `chunks` chunks of `chunkBytes` (zeros after `head`), chunked (no length
 * declared), and stops writing as soon as the answer arrives: returns it and the bytes sent.
 */
function streamUpload(port: number, chunks: number, chunkBytes: number, head = new Uint8Array(0)) {
  return new Promise<{ status: number; body: string; sent: number }>((resolve, reject) => {
    let sent = 0;
    let answered = false;
    const req = request(
      {
        host: '127.0.0.1',
        port,
        path: '/api/call/openBytes?requestId=z1&name=zeros.pyheap',
        method: 'POST',
        headers: { ...auth, 'Content-Type': 'application/octet-stream' },
      },
      (res) => {
        answered = true;
        res.once('end', () => req.destroy());
        const parts: Buffer[] = [];
        res.on('data', (c: Buffer) => parts.push(c));
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, body: Buffer.concat(parts).toString(), sent }),
        );
      },
    );
    // The server closes the connection after answering; writes after that may fail, which is fine.
    req.on('error', (err) => {
      if (!answered) reject(err);
    });
    const chunk = Buffer.alloc(chunkBytes);
    chunk.set(head);
    const rest = Buffer.alloc(chunkBytes);
    const pump = (i: number) => {
      for (; i < chunks && !answered && !req.destroyed; i++) {
        sent += chunkBytes;
        if (!req.write(i === 0 ? chunk : rest)) {
          req.once('drain', () => pump(i + 1));
          return;
        }
      }
      if (!answered && !req.destroyed) req.end();
    };
    pump(0);
  });
}

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
  init: { method?: string; headers?: Record<string, string>; body?: Uint8Array | string; port?: number } = {},
) {
  return new Promise<Reply>((resolve, reject) => {
    const port = init.port ?? server.port;
    const req = request(
      { host: '127.0.0.1', port, path, method: init.method ?? 'GET', headers: init.headers },
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

  it('takes uploads as the raw body, byte for byte, through a temporary file it then deletes', async () => {
    const bytes = new Uint8Array(256).map((_, i) => i);
    bytes.set(MAGIC);
    let seen: { path: string; content: Buffer; mode: number } | null = null;
    loader.load = async (source, options) => {
      if (!('path' in source)) throw new Error('expected a file');
      seen = {
        path: source.path,
        content: readFileSync(source.path),
        mode: statSync(source.path).mode & 0o777,
      };
      return fakeLoader().load(source, options);
    };
    const res = await send('/api/call/openBytes?requestId=u1&name=up.pyheap', {
      method: 'POST',
      headers: { ...auth, 'Content-Type': 'application/octet-stream' },
      body: bytes,
    });
    const answer = JSON.parse(res.body);
    expect(answer.error).toBeUndefined(); // printed in full if the upload was refused
    expect(answer).toMatchObject({ ok: true, value: { name: 'up.pyheap', path: null } });
    const got = seen as { path: string; content: Buffer; mode: number } | null;
    expect(got?.content.equals(Buffer.from(bytes))).toBe(true);
    expect(got?.mode).toBe(0o600); // a snapshot holds the process's secrets
    expect(existsSync(got!.path)).toBe(false);
  });

  it('refuses an upload without the magic after its first bytes, not its whole body', async () => {
    // 1 GiB of zeros offered in 1 MiB chunks: the answer comes after the first, and the server has
    // held no more than a chunk or two (it was 2.3 GB, with the error after the whole body).
    const before = process.memoryUsage().arrayBuffers;
    const { status, body, sent } = await streamUpload(server.port, 1024, 1 << 20);
    expect(status).toBe(422);
    expect(JSON.parse(body).error).toEqual({
      code: 'bad-snapshot',
      message: 'zeros.pyheap: not a .pyheap file (bad magic) at byte 0',
    });
    expect(sent).toBeLessThan(64 << 20);
    expect(process.memoryUsage().arrayBuffers - before).toBeLessThan(64 << 20);
  });

  it('caps uploads at the configured size, declared or streamed', async () => {
    const small = await startServer({
      service: serviceFor(loader),
      staticDir: dir,
      token: 'secret-token',
      maxUploadBytes: 1 << 20,
    });
    try {
      const declared = await send('/api/call/openBytes?requestId=c1&name=big.pyheap', {
        method: 'POST',
        headers: { ...auth, 'Content-Type': 'application/octet-stream' },
        body: Buffer.concat([Buffer.from(MAGIC), Buffer.alloc(2 << 20)]),
        port: small.port,
      });
      expect(declared.status).toBe(400);
      expect(JSON.parse(declared.body).error.message).toMatch(
        /^big\.pyheap: larger than this server's upload limit of 1,048,576 bytes; start it with `heapscope serve --max-upload SIZE`/,
      );
      // 256 MiB offered with no length: answered once 1 MiB has passed; what the client sent
      // before it saw the answer is dropped, not stored.
      const streamed = await streamUpload(small.port, 1024, 256 << 10, MAGIC);
      expect(streamed.status).toBe(400);
      expect(JSON.parse(streamed.body).error.message).toMatch(/upload limit of 1,048,576 bytes/);
      expect(streamed.sent).toBeLessThan(128 << 20);
    } finally {
      await small.close();
    }
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
