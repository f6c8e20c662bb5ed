// Retainer paths: the k shortest chains of strong references from a root to an object, found
// backwards from the object over the retainer index. BFS distances from the roots are a consistent
// lower bound on how far a retainer still is from a root, so the search is A* with a bucket queue and
// usually touches little more than the path itself. Further paths come from repeating the search with
// one more node of an earlier path banned, on top of the nodes that path was found avoiding (a
// simplified Yen's algorithm), within a time budget that grows with k.
// Held-from-C and immortal objects are roots of last resort (graph/layout.ts `nodeIdx2RootTier`): a
// path starts at a root of the tier that reached the target and runs through nodes of that tier
// only, so an object that Python references reach is named by its Python owners.
import type { EdgeLabel, RetainerPath, RetainerPathStep } from '../../shared/contract';
import { EDGE_KIND } from '../format/spec';
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

/** Time and searches allowed per path asked for (the UI asks for more paths five at a time). */
const BUDGET_MS_PER_PATH = 8;
const SEARCHES_PER_PATH = 12;

/** Scratch arrays sized by node count, allocated on the first path query of a snapshot. */
export class PathFinder {
  private readonly seen: Uint32Array;
  /** Retainer position through which a node was reached (it refers to the node nearer the target). */
  private readonly via: Uint32Array;
  /** Best known number of steps from the target (valid where seen === epoch). */
  private readonly cost: Uint32Array;
  private epoch = 0;

  constructor(private readonly g: HeapGraph) {
    this.seen = new Uint32Array(g.nodeCount);
    this.via = new Uint32Array(g.nodeCount);
    this.cost = new Uint32Array(g.nodeCount);
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
    type Found = { path: number[]; bans: Set<number> };
    const found: Found[] = [];
    const keys = new Set<string>();
    const first = this.search(target, base, rootMask);
    if (!first) return [];
    found.push({ path: first, bans: base });
    keys.add(first.join(','));
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
        if (p && !keys.has(p.join(','))) {
          keys.add(p.join(','));
          candidates.push({ path: p, bans });
        }
      }
      candidates.sort((a, b) => a.path.length - b.path.length);
      const next = candidates.shift();
      if (next) found.push(next);
    }
    return found.slice(0, k).map((f) => this.render(f.path));
  }

  /** Shortest strong path root → … → target avoiding `bans`, as nodes root first; null if none. */
  private search(target: number, bans: Set<number>, rootMask: number): number[] | null {
    const g = this.g;
    const { firstRetainer, retainerSrc, retainerEdge, edgeKind, distance, nodeIdx2RootGroups: groups } = g;
    const tiers = g.nodeIdx2RootTier;
    const tier = tiers[target]!;
    // Reachable targets: a path root of the target's tier; garbage: a root of the unreachable group.
    const isRoot = (v: number) => (rootMask ? (groups[v]! & rootMask) !== 0 : isPathRoot(distance, v));
    const epoch = ++this.epoch;
    const { seen, via, cost } = this;
    const h = (v: number) => Math.max(0, distance[v]! - 2); // roots sit at distance 2 (super-root → group → root)
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
      for (let b = 0; b < bucket.length; b += 2) {
        const v = bucket[b]!;
        const gCost = bucket[b + 1]!;
        if (gCost !== cost[v]) continue; // a stale entry: v was reached more cheaply since
        if (isRoot(v)) return this.unwind(v, target);
        for (let r = firstRetainer[v]!; r < firstRetainer[v + 1]!; r++) {
          const u = retainerSrc[r]!;
          if (seen[u] === epoch && cost[u]! <= gCost + 1) continue;
          if (edgeKind[retainerEdge[r]!] === EDGE_KIND.WEAK || bans.has(u)) continue;
          if (tiers[u] !== tier) continue; // on no path from a root of the target's tier
          seen[u] = epoch;
          cost[u] = gCost + 1;
          via[u] = r;
          push(u, gCost + 1);
        }
      }
    }
    return null;
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

/**
 * `module app → ['_SESSION_CACHE'] → ['req-5'] → app.Session`: the root, each edge's label, then the
 * object's type. `.__dict__` followed by `['x']` reads `.x`; a module's `.__dict__` step is dropped
 * (module globals read `['NAME']`); an unnamed edge shows the type it leads to, as `<list>`.
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
    parts.push(edge.kind === 'other' ? `<${typeNameOf(g, path[i]!)}>` : edge.text);
  }
  if (path.length > 1) parts.push(typeNameOf(g, path[path.length - 1]!));
  return parts.join(' → ');
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
