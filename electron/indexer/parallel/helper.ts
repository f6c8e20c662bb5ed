// The second core. A Helper is one worker thread that runs a kernel (kernels.ts) on its share of a
// stage while the calling thread runs the same kernel on the other share; typed arrays passed in
// must live in SharedArrayBuffers (shared.ts) for the two to see one memory.
//
// The worker is started from source text (`eval`), not from a file: the indexer runs inside
// Electron's bundle, the CLI bundle, browser mode's server and vitest's TypeScript, and a source
// string is the one thing that works the same in all four. When a worker cannot start, or the heap
// is too small to repay one (~30 ms to start), `run` executes the kernel on the calling thread: the
// results are identical either way, only slower.
import { Worker } from 'node:worker_threads';
import { ORDER_SOURCE, sortGroups } from '../graph/order';
import {
  countPartitions,
  JOIN_SOURCE,
  joinPartitions,
  scatterObjects,
  scatterProbes,
  unpartition,
} from './join';
import {
  breadthFirst,
  commonPrefixes,
  copyFrom,
  dominatorRows,
  EDGE_SOURCE,
  fillLabelRetained,
  fillRetainers,
  gatherPreorder,
  indexLabels,
  indexTypes,
  strongLeaves,
  touchPages,
} from './kernels';

/** What the helper runs by name. Each may call only functions in KERNEL_SOURCE. */
const KERNELS = {
  countPartitions,
  scatterObjects,
  scatterProbes,
  joinPartitions,
  unpartition,
  fillRetainers,
  strongLeaves,
  breadthFirst,
  gatherPreorder,
  indexTypes,
  indexLabels,
  fillLabelRetained,
  sortGroups,
  touchPages,
  dominatorRows,
  copyFrom,
  commonPrefixes,
};
const KERNEL_SOURCE = [...EDGE_SOURCE, ...JOIN_SOURCE, ...ORDER_SOURCE];

export type KernelName = keyof typeof KERNELS;
type Kernel<K extends KernelName> = (typeof KERNELS)[K];

// After each kernel the worker collects its garbage: the arrays it was handed are then unreferenced
// here, but until this isolate's GC runs (and it allocates too little to run on its own) they
// would keep freed stages' memory (the address join's partitions, hundreds of MB, say) alive.
const WORKER_SOURCE = `
const { parentPort } = require('node:worker_threads');
let collect = () => {};
try {
  require('node:v8').setFlagsFromString('--expose-gc');
  collect = require('node:vm').runInNewContext('gc');
} catch {}
${KERNEL_SOURCE.map((f) => f.toString()).join('\n')}
const kernels = { ${Object.keys(KERNELS).join(', ')} };
parentPort.on('message', (message) => {
  let reply;
  try {
    reply = { result: kernels[message.name](...message.args) };
  } catch (e) {
    reply = { error: String((e && e.stack) || e) };
  }
  message = null;
  collect();
  parentPort.postMessage(reply);
});
`;

/** Below this many objects a stage runs on one thread: starting the worker would cost more. */
export const PARALLEL_MIN_OBJECTS = 500_000;

interface Reply {
  result?: unknown;
  error?: string;
}

export class Helper {
  private worker: Worker | null;
  /** Calls sent and not yet answered, oldest first: the worker answers in order. */
  private readonly waiting: { resolve: (r: unknown) => void; reject: (e: Error) => void }[] = [];

  private constructor(worker: Worker | null) {
    this.worker = worker;
    worker?.on('message', (reply: Reply) => {
      const call = this.waiting.shift();
      if (this.waiting.length === 0) worker.unref(); // idle: never keeps a process alive
      if (!call) return;
      if (reply.error !== undefined) call.reject(new Error(`helper thread: ${reply.error}`));
      else call.resolve(reply.result);
    });
    worker?.on('error', (err: Error) => {
      for (const call of this.waiting.splice(0)) call.reject(err);
      this.worker = null;
    });
  }

  /**
   * A helper with a worker thread when `objects` is large enough and threads are allowed
   * (HEAPSCOPE_THREADS=1 turns them off), else one that runs everything on the calling thread.
   */
  static create(objects: number, minObjects = PARALLEL_MIN_OBJECTS): Helper {
    if (objects < minObjects || process.env.HEAPSCOPE_THREADS === '1') return new Helper(null);
    try {
      const worker = new Worker(WORKER_SOURCE, { eval: true });
      worker.unref(); // idle: never keeps a CLI process alive
      return new Helper(worker);
    } catch {
      return new Helper(null);
    }
  }

  get threads(): number {
    return this.worker ? 2 : 1;
  }

  /**
   * Runs `name(...args)` on the helper thread; resolves with its result. Calls queue: each starts
   * when the previous one is done. Stages start calls well before they await them, so a failure is
   * thrown where the call is awaited and never reported as an unhandled rejection first (a
   * promise derived from this one, by `then` or `Promise.all`, needs its own guard).
   */
  run<K extends KernelName>(name: K, ...args: Parameters<Kernel<K>>): Promise<ReturnType<Kernel<K>>> {
    const worker = this.worker;
    const kernel = KERNELS[name] as (...a: unknown[]) => ReturnType<Kernel<K>>;
    if (!worker) return Promise.resolve(kernel(...args));
    for (const a of args.flat()) {
      // An ordinary buffer would be copied to the worker: its writes lost, its reads a copy's.
      if (ArrayBuffer.isView(a) && !(a.buffer instanceof SharedArrayBuffer))
        throw new Error(`helper: ${name} was given an array that is not in a SharedArrayBuffer`);
    }
    const answer = new Promise<ReturnType<Kernel<K>>>((resolve, reject) => {
      this.waiting.push({ resolve: resolve as (r: unknown) => void, reject });
      worker.ref(); // an answer is awaited: Node must not exit before it comes
      worker.postMessage({ name, args });
    });
    answer.catch(() => {});
    return answer;
  }

  /**
   * Has the worker map in the pages of `arrays` (shared) while this thread fills them front to
   * back (`touchPages`); the returned function stops it, and must be called before the next `run`
   * is awaited, which would otherwise wait for every page. Nothing without a worker: one thread
   * touching its pages early saves nothing.
   */
  mapAhead(arrays: ArrayBufferView[]): () => void {
    if (!this.worker) return () => {};
    const stop = new Int32Array(new SharedArrayBuffer(4));
    const views = arrays.map((a) => new Int32Array(a.buffer, a.byteOffset, Math.floor(a.byteLength / 4)));
    void this.run('touchPages', views, stop); // only ever a speed-up: never awaited
    return () => Atomics.store(stop, 0, 1);
  }

  close(): void {
    void this.worker?.terminate();
    this.worker = null;
  }
}
