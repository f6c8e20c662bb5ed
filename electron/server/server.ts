// Browser mode's HTTP transport: a thin adapter over HeapService, bound to 127.0.0.1 only.
//   GET  /, /assets/…            the built renderer (no secrets in it; CSP applied)
//   POST /api/call/:method       JSON args → {ok, value} | {ok:false, error:{code, message}}
//   POST /api/call/openBytes?requestId=…&name=…   raw snapshot bytes as the body, streamed to a
//                                                 temporary file (./upload.ts), capped in size
//   GET  /api/events?token=…     server-sent progress and shell events
// Every request must carry an allowed Host; /api/* also the per-run token (see ./security.ts).
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { resolve } from 'node:path';
import { ApiError, type ApiErrorCode, type ShellEvent } from '@shared/contract';
import type { HeapService } from '../service/heap-service';
import { EventHub } from './events';
import { hostAllowed, newToken, originAllowed, presentedToken, tokenMatches } from './security';
import { plain, securityHeaders, serveStatic } from './static-files';
import { DEFAULT_MAX_UPLOAD_BYTES, discardRest, UploadDir } from './upload';

export interface ServerOptions {
  service: HeapService;
  /** The built renderer folder (out/renderer). */
  staticDir: string;
  /** 0 picks a free port. */
  port?: number;
  /** Fixed token for tests; a random one otherwise. */
  token?: string;
  /** The largest upload (openBytes) accepted, in bytes; DEFAULT_MAX_UPLOAD_BYTES by default. */
  maxUploadBytes?: number;
}

export interface RunningServer {
  url: string;
  port: number;
  token: string;
  /** Pushes a shell command to every open page. */
  shell(event: ShellEvent): void;
  close(): Promise<void>;
}

const JSON_LIMIT = 8 * 1024 * 1024;

const STATUS: Record<ApiErrorCode, number> = {
  'bad-argument': 400,
  'not-found': 404,
  'bad-snapshot': 422,
  cancelled: 409,
  unavailable: 501,
  internal: 500,
};

export async function startServer(options: ServerOptions): Promise<RunningServer> {
  const token = options.token ?? newToken();
  const staticDir = resolve(options.staticDir);
  const events = new EventHub();
  const uploads = new UploadDir(options.maxUploadBytes ?? DEFAULT_MAX_UPLOAD_BYTES);
  const unsubscribe = options.service.onProgress((event) => events.progress(event));
  let port = 0;
  const server = createServer((req, res) => {
    route(req, res).catch((err: unknown) => {
      if (!res.headersSent) sendError(res, new ApiError('internal', String(err)));
      else res.destroy();
    });
  });

  async function route(req: IncomingMessage, res: ServerResponse): Promise<void> {
    securityHeaders(res);
    if (!hostAllowed(req, port)) return plain(res, 403, 'forbidden: unexpected Host header');
    const url = new URL(req.url ?? '/', `http://127.0.0.1:${port}`);
    if (!url.pathname.startsWith('/api/')) {
      if (req.method !== 'GET' && req.method !== 'HEAD') return plain(res, 405, 'method not allowed');
      return serveStatic(staticDir, url.pathname, res);
    }
    if (!originAllowed(req, port)) return plain(res, 403, 'forbidden: cross-origin request');
    if (!tokenMatches(presentedToken(req, url), token)) {
      return plain(res, 403, 'forbidden: missing or wrong token; open the URL `heapscope serve` printed');
    }
    if (url.pathname === '/api/events' && req.method === 'GET') return events.attach(res);
    const call = /^\/api\/call\/([A-Za-z]+)$/.exec(url.pathname);
    if (call && req.method === 'POST') return handleCall(call[1]!, url, req, res);
    plain(res, 404, 'not found');
  }

  async function handleCall(method: string, url: URL, req: IncomingMessage, res: ServerResponse) {
    try {
      const value =
        method === 'openBytes'
          ? await openUpload(url, req)
          : await options.service.handle(method, await jsonArgs(req));
      sendJson(res, 200, { ok: true, value });
    } catch (err) {
      sendError(res, err instanceof ApiError ? err : new ApiError('internal', String(err)));
      // A refused upload is answered before its body is read; the rest is dropped, not stored.
      if (method === 'openBytes') discardRest(req);
    }
  }

  async function openUpload(url: URL, req: IncomingMessage): Promise<unknown> {
    const upload = await uploads.receive(url, req);
    try {
      return await options.service.openUpload(upload.requestId, upload.name, upload.path);
    } finally {
      await uploads.discard(upload);
    }
  }

  server.listen(options.port ?? 0, '127.0.0.1');
  await new Promise<void>((done, fail) => {
    server.once('listening', done);
    server.once('error', fail);
  });
  port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}/?token=${token}`,
    port,
    token,
    shell: (event) => events.shell(event),
    close: async () => {
      await closeServer(server, events, unsubscribe);
      uploads.close();
    },
  };
}

async function closeServer(server: Server, events: EventHub, unsubscribe: () => void) {
  unsubscribe();
  events.close();
  server.closeAllConnections();
  await new Promise<void>((done) => server.close(() => done()));
}

async function jsonArgs(req: IncomingMessage): Promise<unknown> {
  const body = await readBody(req, JSON_LIMIT);
  if (body.length === 0) return {};
  try {
    return JSON.parse(body.toString('utf8'));
  } catch {
    throw new ApiError('bad-argument', 'request body is not valid JSON');
  }
}

function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  const declared = Number(req.headers['content-length'] ?? 0);
  if (declared > limit) return Promise.reject(tooLarge(limit));
  return new Promise((done, fail) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        fail(tooLarge(limit));
        req.destroy();
      } else chunks.push(chunk);
    });
    req.on('end', () => done(Buffer.concat(chunks, size)));
    req.on('error', fail);
  });
}

function tooLarge(limit: number): ApiError {
  return new ApiError('bad-argument', `request body is larger than ${limit.toLocaleString('en-US')} bytes`);
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'Content-Type': 'application/json; charset=utf-8',
    'Content-Length': Buffer.byteLength(text),
    'Cache-Control': 'no-store',
  });
  res.end(text);
}

function sendError(res: ServerResponse, err: ApiError): void {
  sendJson(res, STATUS[err.code], { ok: false, error: err.toData() });
}
