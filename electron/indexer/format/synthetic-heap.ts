// Synthetic snapshots for the benchmark and for large-graph tests. Stream chunk by chunk, so writing
// 10M objects needs memory for one chunk only. Two shapes:
// - "python" (default, synthetic-python.ts): statistics measured on real python-dumper dumps.
// - "random" (below): a random graph, kept as a stress case. Its extra references are uniform, so
//   ~70 % of objects are referenced more than once and only ~7 % are leaves (real heaps: ~5 % and
//   ~50 %), and it has no locality: the worst case for every stage of the indexer.
//
// "random" shape: a breadth-first-numbered spanning tree from ~50+ module roots (containers — dict, list,
// tuple, instances — hold 1–8 children), plus ~1.2 extra references per object to random live objects
// (shared strings, types, cross links: DAGs and cycles), 1% of them weak; ~2.2 references per object
// in all. 0.2% of objects are held from C (refcount above their in-degree); the last 0.3% are
// unreachable two- and three-object cycles.
import { EDGE_KIND, NONE32, OBJ_FLAG, ROOT_KIND } from './spec';
import { type EdgeLists, type ObjectChunk, PY_TYPES, PythonShapedHeap, Xorshift } from './synthetic-python';
import { PyheapWriter, type Sink } from './writer';

export type SyntheticShape = 'python' | 'random';

export interface SyntheticOptions {
  objects: number;
  seed?: number;
  compress?: boolean;
  chunk?: number;
  shape?: SyntheticShape;
}

const TYPES = PY_TYPES;
const APP_CLASSES = 150;
const KEYS = 1000;
const T = { module: 0, dict: 1, list: 2, tuple: 3, str: 4, int: 5, bytes: 6, float: 7, function: 8 } as const;

export function addressOf(i: number): number {
  return 0x7f0000000000 + i * 48;
}

export function writeSyntheticHeap(sink: Sink, opts: SyntheticOptions): { objects: number; edges: number } {
  const n = opts.objects;
  const chunk = opts.chunk ?? 65536;
  const w = new PyheapWriter(sink, { compress: opts.compress ?? false });
  w.meta({
    python: { version: '3.12.1', implementation: 'cpython' },
    pid: 1,
    argv: ['synthetic.py', String(n)],
  });
  const typeNames = [...TYPES, ...Array.from({ length: APP_CLASSES }, (_, i) => `app.models.Model${i}`)];
  const keyBase =
    w.stringSection([...typeNames, ...Array.from({ length: KEYS }, (_, i) => `'key_${i}'`)]) +
    typeNames.length;
  w.typeSection(
    typeNames.map((_, i) => 0x560000000000 + i * 1024),
    typeNames.map((_, i) => i),
  );
  if ((opts.shape ?? 'python') === 'python') {
    const heap = new PythonShapedHeap(
      w,
      n,
      opts.seed ?? 1,
      { keyBase, keys: KEYS, appClasses: APP_CLASSES },
      chunk,
      keyBase + KEYS,
    );
    const edges = heap.write();
    w.rootSection(
      Array.from({ length: heap.roots }, (_, i) => heap.rootAddress(i)),
      Array.from({ length: heap.roots }, () => 0),
      Array.from({ length: heap.roots }, () => ROOT_KIND.MODULE),
    );
    w.end();
    return { objects: heap.written, edges };
  }
  const gen = new Generator(n, opts.seed ?? 1, keyBase);
  let edges = 0;
  for (let start = 0; start < n; start += chunk) {
    edges += gen.writeChunk(w, start, Math.min(n, start + chunk));
  }
  const roots = gen.roots;
  w.rootSection(
    Array.from({ length: roots }, (_, i) => addressOf(i)),
    Array.from({ length: roots }, () => 0),
    Array.from({ length: roots }, () => ROOT_KIND.MODULE),
  );
  w.end();
  return { objects: n, edges };
}

class Generator {
  private readonly rng: Xorshift;
  readonly roots: number;
  /** Next object to hand out as a tree child. */
  private next: number;
  /** Objects from here on are unreachable cycles. */
  private readonly live: number;
  private strings = 0;

  constructor(
    private readonly n: number,
    seed: number,
    private readonly keyBase: number,
  ) {
    this.rng = new Xorshift(seed);
    this.roots = Math.min(n, 50 + Math.floor(n / 200_000));
    this.next = this.roots;
    this.live = n - Math.floor(n * 0.003);
  }

  private rand(): number {
    return this.rng.next();
  }

  writeChunk(w: PyheapWriter, start: number, end: number): number {
    const m = end - start;
    const o = {
      address: new Float64Array(m),
      size: new Float64Array(m),
      type: new Uint32Array(m),
      label: new Uint32Array(m).fill(NONE32),
      refcount: new Uint32Array(m).fill(1),
      length: new Uint32Array(m).fill(NONE32),
      edgeCount: new Uint32Array(m),
      flags: new Uint16Array(m).fill(OBJ_FLAG.GC_TRACKED),
    };
    const e: EdgeLists = { target: [], name: [], kind: [] };
    const labels: string[] = [];
    for (let i = start; i < end; i++) this.object(i, i - start, o, e, labels);
    if (labels.length) w.stringSection(labels);
    w.objectSection(o);
    for (let k = 0; k < e.target.length; k += 262144) {
      w.edgeSection({
        target: e.target.slice(k, k + 262144),
        name: e.name.slice(k, k + 262144),
        kind: e.kind.slice(k, k + 262144),
      });
    }
    return e.target.length;
  }

  private object(i: number, k: number, o: ObjectChunk, e: EdgeLists, labels: string[]): void {
    o.address[k] = addressOf(i);
    const before = e.target.length;
    if (i >= this.live) {
      this.garbage(i, k, o, e);
    } else {
      const container = i < this.roots || this.rand() < 0.35 || this.next - i < 64;
      if (container) this.container(i, k, o, e);
      else this.leaf(k, o, labels);
      this.extras(e);
      if (this.rand() < 0.002) o.refcount[k] = 1000; // held from C
    }
    o.edgeCount[k] = e.target.length - before;
  }

  private container(
    i: number,
    k: number,
    o: Pick<ObjectChunk, 'size' | 'type' | 'length'>,
    e: EdgeLists,
  ): void {
    const r = this.rand();
    const type =
      i < this.roots
        ? T.module
        : r < 0.5
          ? T.dict
          : r < 0.7
            ? T.list
            : r < 0.85
              ? T.tuple
              : TYPES.length + Math.floor(this.rand() * APP_CLASSES);
    const wanted = this.next - i < 64 ? 4 : 1 + Math.floor(-Math.log(1 - this.rand()) * 1.9);
    const children = Math.max(0, Math.min(wanted, this.live - this.next));
    for (let c = 0; c < children; c++) {
      const child = this.next++;
      e.target.push(addressOf(child));
      if (type === T.list || type === T.tuple) {
        e.name.push(c);
        e.kind.push(EDGE_KIND.INDEX);
      } else {
        e.name.push(this.keyBase + Math.floor(this.rand() * KEYS));
        e.kind.push(type === T.dict || type === T.module ? EDGE_KIND.DICT_VALUE : EDGE_KIND.ATTR);
      }
    }
    o.type[k] = type;
    o.length[k] = children;
    o.size[k] =
      type === T.dict
        ? 232 + 48 * children
        : type === T.module
          ? 72
          : type >= TYPES.length
            ? 56
            : 56 + 8 * children;
  }

  private leaf(
    k: number,
    o: Pick<ObjectChunk, 'size' | 'type' | 'label' | 'length'>,
    labels: string[],
  ): void {
    const r = this.rand();
    if (r < 0.5) {
      const text = `value-${Math.floor(this.rand() * 1e9).toString(36)}`;
      labels.push(text);
      o.type[k] = T.str;
      o.label[k] = this.keyBase + KEYS + this.strings++;
      o.length[k] = text.length;
      o.size[k] = 49 + text.length;
    } else {
      o.type[k] = r < 0.75 ? T.int : r < 0.8 ? T.bytes : r < 0.9 ? T.float : T.function;
      o.size[k] = r < 0.75 ? 28 : r < 0.8 ? 33 + Math.floor(this.rand() * 4000) : r < 0.9 ? 24 : 136;
    }
  }

  /** Shared references to random live objects; 1% weak. */
  private extras(e: { target: number[]; name: number[]; kind: number[] }): void {
    const r = this.rand();
    const count = r < 0.1 ? 0 : r < 0.7 ? 1 : 2;
    for (let c = 0; c < count; c++) {
      e.target.push(addressOf(Math.floor(this.rand() * this.live)));
      e.name.push(NONE32);
      e.kind.push(this.rand() < 0.01 ? EDGE_KIND.WEAK : EDGE_KIND.OTHER);
    }
  }

  /** Unreachable objects: each points to the next, every third back to the first of its triple. */
  private garbage(i: number, k: number, o: Pick<ObjectChunk, 'size' | 'type'>, e: EdgeLists): void {
    o.type[k] = TYPES.length; // app.models.Model0
    o.size[k] = 56;
    const base = i - ((i - this.live) % 3);
    const target = (i - this.live) % 3 === 2 || i + 1 >= this.n ? base : i + 1;
    e.target.push(addressOf(target));
    e.name.push(NONE32);
    e.kind.push(EDGE_KIND.OTHER);
  }
}
