// Retainer paths: the k best chains of strong references from a root to an object, found backwards
// from the object over the retainer index. BFS distances from the roots are a consistent lower bound
// on how far a retainer still is from a root, so the search is A* with a bucket queue and usually
// touches little more than the path itself. Further paths come from repeating the search with one
// more node of an earlier path banned, on top of the nodes that path was found avoiding (a
// simplified Yen's algorithm), within a time budget that grows with k.
// Ranking is a cost, not a special case: each step costs STEP (8), plus UNNAMED (1) when its edge
// has no name (kind OTHER, or an INTERNAL edge without a name), plus INTERNAL (2) when the node it
// enters is the interpreter's: a code object (`.co_consts`), a stdlib module or a '_'-prefixed one
// other than `__main__` (stdlib-modules.ts), or, where the path starts, a root that only C or the
// interpreter holds (a module C also holds is still the program's), or a thread's frame running
// stdlib code (`threading._bootstrap`'s `self` is how every Thread is held; the user's own frame of
// the same thread, or the module global, names it). Penalties are ≥ 0, so STEP × BFS distance stays an admissible, consistent bound.
// "Near-equal", exactly: paths of equal length order by penalty; a path d steps longer ranks first
// only when the shorter one carries more than 8·d extra penalty. A step carries at most 3, so one
// step longer wins only over a shorter path of ≥ 3 steps that is nearly all unnamed and internal,
// and a path of L steps never loses to one L·3/8 steps longer or more. Why 8 and 1/2: a user module's
// named path should beat an anonymous interpreter chain one step shorter, but never bury a path
// that is much shorter (the one a user can act on); small integers keep the bucket queue exact.
// Held-from-C and immortal objects are roots of last resort (graph/layout.ts `nodeIdx2RootTier`): a
// path starts at a root of the tier that reached the target and runs through nodes of that tier
// only, so an object that Python references reach is named by its Python owners.
import type { EdgeLabel, RetainerPath, RetainerPathStep } from '../../shared/contract';
import { EDGE_KIND, NONE32 } from '../format/spec';
import type { HeapGraph } from '../graph/heap-graph';
import {
  FIRST_OBJECT,
  FIRST_RESORT_MASK,
  GROUP_HELD_FROM_C,
  GROUP_INTERPRETER,
  GROUP_NAMES,
  GROUP_UNREACHABLE,
  groupBit,
  isPathRoot,
  REAL_GROUPS,
} from '../graph/layout';
import { edgeLabel, labelOf, objectRow, typeNameOf } from './rows';
import { STDLIB_TOP_LEVEL } from './stdlib-modules';

/** Time and searches allowed per path asked for (the UI asks for more paths five at a time). */
const BUDGET_MS_PER_PATH = 8;
const SEARCHES_PER_PATH = 12;
const STEP = 8;
const UNNAMED = 1;
const INTERNAL = 2;
/** Held from C or kept by the interpreter: roots that are the interpreter's, not the program's. */
const INTERNAL_GROUPS = groupBit(GROUP_HELD_FROM_C) | groupBit(GROUP_INTERPRETER);
/** typePenalty value: decided per object by its module name. */
const BY_MODULE_NAME = 255;
/** typePenalty value: decided per frame, where it is a path's root, by the file its code is in. */
const BY_FRAME_FILE = 254;

/** Scratch arrays sized by node count, allocated on the first path query of a snapshot. */
export class PathFinder {
  private readonly seen: Uint32Array;
  /** Retainer position through which a node was reached (it refers to the node nearer the target). */
  private readonly via: Uint32Array;
  /** Best known number of steps from the target (valid where seen === epoch). */
  private readonly cost: Uint32Array;
  private epoch = 0;
  /** Penalty of entering an object, by type index: INTERNAL for code objects, BY_MODULE_NAME for modules. */
  private readonly typePenalty: Uint8Array;
  /** Penalty of a module, by its label's string id (modules are few; looked up on first visit). */
  private readonly modulePenalty = new Map<number, number>();
  /** Penalty of a root frame, by its label's string id (`name file:line`). */
  private readonly framePenalty = new Map<number, number>();

  constructor(private readonly g: HeapGraph) {
    this.seen = new Uint32Array(g.nodeCount);
    this.via = new Uint32Array(g.nodeCount);
    this.cost = new Uint32Array(g.nodeCount);
    const { names, typeIdx2Name } = g.types;
    this.typePenalty = new Uint8Array(typeIdx2Name.length);
    for (let t = 0; t < typeIdx2Name.length; t++) {
      const name = names[typeIdx2Name[t]!];
      this.typePenalty[t] =
        name === 'code'
          ? INTERNAL
          : name === 'module'
            ? BY_MODULE_NAME
            : name === 'frame'
              ? BY_FRAME_FILE
              : 0;
    }
  }

  /**
   * Extra cost of a path entering `v` (besides STEP and the edge's own penalty). Held from C counts
   * only where the path starts and only C holds it: an object Python also holds is no less the program's.
   */
  private nodePenalty(v: number, root: boolean): number {
    const g = this.g;
    if (v < FIRST_OBJECT) return 0;
    // A root is the interpreter's only when no other group made it one: a module C also holds is the program's.
    const groups = g.nodeIdx2RootGroups[v]!;
    if (root && groups !== 0 && (groups & ~INTERNAL_GROUPS) === 0) return INTERNAL;
    const p = this.typePenalty[g.type[v]!]!;
    if (p === BY_FRAME_FILE) return root ? this.rootFramePenalty(v) : 0;
    if (p !== BY_MODULE_NAME) return p;
    const id = g.label[v]!;
    let known = this.modulePenalty.get(id);
    if (known === undefined) {
      known = isInterpreterModule(id === NONE32 ? '' : g.strings.get(id)) ? INTERNAL : 0;
      this.modulePenalty.set(id, known);
    }
    return known;
  }

  private rootFramePenalty(v: number): number {
    const g = this.g;
    const id = g.label[v]!;
    let known = this.framePenalty.get(id);
    if (known === undefined) {
      const file = /^\S+ (.*):\d+$/.exec(id === NONE32 ? '' : g.strings.get(id));
      known = file && isStdlibFile(file[1]!) ? INTERNAL : 0;
      this.framePenalty.set(id, known);
    }
    return known;
  }

  paths(target: number, k: number, ignore: readonly number[]): RetainerPath[] {
    const g = this.g;
    if (target < FIRST_OBJECT) return [];
    const rootMask = g.distance[target] === -1 ? groupBit(GROUP_UNREACHABLE) : 0;
    const started = performance.now();
    const budgetMs = Math.max(40, BUDGET_MS_PER_PATH * k);
    const maxSearches = Math.max(60, SEARCHES_PER_PATH * k);
    const base = new Set(ignore.filter((v) => v !== target));
    /** Each path with the nodes it was found avoiding: its deviations avoid those and one more. */
    type Found = { path: number[]; cost: number; bans: Set<number> };
    const found: Found[] = [];
    const keys = new Set<string>();
    const first = this.search(target, base, rootMask);
    if (!first) return [];
    found.push({ ...first, bans: base });
    keys.add(first.path.join(','));
    let searches = 1;
    const candidates: Found[] = [];
    for (let newest = 0; newest < found.length && found.length < k; newest++) {
      // Deviations of the newest path: ban each of its nodes but the target in turn. Keeping the
      // bans that led to it means a deviation cannot fall back to an earlier path: with only one
      // node banned, a heap whose paths share one dict (a module's globals) gave two or three.
      const { path, bans: pathBans } = found[newest]!;
      for (let i = 0; i < path.length - 1 && searches < maxSearches; i++) {
        if (performance.now() - started > budgetMs) break;
        const bans = new Set(pathBans);
        bans.add(path[i]!);
        const p = this.search(target, bans, rootMask);
        searches++;
        if (p && !keys.has(p.path.join(','))) {
          keys.add(p.path.join(','));
          candidates.push({ ...p, bans });
        }
      }
      candidates.sort(
        (a, b) => a.cost - b.cost || compareText(this.rootKey(a.path[0]!), this.rootKey(b.path[0]!)),
      );
      const next = candidates.shift();
      if (next) found.push(next);
    }
    return found.slice(0, k).map((f) => this.render(f.path));
  }

  /** Cheapest strong path root → … → target avoiding `bans`, as nodes root first; null if none. */
  private search(target: number, bans: Set<number>, rootMask: number): Searched | null {
    const g = this.g;
    const {
      firstRetainer,
      retainerSrc,
      retainerEdge,
      edgeKind,
      edgeName,
      distance,
      nodeIdx2RootGroups: groups,
    } = g;
    const tiers = g.nodeIdx2RootTier;
    const tier = tiers[target]!;
    // Reachable targets: a path root of the target's tier; garbage: a root of the unreachable group.
    const isRoot = (v: number) => (rootMask ? (groups[v]! & rootMask) !== 0 : isPathRoot(distance, v));
    const epoch = ++this.epoch;
    const { seen, via, cost } = this;
    // Roots sit at distance 2 (super-root → group → root); every step costs at least STEP.
    const h = (v: number) => STEP * Math.max(0, distance[v]! - 2);
    const buckets: number[][] = [];
    const push = (v: number, gCost: number) => {
      const f = gCost + h(v);
      const bucket = buckets[f];
      if (bucket) bucket.push(v, gCost);
      else buckets[f] = [v, gCost];
    };
    seen[target] = epoch;
    cost[target] = 0;
    push(target, 0);
    for (let f = 0; f < buckets.length; f++) {
      const bucket = buckets[f];
      if (!bucket) continue;
      // Roots reached at this cost: the whole bucket is taken, so that which of several equally
      // good roots names the path is decided by their names, not by the file's node order (which
      // differs between captures: `state.SESSIONS` in one snapshot, `handlers.SESSIONS` imported
      // from it in the next). A root's cost is final when popped (consistent heuristic).
      let best = -1;
      for (let b = 0; b < bucket.length; b += 2) {
        const v = bucket[b]!;
        const gCost = bucket[b + 1]!;
        if (gCost !== cost[v]) continue; // a stale entry: v was reached more cheaply since
        if (isRoot(v)) {
          if (best < 0 || this.rootKey(v) < this.rootKey(best)) best = v;
          continue;
        }
        for (let r = firstRetainer[v]!; r < firstRetainer[v + 1]!; r++) {
          const u = retainerSrc[r]!;
          const e = retainerEdge[r]!;
          const kind = edgeKind[e]!;
          if (kind === EDGE_KIND.WEAK || bans.has(u)) continue;
          if (tiers[u] !== tier) continue; // on no path from a root of the target's tier
          const unnamed = kind === EDGE_KIND.OTHER || (kind === EDGE_KIND.INTERNAL && edgeName[e] === NONE32);
          // The step u → v: its edge's penalty, and u's own (u is entered when read root first).
          const c = gCost + STEP + (unnamed ? UNNAMED : 0) + this.nodePenalty(u, isRoot(u));
          if (seen[u] === epoch && cost[u]! <= c) continue;
          seen[u] = epoch;
          cost[u] = c;
          via[u] = r;
          push(u, c);
        }
      }
      if (best >= 0) return { path: this.unwind(best, target), cost: cost[best]! };
    }
    return null;
  }

  /**
   * How a path root sorts among equally good ones: by its root group first (a module before a
   * thread's frame, whose `.f_globals` reach the same globals: `module __main__ → ['X']` reads
   * better than `frame <module> … → .f_globals → ['X']`), then by what it is called (`module
   * app`, `frame run app.py:19`): stable across captures, unlike its index.
   */
  private rootKey(v: number): string {
    const g = this.g;
    const groups = g.nodeIdx2RootGroups[v]!;
    const lowest = groups & -groups; // groupBit of the lowest group number: GROUP_MODULE first
    const label = g.label[v]!;
    return `${String(lowest).padStart(4, '0')} ${typeNameOf(g, v)} ${label === NONE32 ? '' : g.strings.get(label)}`;
  }

  private unwind(root: number, target: number): number[] {
    const g = this.g;
    const path = [root];
    let v = root;
    while (v !== target) {
      v = g.edgeTarget[g.retainerEdge[this.via[v]!]!]!;
      path.push(v);
    }
    return path;
  }

  private render(path: number[]): RetainerPath {
    const g = this.g;
    const steps: RetainerPathStep[] = path.map((v, i) => ({
      node: objectRow(g, v),
      edge: i === 0 ? null : edgeLabel(g, g.retainerEdge[this.viaFor(path[i - 1]!, v)]!),
    }));
    return { steps, text: pathText(g, path, steps) };
  }

  /** The retainer position of the first strong edge from `u` to `v`. */
  private viaFor(u: number, v: number): number {
    const g = this.g;
    for (let r = g.firstRetainer[v]!; r < g.firstRetainer[v + 1]!; r++) {
      if (g.retainerSrc[r] === u && g.edgeKind[g.retainerEdge[r]!] !== EDGE_KIND.WEAK) return r;
    }
    return g.firstRetainer[v]!;
  }
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** A path found by one search, with its cost (paths.ts header). */
interface Searched {
  path: number[];
  cost: number;
}

/** A module of the interpreter's: stdlib by top-level name, or '_'-prefixed (`_frozen_importlib`) but `__main__`. */
export function isInterpreterModule(name: string): boolean {
  const top = name.split('.', 1)[0]!;
  if (top === '__main__') return false;
  return top.startsWith('_') || STDLIB_TOP_LEVEL.has(top);
}

/**
 * A file of the standard library: `…/lib/python3.13/threading.py`, `…\\Lib\\asyncio\\events.py`
 * (a stdlib top-level name right under the interpreter's lib folder; site-packages is not one).
 */
export function isStdlibFile(file: string): boolean {
  const m = /[\\/]lib[\\/](?:python3(?:\.\d+)?t?[\\/])?([^\\/]+)/i.exec(file);
  return m !== null && STDLIB_TOP_LEVEL.has(m[1]!.replace(/\.py$/, ''));
}

/**
 * `module app → ['_SESSION_CACHE'] → ['req-5'] → app.Session`: the root, each edge's label, then the
 * object's type. `.__dict__` followed by `['x']` reads `.x`; a module's `.__dict__` step is dropped
 * (module globals read `['NAME']`); an unnamed edge shows the type it leads to, as `<list>`. A
 * closure variable reads `closure history of make_logger.<locals>.audit`, once: the function's
 * `.__closure__` tuple and the cell's own step to its contents say nothing more.
 */
export function pathText(g: HeapGraph, path: number[], steps: RetainerPathStep[]): string {
  const parts = [rootText(g, path[0]!)];
  for (let i = 1; i < steps.length; i++) {
    const edge = steps[i]!.edge!;
    const next = steps[i + 1]?.edge ?? null;
    if (isDictHop(edge) && next?.kind === 'dict-value') {
      if (typeNameOf(g, path[i - 1]!) === 'module') continue;
      steps[i + 1] = { ...steps[i + 1]!, edge: foldAttribute(next) };
      continue;
    }
    if (edge.kind === 'internal' && edge.name === '__closure__' && next?.kind === 'closure') continue;
    if (edge.kind === 'closure') {
      const before = steps[i - 1]?.edge;
      // A cell's step to its contents repeats the variable its function's step named.
      if (typeNameOf(g, path[i - 1]!) === 'cell' && before?.kind === 'closure' && before.name === edge.name)
        continue;
      parts.push(closureText(g, path, steps, i));
      continue;
    }
    parts.push(edge.kind === 'other' ? `<${typeNameOf(g, path[i]!)}>` : edge.text);
  }
  if (path.length > 1) parts.push(typeNameOf(g, path[path.length - 1]!));
  return parts.join(' → ');
}

/** `closure x of f`: step `i` is a closure edge from function f, or from f's `__closure__` tuple. */
function closureText(g: HeapGraph, path: number[], steps: RetainerPathStep[], i: number): string {
  const edge = steps[i]!.edge!;
  const viaTuple = steps[i - 1]?.edge?.kind === 'internal' && steps[i - 1]!.edge!.name === '__closure__';
  const owner = viaTuple ? path[i - 2] : path[i - 1];
  const fn = owner === undefined ? '' : labelOf(g, owner);
  const variable = edge.name ? `closure ${edge.name}` : 'closure';
  return fn !== '' && typeNameOf(g, owner!) === 'function' ? `${variable} of ${fn}` : variable;
}

function isDictHop(edge: EdgeLabel): boolean {
  return edge.kind === 'internal' && edge.name === '__dict__';
}

/** `['x']` with an identifier key becomes `.x`; other keys stay as they are. */
function foldAttribute(edge: EdgeLabel): EdgeLabel {
  const m = /^'([A-Za-z_][A-Za-z0-9_]*)'$/.exec(edge.name);
  return m ? { ...edge, text: `.${m[1]}` } : edge;
}

function rootText(g: HeapGraph, v: number): string {
  const type = typeNameOf(g, v);
  const label = labelOf(g, v);
  const base = label ? `${type} ${label}` : type;
  const bits = g.nodeIdx2RootGroups[v]!;
  if (g.distance[v] === -1) return `${base} (${GROUP_NAMES[GROUP_UNREACHABLE]})`;
  // A root is named by the groups that made it one: the last-resort groups only when no other did.
  const first = REAL_GROUPS.filter((gr) => bits & FIRST_RESORT_MASK & groupBit(gr));
  if (first.length > 1 || first[0] === 1 || first[0] === 2) return base;
  if (first.length === 1) return `${base} (${GROUP_NAMES[first[0]!]})`;
  if (bits & groupBit(GROUP_HELD_FROM_C)) return `${base} (${GROUP_NAMES[GROUP_HELD_FROM_C]})`;
  if (bits & groupBit(GROUP_INTERPRETER)) return `${base} (kept by the interpreter)`;
  return base;
}
