// The "python" synthetic shape: a heap whose statistics match real dumps from python-dumper (measured
// in docs/PERFORMANCE.md, "Synthetic heap shapes"): ~95 % of objects strongly referenced exactly once,
// about half of them leaves (str, int, float, bytes: no references), about half of all references
// going to a few popular objects (dict-key strings, types, None-like constants) whose in-degree
// follows a power law, a few percent of cross links (shared sub-objects, back references, cycles),
// and the dumper's emission order (a container, then the untracked leaves it holds).
//
// Objects get addresses from three ranges (modules and containers, leaves, popular objects) by the
// order they are created in, so a parent knows its children's addresses before they are written.
// Containers are written depth-first, each followed by its leaves: a program builds one record
// (and what it holds) before the next, and gc.get_objects() lists objects roughly in allocation
// order, so that is the order a dump has (real dumps: 35-47 % of references point to one of the 64
// objects written before or after the referrer; this shape: see the test).
import { EDGE_KIND, NONE32, OBJ_FLAG } from './spec';
import type { ObjectColumns, PyheapWriter } from './writer';

/** Type ids in the TYPE section written by synthetic-heap.ts (app classes follow these). */
export const PY_TYPES = [
  'module',
  'dict',
  'list',
  'tuple',
  'str',
  'int',
  'bytes',
  'float',
  'function',
  'type',
];
const T = { module: 0, dict: 1, list: 2, tuple: 3, str: 4, int: 5, bytes: 6, float: 7, function: 8, type: 9 };

const CONTAINER_BASE = 0x7f0000000000;
const LEAF_BASE = 0x7e0000000000;
const POPULAR_BASE = 0x7d0000000000;
const GARBAGE_BASE = 0x7c0000000000;

const LEAF_SLOT = 0.5; // a record's slot holds a new leaf; else a new container or a popular object
const POPULAR_SLOT = 0.25; // a slot refers to a popular object instead of a new child
const CROSS_LINK = 0.08; // a container also references a random earlier container
const WEAK_CROSS_LINK = 0.1; // ... weakly
// A module's first containers are collections of records, sized so that together they hold the
// heap; a few records hold a collection of their own (50 to 100,000 slots, Pareto), rarely enough
// that nesting dies out. The heap is wide and shallow, as real heaps are (depth ~13).
const BIG_CONTAINER = 0.0005;
const OBJECTS_PER_RECORD = 4;
const HELD_FROM_C = 0.002;
const GARBAGE = 0.003;

export interface PythonShapeStrings {
  /** First string id of the dict-key names ('key_0' ...). */
  keyBase: number;
  keys: number;
  appClasses: number;
}

/** xorshift32, seeded: the synthetic heaps are the same for the same seed, on every machine. */
export class Xorshift {
  private s: number;

  constructor(seed: number) {
    this.s = (Math.imul(seed, 0x9e3779b1) ^ 0x5bd1e995) >>> 0 || 1;
  }

  /** Uniform in [0, 1). */
  next(): number {
    let s = this.s;
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    this.s = s >>> 0;
    return this.s / 4294967296;
  }
}

/** A chunk's edges as a generator collects them, before they go to EDGE sections. */
export interface EdgeLists {
  target: number[];
  name: number[];
  kind: number[];
}

/** One chunk of OBJS columns, as the writer takes them, in arrays a generator fills. */
export type ObjectChunk = {
  [K in keyof ObjectColumns]: K extends 'address' | 'size'
    ? Float64Array
    : K extends 'flags'
      ? Uint16Array
      : Uint32Array;
};

export class PythonShapedHeap {
  private readonly rng: Xorshift;
  readonly roots: number;
  private readonly popular: number;
  private readonly live: number;
  private readonly garbage: number;
  /** Objects given an identity so far (written or waiting to be). */
  private created: number;
  private nextContainer: number;
  /** Containers created but not yet written, next on top. */
  private pending: number[] = [];
  private nextLeaf = 0;
  written = 0;
  private labelsWritten: number;
  private chunkObjects: ObjectChunk;
  private fill = 0;
  private edges: EdgeLists = { target: [], name: [], kind: [] };
  private labels: string[] = [];
  edgeTotal = 0;
  private edgesBefore = 0;

  constructor(
    private readonly w: PyheapWriter,
    private readonly n: number,
    seed: number,
    private readonly strings: PythonShapeStrings,
    private readonly chunk: number,
    stringCount: number,
  ) {
    this.rng = new Xorshift(seed);
    this.roots = Math.min(n, 50 + Math.floor(n / 200_000));
    this.garbage = Math.floor(n * GARBAGE);
    this.popular = Math.min(
      n - this.roots - this.garbage,
      Math.max(strings.keys + strings.appClasses, Math.floor(n * 0.005)),
    );
    this.live = n - this.garbage;
    this.created = this.roots + this.popular;
    this.nextContainer = this.roots;
    this.labelsWritten = stringCount;
    this.chunkObjects = newObjectChunk(chunk);
  }

  rootAddress(i: number): number {
    return CONTAINER_BASE + i * 64;
  }

  /** Writes every object; returns the edge count. */
  write(): number {
    for (let r = 0; r < this.roots; r++) this.module(r);
    this.pending.reverse(); // the modules' first containers, first one on top
    for (let c = this.pending.pop(); c !== undefined; c = this.pending.pop()) this.container(c);
    for (let g = 0; g < this.garbage; g++) this.garbageObject(g);
    this.flush();
    return this.edgeTotal;
  }

  private rand(): number {
    return this.rng.next();
  }

  /** Log-uniform pick in [0, count): index 0 is the most popular (Zipf-like, exponent ~1). */
  private zipf(count: number): number {
    return Math.min(count - 1, Math.floor(count ** this.rand()) - 1);
  }

  /** A module root: its popular objects (round-robin share) and a few first containers. */
  private module(r: number): void {
    const slots: number[] = [];
    for (let p = r; p < this.popular; p += this.roots) slots.push(POPULAR_BASE + p * 32);
    for (let c = 0; c < 4 && this.created < this.live; c++) {
      slots.push(this.newContainer());
      this.pending.push(this.nextContainer - 1);
    }
    const keys = this.strings;
    for (const target of slots) this.edge(target, keys.keyBase + this.zipf(keys.keys), EDGE_KIND.DICT_VALUE);
    this.object(this.rootAddress(r), 72, T.module, NONE32, NONE32);
    for (let p = r; p < this.popular; p += this.roots) this.popularObject(p);
  }

  private newContainer(): number {
    this.created++;
    return CONTAINER_BASE + this.nextContainer++ * 64;
  }

  private container(c: number): void {
    const r = this.rand();
    const type =
      r < 0.5
        ? T.dict
        : r < 0.7
          ? T.list
          : r < 0.85
            ? T.tuple
            : PY_TYPES.length + Math.floor(this.rand() * this.strings.appClasses);
    // A module's first containers, and a few others, are collections of records (hundreds to
    // thousands of small containers); the rest are records: a few leaves and the odd sub-record.
    const top = c < this.roots * 5;
    const big = top || this.rand() < BIG_CONTAINER;
    const wanted = top
      ? Math.ceil(this.n / (this.roots * 4) / OBJECTS_PER_RECORD)
      : big
        ? Math.min(100_000, Math.floor(50 / (1 - this.rand()) ** 0.8))
        : 1 + Math.floor(-Math.log(1 - this.rand()) * 1.8);
    const popularSlot = big ? 0.05 : POPULAR_SLOT;
    const leafSlot = popularSlot + (big ? 0.1 : LEAF_SLOT);
    const leaves: number[] = [];
    const children: number[] = [];
    let slots = 0;
    for (let k = 0; k < wanted; k++) {
      const x = this.rand();
      let target: number;
      if (this.created >= this.live) {
        if (x >= popularSlot) continue; // out of objects: fewer slots
        target = POPULAR_BASE + this.zipf(this.popular) * 32;
      } else if (x < popularSlot) {
        target = POPULAR_BASE + this.zipf(this.popular) * 32;
      } else if (x < leafSlot && this.pending.length > 64) {
        this.created++;
        const leaf = this.nextLeaf++;
        leaves.push(leaf);
        target = LEAF_BASE + leaf * 32;
      } else {
        target = this.newContainer();
        children.push(this.nextContainer - 1);
      }
      this.slot(type, slots++, target);
    }
    if (type >= PY_TYPES.length)
      this.edge(POPULAR_BASE + (type - PY_TYPES.length) * 32, NONE32, EDGE_KIND.OTHER);
    if (this.rand() < CROSS_LINK && c > this.roots) {
      const other = this.roots + Math.floor(this.rand() * (c - this.roots));
      this.edge(
        this.rootAddress(other),
        NONE32,
        this.rand() < WEAK_CROSS_LINK ? EDGE_KIND.WEAK : EDGE_KIND.OTHER,
      );
    }
    const size = type === T.dict ? 232 + 48 * slots : type >= PY_TYPES.length ? 56 : 56 + 8 * slots;
    this.object(this.rootAddress(c), size, type, NONE32, slots);
    for (const leaf of leaves) this.leaf(leaf);
    for (let k = children.length - 1; k >= 0; k--) this.pending.push(children[k]!);
  }

  /** One slot of a container: dicts also reference their key string, as real dicts do. */
  private slot(type: number, k: number, target: number): void {
    const keys = this.strings;
    if (type === T.list || type === T.tuple) {
      this.edge(target, k, EDGE_KIND.INDEX);
    } else if (type === T.dict) {
      const key = this.zipf(keys.keys);
      this.edge(POPULAR_BASE + (keys.appClasses + key) * 32, NONE32, EDGE_KIND.DICT_KEY);
      this.edge(target, keys.keyBase + key, EDGE_KIND.DICT_VALUE);
    } else {
      this.edge(target, keys.keyBase + this.zipf(keys.keys), EDGE_KIND.ATTR);
    }
  }

  /** Popular objects: app classes first, then the dict-key strings, then constants and functions. */
  private popularObject(p: number): void {
    const keys = this.strings;
    const address = POPULAR_BASE + p * 32;
    if (p < keys.appClasses) this.object(address, 1072, T.type, NONE32, NONE32);
    else if (p < keys.appClasses + keys.keys) {
      const key = p - keys.appClasses;
      this.object(address, 53 + String(key).length, T.str, keys.keyBase + key, 4 + String(key).length);
    } else if (p % 3 === 0) this.object(address, 136, T.function, NONE32, NONE32);
    else this.object(address, 28, T.int, NONE32, NONE32);
  }

  private leaf(index: number): void {
    const address = LEAF_BASE + index * 32;
    const r = this.rand();
    if (r < 0.5) {
      const text = `value-${Math.floor(this.rand() * 1e9).toString(36)}`;
      this.labels.push(text);
      this.object(address, 49 + text.length, T.str, this.labelsWritten + this.labels.length - 1, text.length);
    } else if (r < 0.75) this.object(address, 28, T.int, NONE32, NONE32);
    else if (r < 0.9) this.object(address, 24, T.float, NONE32, NONE32);
    else {
      const len = Math.floor(this.rand() * 4000);
      this.object(address, 33 + len, T.bytes, NONE32, len);
    }
  }

  /** Unreachable objects: each points to the next, every third back to the first of its triple. */
  private garbageObject(g: number): void {
    const base = g - (g % 3);
    const target = g % 3 === 2 || g + 1 >= this.garbage ? base : g + 1;
    this.edge(GARBAGE_BASE + target * 64, NONE32, EDGE_KIND.OTHER);
    this.object(GARBAGE_BASE + g * 64, 56, PY_TYPES.length, NONE32, NONE32);
  }

  private edge(target: number, name: number, kind: number): void {
    this.edges.target.push(target);
    this.edges.name.push(name);
    this.edges.kind.push(kind);
  }

  /** Appends one object whose edges were just pushed (edges since the previous object). */
  private object(address: number, size: number, type: number, label: number, length: number): void {
    const o = this.chunkObjects;
    const k = this.fill++;
    o.address[k] = address;
    o.size[k] = size;
    o.type[k] = type;
    o.label[k] = label;
    o.length[k] = length;
    o.refcount[k] = this.rand() < HELD_FROM_C ? 1000 : 1;
    o.edgeCount[k] = this.edges.target.length - this.edgesBefore;
    o.flags[k] =
      type === T.str || type === T.int || type === T.float || type === T.bytes ? 0 : OBJ_FLAG.GC_TRACKED;
    this.edgesBefore = this.edges.target.length;
    this.written++;
    if (this.fill === this.chunk) this.flush();
  }

  private flush(): void {
    if (this.fill === 0) return;
    if (this.labels.length) {
      this.w.stringSection(this.labels);
      this.labelsWritten += this.labels.length;
      this.labels = [];
    }
    const o = this.chunkObjects;
    const m = this.fill;
    this.w.objectSection({
      address: o.address.subarray(0, m),
      size: o.size.subarray(0, m),
      type: o.type.subarray(0, m),
      label: o.label.subarray(0, m),
      refcount: o.refcount.subarray(0, m),
      length: o.length.subarray(0, m),
      edgeCount: o.edgeCount.subarray(0, m),
      flags: o.flags.subarray(0, m),
    });
    const e = this.edges;
    for (let k = 0; k < e.target.length; k += 262144) {
      this.w.edgeSection({
        target: e.target.slice(k, k + 262144),
        name: e.name.slice(k, k + 262144),
        kind: e.kind.slice(k, k + 262144),
      });
    }
    this.edgeTotal += e.target.length;
    this.edges = { target: [], name: [], kind: [] };
    this.edgesBefore = 0;
    this.fill = 0;
  }
}

function newObjectChunk(m: number): ObjectChunk {
  return {
    address: new Float64Array(m),
    size: new Float64Array(m),
    type: new Uint32Array(m),
    label: new Uint32Array(m).fill(NONE32),
    refcount: new Uint32Array(m),
    length: new Uint32Array(m),
    edgeCount: new Uint32Array(m),
    flags: new Uint16Array(m),
  };
}
