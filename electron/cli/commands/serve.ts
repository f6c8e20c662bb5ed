// `heapscope serve [FILE…] [--port N]`: browser mode. Opens the given snapshots first (so the page
// lists them as soon as it loads), then prints the URL with its per-run token and serves until Ctrl+C.
import { existsSync } from 'node:fs';
import { stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { type RunningServer, startServer } from '../../server/server';
import { toErrorData } from '../../service/errors';
import { createHeapService, type HeapService } from '../../service/index';
import type { CliIO } from '../io';
import { CliError, parseArgs } from './args';

export const SERVE_USAGE = 'usage: heapscope serve [FILE…] [--port N] [--max-upload SIZE]';

export interface ServeHandle {
  server: RunningServer;
  stop(): Promise<void>;
}

/** Runs until SIGINT/SIGTERM; resolves with the exit code. */
export async function runServe(argv: string[], io: CliIO): Promise<number> {
  const handle = await startServe(argv, io);
  return new Promise((done) => {
    const stop = () => {
      io.stderr('Stopping.\n');
      handle.stop().then(() => done(0));
    };
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
}

export async function startServe(argv: string[], io: CliIO): Promise<ServeHandle> {
  const { positional, options } = parseArgs(argv, { port: 'value', 'max-upload': 'value' }, SERVE_USAGE);
  const port = parsePort(options.port);
  const maxUploadBytes = parseSize(options['max-upload']);
  const files = await checkFiles(positional);
  const staticDir = join(__dirname, '..', 'renderer');
  if (!existsSync(join(staticDir, 'index.html'))) {
    throw new CliError(`the renderer is not built (${staticDir} is missing); run \`npm run build\``);
  }
  const service = createHeapService({ transport: 'http', nativeDialogs: false });
  let server: RunningServer;
  try {
    server = await startServer({ service, staticDir, port, maxUploadBytes });
  } catch (err) {
    await service.dispose();
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'EADDRINUSE')
      throw new CliError(`port ${port} is in use; pick another with --port or omit it`);
    if (code === 'EACCES') throw new CliError(`port ${port} needs privileges; pick one above 1024`);
    throw err;
  }
  await openAtStart(service, files, io);
  io.stdout(`Heapscope is running at ${server.url}\n`);
  io.stderr('Open that URL in a browser (it carries the access token). Press Ctrl+C to stop.\n');
  return {
    server,
    stop: async () => {
      await server.close();
      await service.dispose();
    },
  };
}

/** Opens the command line's files before the URL is printed, so the page lists them on first load. */
async function openAtStart(service: HeapService, files: string[], io: CliIO): Promise<void> {
  // On a terminal, one line that rewrites itself shows indexing progress for large files.
  const stopProgress = io.isTTY
    ? service.onProgress((p) => io.stderr(`\r\x1b[KIndexing: ${p.stage} ${Math.floor(p.percent)} %`))
    : () => {};
  const clear = io.isTTY ? '\r\x1b[K' : '';
  for (const [i, path] of files.entries()) {
    const started = Date.now();
    try {
      const info = await service.call('open', { requestId: `cli-${i}`, path });
      const seconds = ((Date.now() - started) / 1000).toFixed(1);
      const objects = info.totals.objects.toLocaleString('en-US');
      io.stderr(`${clear}Opened ${info.name}: ${objects} objects (${seconds} s)\n`);
    } catch (err) {
      io.stderr(`${clear}heapscope serve: ${path}: ${(err as Error).message}\n`);
    }
  }
  stopProgress();
}

function parsePort(value: string | undefined): number {
  if (value === undefined) return 0;
  const port = Number(value);
  if (!/^\d+$/.test(value) || port > 65535) {
    throw new CliError(`--port: expected a port number from 0 to 65535, got "${value}"`);
  }
  return port;
}

const SIZE_UNITS: Record<string, number> = { '': 1, k: 1024, m: 1024 ** 2, g: 1024 ** 3, t: 1024 ** 4 };

/** `--max-upload`: bytes, or a number with K, M, G or T (binary: 2G = 2 GiB); undefined: the default. */
export function parseSize(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const m = /^(\d+(?:\.\d+)?)\s*([kmgt]?)(?:i?b)?$/i.exec(value.trim());
  const bytes = m ? Math.floor(Number(m[1]) * SIZE_UNITS[m[2]!.toLowerCase()]!) : Number.NaN;
  if (!(bytes > 0) || !Number.isSafeInteger(bytes)) {
    throw new CliError(`--max-upload: expected a size such as 512M, 2G or 1073741824, got "${value}"`);
  }
  return bytes;
}

async function checkFiles(paths: string[]): Promise<string[]> {
  const out: string[] = [];
  for (const path of paths) {
    const absolute = resolve(path);
    const info = await stat(absolute).catch((err: unknown) => {
      throw new CliError(toErrorData(err).message.replace(absolute, path));
    });
    if (!info.isFile()) throw new CliError(`${path}: not a regular file, not a snapshot file`);
    out.push(absolute);
  }
  return out;
}
