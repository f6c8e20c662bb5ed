// A tiny graph builder for tests: describe objects and references by hand, get .pyheap bytes.
//   const g = new SnapshotBuilder();
//   const cache = g.node('dict', 232); const s = g.node('app.Session', 100);
//   g.edge(cache, s, 'dict-value', "'req-5'"); g.root(cache, 'module', 'app');
//   const bytes = g.toBytes();
import {
  EDGE_KIND,
  EDGE_KIND_NAMES,
  type EdgeKindName,
  NONE32,
  OBJ_FLAG,
  ROOT_KIND_NAMES,
  type RootKindName,
} from './spec';
import { memorySink, PyheapWriter } from './writer';

export interface NodeOptions {
  label?: string;
  /** Default: the number of strong references the builder's edges make to the node (no hidden holders). */
  refcount?: number;
  length?: number;
  flags?: number;
  /** Allocation traceback, most recent call last. */
  traceback?: { file: string; line: number }[];
}

export interface BuildOptions {
  compress?: boolean;
  /** Records per OBJS/EDGE chunk, to exercise chunk boundaries. */
  chunk?: number;
  meta?: Record<string, unknown>;
  /** Written as the INFO section (dump statistics, consistency keys) when given. */
  info?: Record<string, unknown>;
}

/** Address of builder node `i`: 16-byte spaced, as CPython's allocator would place small objects. */
export function builderAddress(i: number): number {
  return 0x7f3a00000000 + i * 16;
}

export class SnapshotBuilder {
  private readonly types: string[] = [];
  private readonly typeIds = new Map<string, number>();
  private readonly nodes: { type: number; size: number; opts: NodeOptions }[] = [];
  private readonly edges: { from: number; to: number; kind: number; name: string | number | null }[] = [];
  private readonly roots: { node: number; kind: number; label: string }[] = [];
  /** Edges to addresses that are not objects, to test dangling-edge counting. */
  private readonly dangling: { from: number; address: number }[] = [];

  /**
   * Adds an object of type `type` (module-qualified name) with shallow size `size`; returns its
   * number. `name@tag` is a TYPE record of its own named `name`: two records with one name, as a
   * class defined twice makes.
   */
  node(type: string, size: number, opts: NodeOptions = {}): number {
    let t = this.typeIds.get(type);
    if (t === undefined) {
      t = this.types.length;
      this.types.push(type);
      this.typeIds.set(type, t);
    }
    this.nodes.push({ type: t, size, opts });
    return this.nodes.length - 1;
  }

  /** A reference from `from` to `to`; `name` is the index for 'index' edges, a string otherwise. */
  edge(from: number, to: number, kind: EdgeKindName = 'other', name: string | number | null = null): this {
    this.edges.push({ from, to, kind: EDGE_KIND_NAMES.indexOf(kind), name });
    return this;
  }

  danglingEdge(from: number, address: number): this {
    this.dangling.push({ from, address });
    return this;
  }

  root(node: number, kind: RootKindName = 'module', label = ''): this {
    this.roots.push({ node, kind: ROOT_KIND_NAMES[kind], label });
    return this;
  }

  get size(): number {
    return this.nodes.length;
  }

  toBytes(options: BuildOptions = {}): Uint8Array {
    const out = memorySink();
    const w = new PyheapWriter(out.sink, { compress: options.compress ?? false });
    w.meta({
      python: { version: '3.12.1', implementation: 'cpython' },
      pid: 42,
      argv: ['test.py'],
      ...options.meta,
    });
    this.writeBody(w, options.chunk ?? 1000);
    if (options.info) w.info(options.info);
    w.end();
    return out.bytes();
  }

  /** Everything between META and END; exposed so tests can write broken files. */
  writeBody(w: PyheapWriter, chunk: number): void {
    const strings: string[] = [];
    const ids = new Map<string, number>();
    const str = (s: string) => {
      let id = ids.get(s);
      if (id === undefined) {
        id = strings.length;
        strings.push(s);
        ids.set(s, id);
      }
      return id;
    };
    const typeNames = this.types.map((t) => str(t.replace(/@.*$/, '')));
    const tracebacks: [number, number][][] = [];
    const allocNodes: number[] = [];
    const allocIds: number[] = [];
    for (let i = 0; i < this.nodes.length; i++) {
      const tb = this.nodes[i]!.opts.traceback;
      if (!tb) continue;
      allocNodes.push(builderAddress(i));
      allocIds.push(tracebacks.length);
      tracebacks.push(tb.map((f) => [str(f.file), f.line]));
    }
    const nodeLabels = this.nodes.map((n) => (n.opts.label === undefined ? NONE32 : str(n.opts.label)));
    const edgeNames = this.edges.map((e) =>
      e.kind === EDGE_KIND.INDEX ? Number(e.name ?? 0) : e.name === null ? NONE32 : str(String(e.name)),
    );
    const rootLabels = this.roots.map((r) => str(r.label));
    w.stringSection(strings);
    w.typeSection(
      this.types.map((_, i) => 0x5600000000 + i * 1024),
      typeNames,
    );
    this.writeObjects(w, chunk, nodeLabels);
    this.writeEdges(w, chunk, edgeNames);
    if (this.roots.length) {
      w.rootSection(
        this.roots.map((r) => builderAddress(r.node)),
        rootLabels,
        this.roots.map((r) => r.kind),
      );
    }
    if (tracebacks.length) {
      w.tracebackSection(tracebacks);
      w.allocationSection(allocNodes, allocIds);
    }
  }

  /** Edges sorted by source (stable), as the format requires; dangling edges last per source. */
  private sortedEdges(names: number[]): { target: number; name: number; kind: number; from: number }[] {
    const all = this.edges.map((e, i) => ({
      target: builderAddress(e.to),
      name: names[i]!,
      kind: e.kind,
      from: e.from,
    }));
    for (const d of this.dangling)
      all.push({ target: d.address, name: NONE32, kind: EDGE_KIND.OTHER, from: d.from });
    return all
      .map((e, i) => ({ e, i }))
      .sort((a, b) => a.e.from - b.e.from || a.i - b.i)
      .map((x) => x.e);
  }

  private writeObjects(w: PyheapWriter, chunk: number, labels: number[]): void {
    const n = this.nodes.length;
    const outCount = new Array<number>(n).fill(0);
    const inStrong = new Array<number>(n).fill(0);
    for (const e of this.edges) {
      outCount[e.from]!++;
      if (e.kind !== EDGE_KIND.WEAK) inStrong[e.to]!++;
    }
    for (const d of this.dangling) outCount[d.from]!++;
    for (let start = 0; start < n || start === 0; start += chunk) {
      const end = Math.min(n, start + chunk);
      const idx = Array.from({ length: end - start }, (_, k) => start + k);
      const nodes = idx.map((i) => this.nodes[i]!);
      w.objectSection({
        address: idx.map(builderAddress),
        size: nodes.map((x) => x.size),
        type: nodes.map((x) => x.type),
        label: idx.map((i) => labels[i]!),
        refcount: idx.map((i) => this.nodes[i]!.opts.refcount ?? inStrong[i]!),
        length: nodes.map((x) => x.opts.length ?? NONE32),
        edgeCount: idx.map((i) => outCount[i]!),
        flags: nodes.map((x) => x.opts.flags ?? OBJ_FLAG.GC_TRACKED),
      });
      if (n === 0) break;
    }
  }

  private writeEdges(w: PyheapWriter, chunk: number, names: number[]): void {
    const edges = this.sortedEdges(names);
    for (let start = 0; start < edges.length; start += chunk) {
      const part = edges.slice(start, start + chunk);
      w.edgeSection({
        target: part.map((e) => e.target),
        name: part.map((e) => e.name),
        kind: part.map((e) => e.kind),
      });
    }
  }
}
