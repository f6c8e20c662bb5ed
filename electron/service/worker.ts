// Worker-thread entry (built to out/main/indexer-worker.js): hosts the indexer so that indexing and
// queries on large heaps never block the main process, the HTTP server or the CLI's event loop.
import { parentPort } from 'node:worker_threads';
import { loadSnapshot } from '../indexer/index';
import { fallbackCodeFor, toErrorData } from './errors';
import { SnapshotHost } from './host';
import type { FromHost, ToHost } from './messages';

const port = parentPort;
if (!port) throw new Error('worker.ts must run in a worker thread');

const send = (message: FromHost) => port.postMessage(message);
const host = new SnapshotHost(loadSnapshot, (event) => send({ kind: 'progress', event }));

port.on('message', (message: ToHost) => {
  if (message.kind === 'cancel') {
    host.cancel(message.requestId);
    return;
  }
  const { callId, request } = message;
  host.handle(request).then(
    (value) => send({ kind: 'result', callId, ok: true, value }),
    (err: unknown) =>
      send({ kind: 'result', callId, ok: false, error: toErrorData(err, fallbackCodeFor(request.method)) }),
  );
});
