// The contract's `capture` and `captureList` through HeapService, with fake capture hooks: progress
// carries the requestId and the capture stage, `cancel` reaches a capture in flight, failures keep their
// one-line message, the captured file is opened like any other, and arguments are validated.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ApiError, type ProgressEvent } from '@shared/contract';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { InThreadBackend } from '../backend';
import { type CaptureHooks, HeapService } from '../heap-service';
import { RecentFiles } from '../recent-files';
import { fakeLoader } from '../test-fakes';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'heapscope-capture-service-'));
});
afterEach(() => rm(dir, { recursive: true, force: true }));

function service(capture?: CaptureHooks): HeapService {
  return new HeapService({
    backend: new InThreadBackend(fakeLoader().load),
    recentFiles: new RecentFiles(dir),
    transport: 'http',
    appVersion: '1.2.3',
    nativeDialogs: false,
    capture,
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

const ROW = { pid: 42, cmdline: ['python3', 'app.py'], python: '3.12', rss: 1 << 20, startTime: 1.5 };

describe('capture through the service', () => {
  it('reports capture stages with the requestId, then opens the captured file', async () => {
    const seen: { pid: number; fork: boolean; timeoutSeconds: number }[] = [];
    const s = service({
      list: async () => [ROW],
      run: async (request, onProgress) => {
        seen.push(request);
        onProgress({ stage: 'waiting', bytes: 0 });
        onProgress({ stage: 'walking', bytes: 4096 });
        return '/tmp/captured.pyheap';
      },
    });
    const events: ProgressEvent[] = [];
    s.onProgress((e) => events.push(e));
    expect((await s.call('environment', {})).canCapture).toBe(true);
    expect(await s.call('captureList', {})).toEqual([ROW]);
    const info = await s.call('capture', { requestId: 'c1', pid: 42, fork: true, timeoutSeconds: 5 });
    expect(info).toMatchObject({ name: 'captured.pyheap', path: '/tmp/captured.pyheap' });
    expect(seen).toEqual([{ pid: 42, fork: true, timeoutSeconds: 5 }]);
    const stages = events.filter((e) => e.requestId === 'c1').map((e) => e.capture?.stage ?? e.stage);
    expect(stages.slice(0, 2)).toEqual(['waiting', 'walking']);
    expect(stages.slice(2).every((st) => st !== 'waiting' && st !== 'walking')).toBe(true);
  });

  it('cancel aborts a capture in flight', async () => {
    let aborted = false;
    const s = service({
      list: async () => [],
      run: (_request, _onProgress, signal) =>
        new Promise((_resolve, reject) => {
          signal.addEventListener('abort', () => {
            aborted = true;
            reject(new ApiError('cancelled', 'cancelled before anything ran in PID 42'));
          });
        }),
    });
    const pending = s.call('capture', { requestId: 'c2', pid: 42, fork: true, timeoutSeconds: 5 });
    await s.call('cancel', { requestId: 'c2' });
    const err = await failure(pending);
    expect(aborted).toBe(true);
    expect(err.code).toBe('cancelled');
  });

  it('is unavailable without hooks, and validates its arguments', async () => {
    const s = service();
    expect((await s.call('environment', {})).canCapture).toBe(false);
    expect((await failure(s.call('captureList', {}))).code).toBe('unavailable');
    const withHooks = service({ list: async () => [], run: async () => '/tmp/x.pyheap' });
    for (const bad of [
      { requestId: 'c', pid: '42; rm -rf /', fork: true, timeoutSeconds: 5 },
      { requestId: 'c', pid: -1, fork: true, timeoutSeconds: 5 },
      { requestId: 'c', pid: 42, fork: 'yes', timeoutSeconds: 5 },
      { requestId: 'c', pid: 42, fork: true, timeoutSeconds: 0 },
      { requestId: 'c', pid: 42, fork: true, timeoutSeconds: 5, output: '/etc/passwd' },
    ]) {
      expect((await failure(withHooks.handle('capture', bad))).code).toBe('bad-argument');
    }
  });
});
