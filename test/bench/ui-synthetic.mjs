// Writes a synthetic .pyheap of N objects for the UI benchmark with the indexer's own TS writer
// (electron/indexer/format/writer.ts, bundled on the fly by esbuild), so the file format has one
// implementation. Shape, chosen to load the views the way a real leak does:
//   module bench → __dict__ → CACHE (dict, S Sessions) and TREE (binary tree of T Nodes)
//   each Session → .payload (bytes) and .user (str)
// N = 4 + T + 3·S, with T ≈ N/10. Objects are written in chunks so memory stays flat.
import { existsSync, mkdirSync, renameSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const CHUNK = 250_000;
const NONE32 = 0xffffffff;

async function loadWriter() {
  const out = join(ROOT, '.heapscope-tmp', 'bench-writer.mjs');
  mkdirSync(dirname(out), { recursive: true });
  await build({
    entryPoints: [join(ROOT, 'electron', 'indexer', 'format', 'writer.ts')],
    bundle: true,
    platform: 'node',
    format: 'esm',
    outfile: out,
    logLevel: 'error',
  });
  return import(`${out}?t=${Date.now()}`);
}

/** Returns the path of a synthetic snapshot with about `n` objects, writing it if not cached. */
export async function syntheticSnapshot(n) {
  const path = join(ROOT, '.heapscope-tmp', `bench-ui-${n}.pyheap`);
  if (existsSync(path)) return path;
  const { PyheapWriter, fileSink } = await loadWriter();
  const tmp = `${path}.partial`;
  const file = fileSink(tmp);
  const w = new PyheapWriter(file.sink, { compress: false });
  w.meta({
    dumper: { name: 'heapscope-bench', version: '0' },
    python: { version: '3.12.0', implementation: 'cpython', pointerSize: 8 },
    pid: 1,
    argv: ['synthetic.py', String(n)],
    dumpTime: 1764064000,
    rssBytes: n * 120,
    labelMaxChars: 120,
  });
  const names = ['bench', '__dict__', "'CACHE'", "'TREE'", 'payload', 'user', 'left', 'right'];
  const pool = 1000;
  const keys = Array.from({ length: pool }, (_, i) => `'req-${i}'`);
  const users = Array.from({ length: pool }, (_, i) => `user${i}`);
  const s0 = w.stringSection([...names, ...keys, ...users]);
  const sid = (name) => s0 + names.indexOf(name);
  const keyId = (i) => s0 + names.length + (i % pool);
  const userId = (i) => s0 + names.length + pool + (i % pool);
  const typeNames = ['module', 'dict', 'list', 'bench.Session', 'bytes', 'str', 'bench.Node'];
  const t0 = w.stringSection(typeNames);
  w.typeSection(
    typeNames.map((_, i) => 0x1000 + i * 16),
    typeNames.map((_, i) => t0 + i),
  );
  const T_MODULE = 0;
  const T_DICT = 1;
  const T_SESSION = 3;
  const T_BYTES = 4;
  const T_STR = 5;
  const T_NODE = 6;

  const trees = Math.max(1, Math.floor(n / 10));
  const sessions = Math.max(1, Math.floor((n - 4 - trees) / 3));
  const total = 4 + trees + 3 * sessions;
  const addr = (i) => 0x10000000 + i * 64;
  // Index layout: 0 module, 1 module dict, 2 CACHE, 3 TREE root node, then nodes, sessions, payloads, users.
  const firstNode = 3;
  const firstSession = firstNode + trees;
  const firstPayload = firstSession + sessions;
  const firstUser = firstPayload + sessions;

  /** Object i's record and out-edges. */
  function describe(i, edges) {
    if (i === 0) {
      edges.push([addr(1), sid('__dict__'), 8]);
      return [72, T_MODULE, sid('bench'), NONE32];
    }
    if (i === 1) {
      edges.push([addr(2), sid("'CACHE'"), 2], [addr(3), sid("'TREE'"), 2]);
      return [1200, T_DICT, NONE32, 2];
    }
    if (i === 2) {
      for (let s = 0; s < sessions; s++) edges.push([addr(firstSession + s), keyId(s), 2]);
      return [sessions * 40, T_DICT, NONE32, sessions];
    }
    if (i < firstSession) {
      const k = i - firstNode;
      const left = 2 * k + 1;
      const right = 2 * k + 2;
      if (left < trees) edges.push([addr(firstNode + left), sid('left'), 1]);
      if (right < trees) edges.push([addr(firstNode + right), sid('right'), 1]);
      return [48 + (k % 5) * 8, T_NODE, NONE32, NONE32];
    }
    if (i < firstPayload) {
      const s = i - firstSession;
      edges.push([addr(firstPayload + s), sid('payload'), 1], [addr(firstUser + s), sid('user'), 1]);
      return [56, T_SESSION, NONE32, NONE32];
    }
    if (i < firstUser) return [600 + ((i * 7919) % 13) * 64, T_BYTES, NONE32, 512];
    return [60, T_STR, userId(i), 8];
  }

  for (let start = 0; start < total; start += CHUNK) {
    const end = Math.min(total, start + CHUNK);
    const m = end - start;
    const c = {
      address: new Float64Array(m),
      size: new Float64Array(m),
      type: new Uint32Array(m),
      label: new Uint32Array(m),
      refcount: new Uint32Array(m),
      length: new Uint32Array(m),
      edgeCount: new Uint32Array(m),
      flags: new Uint16Array(m),
    };
    const edges = [];
    for (let j = 0; j < m; j++) {
      const i = start + j;
      const before = edges.length;
      const [size, type, label, length] = describe(i, edges);
      c.address[j] = addr(i);
      c.size[j] = size;
      c.type[j] = type;
      c.label[j] = label;
      c.refcount[j] = i === 0 ? 2 : 1;
      c.length[j] = length;
      c.edgeCount[j] = edges.length - before;
      c.flags[j] = type === T_DICT || type === T_SESSION || type === T_NODE ? 1 : 0;
    }
    w.objectSection(c);
    // The CACHE dict's edges are S long: write them in slices so one section stays a few MiB.
    for (let e = 0; e < edges.length; e += CHUNK) {
      const slice = edges.slice(e, e + CHUNK);
      w.edgeSection({
        target: Float64Array.from(slice, (x) => x[0]),
        name: Uint32Array.from(slice, (x) => x[1]),
        kind: Uint8Array.from(slice, (x) => x[2]),
      });
    }
  }
  w.rootSection([addr(0)], [sid('bench')], [1]);
  w.end();
  file.close();
  renameSync(tmp, path);
  return path;
}
