// WorkerBackend against a tiny stand-in worker speaking the same messages: correlation of replies,
// errors as {code, message}, progress pushes, and a crash failing what was in flight.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ProgressEvent } from '@shared/contract';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WorkerBackend } from './backend';

const WORKER = `
const { parentPort } = require('node:worker_threads');
parentPort.on('message', (m) => {
  if (m.kind !== 'call') return;
  const { callId, request } = m;
  if (request.method === 'list') {
    parentPort.postMessage({ kind: 'progress', event: { requestId: 'p', stage: 'read', stageIndex: 0, done: 1, total: 1, percent: 100 } });
    setTimeout(() => parentPort.postMessage({ kind: 'result', callId, ok: true, value: [callId] }), 20);
  } else if (request.method === 'openBytes') {
    parentPort.postMessage({ kind: 'result', callId, ok: true, value: request.args.bytes.length });
  } else if (request.method === 'close') {
    process.exit(3);
  } else {
    parentPort.postMessage({ kind: 'result', callId, ok: false, error: { code: 'not-found', message: 'nope' } });
  }
});
`;

let dir: string;
let path: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'heapscope-worker-'));
  path = join(dir, 'worker.cjs');
  await writeFile(path, WORKER);
});
afterAll(() => rm(dir, { recursive: true, force: true }));

describe('WorkerBackend', () => {
  it('matches replies to requests, passes bytes and progress, and revives errors', async () => {
    const backend = new WorkerBackend(path);
    const events: ProgressEvent[] = [];
    backend.onProgress((e) => events.push(e));
    const [a, b] = await Promise.all([
      backend.request({ method: 'list', args: {} }),
      backend.request({ method: 'list', args: {} }),
    ]);
    expect([a, b]).toEqual([[1], [2]]);
    expect(events).toHaveLength(2);
    const bytes = new Uint8Array(1000);
    expect(await backend.request({ method: 'openBytes', args: { requestId: 'r', name: 'x', bytes } })).toBe(
      1000,
    );
    await expect(
      backend.request({ method: 'objectDetails', args: { snapshot: 's', node: 1 } }),
    ).rejects.toMatchObject({
      code: 'not-found',
      message: 'nope',
    });
    await backend.dispose();
  });

  it('fails calls in flight when the worker dies, then starts a fresh one', async () => {
    const backend = new WorkerBackend(path);
    await expect(backend.request({ method: 'close', args: { snapshot: 's' } })).rejects.toMatchObject({
      code: 'internal',
      message: expect.stringContaining('exit code 3'),
    });
    expect(await backend.request({ method: 'list', args: {} })).toEqual([2]);
    await backend.dispose();
  });
});
