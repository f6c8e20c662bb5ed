// The service never blocks on a file (issue 15): a FIFO opened through it is refused at once, and
// the worker that hosts the snapshots keeps answering queries. Runs the production topology, a
// WorkerBackend on the bundled worker: a blocking open would freeze that worker, and this test's
// own thread stays free to time out instead of hanging.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SnapshotBuilder } from '../../electron/indexer/format/builder';
import { WorkerBackend } from '../../electron/service/backend';
import { HeapService } from '../../electron/service/heap-service';
import { RecentFiles } from '../../electron/service/recent-files';
import { ApiError } from '../../electron/shared/contract';
import { bundleWorker } from './cli-bundle';

let dir: string;
let service: HeapService;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'heapscope-service-files-'));
  const g = new SnapshotBuilder();
  g.root(g.node('module', 72, { label: 'app' }), 'module', 'app');
  writeFileSync(join(dir, 'good.pyheap'), g.toBytes());
  execFileSync('mkfifo', [join(dir, 'fifo.pyheap')]);
  service = new HeapService({
    backend: new WorkerBackend(bundleWorker()),
    recentFiles: new RecentFiles(join(dir, 'config')),
    transport: 'http',
    appVersion: '0.0.1',
    nativeDialogs: false,
  });
});
afterAll(async () => {
  await service.dispose();
  rmSync(dir, { recursive: true, force: true });
});

describe('files the service is given', () => {
  it('refuses a FIFO at once, and another snapshot still answers', { timeout: 15_000 }, async () => {
    const good = await service.call('open', { requestId: 'r1', path: join(dir, 'good.pyheap') });
    const [fifo, summary] = await Promise.allSettled([
      service.call('open', { requestId: 'r2', path: join(dir, 'fifo.pyheap') }),
      service.call('summary', { snapshot: good.id, range: { start: 0, end: 10 } }),
    ]);
    expect(fifo.status).toBe('rejected');
    const err = (fifo as PromiseRejectedResult).reason as ApiError;
    expect(err).toBeInstanceOf(ApiError);
    expect(err.message).toMatch(/fifo\.pyheap: is a FIFO \(named pipe\), not a snapshot file/);
    expect(err.message).not.toContain('\n');
    expect(summary.status).toBe('fulfilled');
    // And afterwards too: the worker is not stuck.
    const again = await service.call('summary', { snapshot: good.id, range: { start: 0, end: 10 } });
    expect(again.total).toBe(1);
  });
});
