// Builds the production HeapService: the indexer in a worker thread next to this bundle, the recent
// files list in the given config folder. Transports call this; tests build HeapService by hand.
import { join } from 'node:path';
import type { Environment } from '@shared/contract';
import { appVersion } from './app-version';
import { WorkerBackend } from './backend';
import { captureHooks } from './capture/runner';
import { dumpDemoSnapshot, findDemoRoot } from './demo';
import { HeapService } from './heap-service';
import { defaultConfigDir, RecentFiles } from './recent-files';

export interface CreateServiceOptions {
  transport: Environment['transport'];
  nativeDialogs: boolean;
  configDir?: string;
  version?: string;
}

/** out/main/index.js and out/main/cli.js both sit next to out/main/indexer-worker.js. */
export function workerPath(): string {
  return join(__dirname, 'indexer-worker.js');
}

export function createHeapService(options: CreateServiceOptions): HeapService {
  return new HeapService({
    backend: new WorkerBackend(workerPath()),
    recentFiles: new RecentFiles(options.configDir ?? defaultConfigDir()),
    transport: options.transport,
    appVersion: options.version ?? appVersion(),
    nativeDialogs: options.nativeDialogs,
    // Offered only where the demo program and the dumper ship alongside (a checkout, the unpacked app).
    dumpDemo: findDemoRoot() !== null ? dumpDemoSnapshot : undefined,
    // gdb-based capture is Linux only (docs/CAPTURE.md); gdb and ptrace are checked per capture.
    capture: process.platform === 'linux' && findDemoRoot() !== null ? captureHooks() : undefined,
  });
}

export { HeapService } from './heap-service';
