import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ApiError, type ProgressEvent } from '@shared/contract';
import { SNAPSHOT_QUERIES } from '@shared/queries';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { InThreadBackend } from './backend';
import { HeapService, type HeapServiceOptions } from './heap-service';
import { RecentFiles } from './recent-files';
import { type FakeLoader, fakeLoader, VALID_ARGS } from './test-fakes';

let dir: string;
let loader: FakeLoader;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'heapscope-service-'));
  loader = fakeLoader();
});
afterEach(() => rm(dir, { recursive: true, force: true }));

function service(extra: Partial<HeapServiceOptions> = {}): HeapService {
  return new HeapService({
    backend: new InThreadBackend(loader.load),
    recentFiles: new RecentFiles(dir),
    transport: 'http',
    appVersion: '1.2.3',
    nativeDialogs: false,
    ...extra,
  });
}

async function failure(promise: Promise<unknown>): Promise<ApiError> {
  const err = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(ApiError);
  return err as ApiError;
}

describe('HeapService', () => {
  it('describes its environment', async () => {
    expect(await service().call('environment', {})).toEqual({
      transport: 'http',
      appVersion: '1.2.3',
      apiVersion: 1,
      platform: process.platform,
      canOpenDemo: false,
      nativeDialogs: false,
      canCapture: false,
    });
  });

  it('opens by path, reports progress with the requestId, and remembers the file', async () => {
    const s = service();
    const events: ProgressEvent[] = [];
    s.onProgress((e) => events.push(e));
    const info = await s.call('open', { requestId: 'r1', path: '/tmp/app.pyheap' });
    expect(info).toMatchObject({ id: 's1', name: 'app.pyheap', path: '/tmp/app.pyheap' });
    expect(events).toEqual([
      { requestId: 'r1', stage: 'read', stageIndex: 0, done: 1, total: 2, percent: 5 },
    ]);
    expect(await s.call('recentFiles', {})).toMatchObject([{ path: '/tmp/app.pyheap', name: 'app.pyheap' }]);
    expect(await s.call('list', {})).toEqual([info]);
  });

  it('opens uploaded bytes without a path and keeps them out of the recent list', async () => {
    const s = service();
    const info = await s.call('openBytes', VALID_ARGS.openBytes);
    expect(info).toMatchObject({ name: 'upload.pyheap', path: null });
    expect(loader.sources[0]).toEqual({ name: 'upload.pyheap', bytes: new Uint8Array([1, 2, 3]) });
    expect(await s.call('recentFiles', {})).toEqual([]);
  });

  it('routes every per-snapshot query to the snapshot named in args, without the snapshot field', async () => {
    const s = service();
    await s.call('open', { requestId: 'a', path: '/tmp/a.pyheap' });
    const { id } = await s.call('open', { requestId: 'b', path: '/tmp/b.pyheap' });
    for (const method of SNAPSHOT_QUERIES) {
      await s.call(method, { ...VALID_ARGS[method], snapshot: id } as never);
    }
    const [first, second] = loader.loaded;
    expect(first!.calls).toEqual([]);
    expect(second!.calls.map((c) => c.method)).toEqual([...SNAPSHOT_QUERIES]);
    for (const call of second!.calls) expect(call.args).not.toHaveProperty('snapshot');
  });

  it('answers not-found for snapshots that are not open, and after close', async () => {
    const s = service();
    const { id } = await s.call('open', { requestId: 'a', path: '/tmp/a.pyheap' });
    await s.call('close', { snapshot: id });
    const err = await failure(s.call('dominatorChain', { snapshot: id, node: 1 }));
    expect(err.code).toBe('not-found');
    expect(await s.call('list', {})).toEqual([]);
  });

  it('reports unreadable snapshots as bad-snapshot with the reader’s message', async () => {
    const err = await failure(service().call('open', { requestId: 'x', path: '/tmp/bad.pyheap' }));
    expect(err.code).toBe('bad-snapshot');
    expect(err.message).toBe('/tmp/bad.pyheap: not a .pyheap file (bad magic)');
  });

  it('cancels an open in progress', async () => {
    const s = service();
    const opening = s.call('open', { requestId: 'slow', path: '/tmp/slow.pyheap' });
    await new Promise((r) => setTimeout(r, 10));
    await s.call('cancel', { requestId: 'slow' });
    expect((await failure(opening)).code).toBe('cancelled');
    expect(await s.call('list', {})).toEqual([]);
  });

  it('rejects bad arguments before anything runs', async () => {
    const s = service();
    const err = await failure(s.handle('open', { requestId: 'r', path: 42 }));
    expect(err).toMatchObject({ code: 'bad-argument', message: 'open.path: expected a string, got 42' });
    expect(loader.sources).toEqual([]);
    expect((await failure(s.handle('nope', {}))).code).toBe('bad-argument');
  });

  it('routes comparison to the snapshot host', async () => {
    // Issue 6 (and 17's diffObjects): diff/leaks/exportReport run where the snapshots live. Unknown ids are not-found;
    // the fake loader's snapshots carry no indexer graph, so comparing them is refused clearly.
    const s = service();
    for (const method of ['diff', 'diffObjects', 'leaks', 'exportReport'] as const) {
      expect((await failure(s.call(method, VALID_ARGS[method] as never))).code).toBe('not-found');
    }
    await s.call('open', { requestId: 'a', path: '/tmp/one.pyheap' });
    await s.call('open', { requestId: 'b', path: '/tmp/two.pyheap' });
    for (const method of ['diff', 'diffObjects', 'leaks', 'exportReport'] as const) {
      const err = await failure(s.call(method, VALID_ARGS[method] as never));
      expect(err.code).toBe('unavailable');
      expect(err.message).toMatch(/cannot be compared$/);
    }
  });

  it('opens the demo through the dumper when one is configured', async () => {
    expect((await failure(service().call('openDemo', { requestId: 'd' }))).code).toBe('unavailable');
    const s = service({ dumpDemo: async () => '/tmp/demo.pyheap' });
    expect((await s.call('environment', {})).canOpenDemo).toBe(true);
    expect(await s.call('openDemo', { requestId: 'd' })).toMatchObject({ name: 'demo.pyheap' });
  });
});
