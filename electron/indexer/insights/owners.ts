// A finding's objects grouped by owner, every object counted: each object's holder is the object
// referencing it on its shortest path from a root (GraphView.parentLink, as the leak analysis
// charges growth), and holders with one folded retainer path (leaks/signature.ts's folding: `[3]`
// → `[*]`, digits folded) reached by one folded edge are one owner — 2,000 per-session lists
// holding copies of one string read as one line. Paths are grouped by a numeric hash of their
// folded steps, memoized per node in a typed array (edge labels hashed from the string table's
// bytes: fold-hash.ts), and owners are counted in an open-addressing table: nothing is allocated
// per object. The text shown is the Retainers panel's (GraphView.pathText) to the owner's largest
// holder, then the folded edge to the objects: `module app → ._CACHE → [*]`.
import type { InsightFinding, InsightOwner } from '../../shared/contract';
import type { GraphView } from '../diff/view';
import type { HeapGraph } from '../graph/heap-graph';
import { foldDigits, foldEdge } from '../leaks/signature';
import { hexAddress } from '../query/rows';
import { EdgeFoldHasher, fnv, hashUtf8 } from './fold-hash';
import type { Candidate, Members } from './kinds';

/** Owners listed with a finding; the rest are summed in `otherOwners`. */
export const MAX_OWNERS = 10;
const MAX_ADDRESSES = 20;
const MAX_DEPTH = 10_000;
/** Group keys of holderless objects: roots themselves, or unreachable cyclic garbage. */
const ROOT = 1;
const UNREACHABLE = 2;

/** `['ORDERS'] → [257] → Order` → `['ORDERS'] → [*] → Order`: list positions and numeric keys. */
const foldIndices = (path: string) => path.replace(/\[-?\d+\]/g, '[*]');

/** A finding's owner groups, largest first: column arrays indexed by group, `order` ranks them. */
export interface OwnerGroups {
  members: Members;
  /** Group of each member. */
  groupOf: Uint32Array;
  order: Uint32Array;
  /** The group's holder with the largest retained size (-1: the objects are roots themselves). */
  holder: Int32Array;
  /** The edge from the first holder to its object (its folded text names the group's edge). */
  edge: Int32Array;
  count: Uint32Array;
  wasted: Float64Array;
}

export class OwnerNamer {
  /** Folded path hash per node, 0 while unknown (a real 0 is stored as 1); allocated on first use. */
  private pathHashes: Uint32Array | null = null;
  private readonly edgeHasher: EdgeFoldHasher;
  /** Edge kinds hashed from text (few edges), by the view's edge key. */
  private readonly textEdgeHash = new Map<number, number>();
  private readonly chain: number[] = [];
  private readonly chainEdge: number[] = [];

  constructor(
    private readonly g: HeapGraph,
    private readonly view: GraphView,
  ) {
    this.edgeHasher = new EdgeFoldHasher(g.strings.bytes(), g.strings.offsets);
  }

  /** The finding with its first `MAX_OWNERS` owners and the rest summed. */
  finding(c: Candidate): InsightFinding {
    const groups = this.group(c);
    const shown = Math.min(MAX_OWNERS, groups.order.length);
    const owners = this.owners(groups, 0, shown);
    let count = 0;
    let wasted = 0;
    for (let r = shown; r < groups.order.length; r++) {
      count += groups.count[groups.order[r]!]!;
      wasted += groups.wasted[groups.order[r]!]!;
    }
    const { nodes } = groups.members;
    return {
      ...unnamed(c),
      owners,
      ownersOf: nodes.length,
      otherOwners: { owners: groups.order.length - shown, count, wastedBytes: Math.round(wasted) },
      addresses: Array.from(nodes.subarray(0, MAX_ADDRESSES), (v) =>
        hexAddress(this.view.nodeIdx2Address[v]!),
      ),
    };
  }

  /** Every member of `c` (a finding, or all of a kind's: Ranked.allMembers) in an owner group. */
  group(c: Pick<Candidate, 'members'>): OwnerGroups {
    const members = c.members();
    const { nodes, nodeWaste } = members;
    const view = this.view;
    const retained = view.nodeIdx2Retained;
    const table = new GroupTable();
    const groupOf = new Uint32Array(nodes.length);
    const holder: number[] = [];
    const edge: number[] = [];
    const count: number[] = [];
    const wasted: number[] = [];
    for (let i = 0; i < nodes.length; i++) {
      const v = nodes[i]!;
      const h = view.parentLink(v);
      const link = view.linkEdge;
      // An object with no holder is itself a root (a module, held from C, a frame's local), or
      // cyclic garbage no root reaches (distance -1: dumped without a collection first).
      const key =
        h === -1
          ? fnv(this.hashOf(v), this.g.distance[v]! < 0 ? UNREACHABLE : ROOT)
          : fnv(this.hashOf(h), this.edgeHash(link));
      const q = table.find(key, holder.length);
      if (q === holder.length) {
        holder.push(h);
        edge.push(link);
        count.push(0);
        wasted.push(0);
      }
      groupOf[i] = q;
      count[q]!++;
      wasted[q]! += nodeWaste[i]!;
      if (h !== -1 && retained[h]! > retained[holder[q]!]!) holder[q] = h;
    }
    const order = Uint32Array.from(holder.keys()).sort((a, b) => wasted[b]! - wasted[a]! || a - b);
    return {
      members,
      groupOf,
      order,
      holder: Int32Array.from(holder),
      edge: Int32Array.from(edge),
      count: Uint32Array.from(count),
      wasted: Float64Array.from(wasted),
    };
  }

  /** Owners of ranks [start, end), with up to 20 of each one's objects' addresses. */
  owners(groups: OwnerGroups, start: number, end: number): InsightOwner[] {
    const view = this.view;
    const rankOf = new Map<number, number>();
    for (let r = start; r < end; r++) rankOf.set(groups.order[r]!, r - start);
    const addresses: string[][] = Array.from({ length: end - start }, () => []);
    const first = new Int32Array(end - start).fill(-1);
    const { nodes } = groups.members;
    let full = 0;
    for (let i = 0; i < nodes.length && full < addresses.length; i++) {
      const r = rankOf.get(groups.groupOf[i]!);
      if (r === undefined || addresses[r]!.length >= MAX_ADDRESSES) continue;
      if (first[r] === -1) first[r] = nodes[i]!;
      addresses[r]!.push(hexAddress(view.nodeIdx2Address[nodes[i]!]!));
      if (addresses[r]!.length === MAX_ADDRESSES) full++;
    }
    return addresses.map((list, k) => {
      const q = groups.order[start + k]!;
      const h = groups.holder[q]!;
      return {
        // Indices folded as in the grouping: the owner is every holder reached this way, not one.
        path:
          h !== -1
            ? this.ownerPath(h, groups.edge[q]!)
            : this.g.distance[first[k]!]! < 0
              ? '(unreachable: cyclic garbage, freed by the next gc.collect())'
              : '(held directly by a root)',
        holder: h === -1 ? null : view.row(h),
        count: groups.count[q]!,
        wastedBytes: Math.round(groups.wasted[q]!),
        addresses: list,
      };
    });
  }

  private edgeText(edge: number): string {
    const label = this.view.edgeLabelOf(edge);
    return foldEdge(label.text, label.kind);
  }

  /**
   * The holder's path, then the edge to the objects. A key of a namespace dict reads as the
   * Retainers panel reads it: `… → app.Session → .token`, `module app → ['CACHE']` (not `→ .__dict__
   * → dict → ['token']`, which 3.8–3.10 instances, whose dicts always exist, would show).
   */
  private ownerPath(h: number, edge: number): string {
    const view = this.view;
    const last = view.edgeLabelOf(edge);
    if (last.kind === 'dict-value') {
      const owner = view.parentLink(h);
      const hop = view.linkEdge;
      if (
        owner !== -1 &&
        hop !== -1 &&
        view.edgeLabelOf(hop).text === '.__dict__' &&
        view.edgeKindOf(hop) === 'internal'
      ) {
        const key = foldEdge(last.text, last.kind);
        const attr = /^\['([A-Za-z_][A-Za-z0-9_]*)'\]$/.exec(key);
        const isModule = view.typeNames[view.nodeIdx2Type[owner]!] === 'module';
        return `${foldIndices(view.pathText(owner))} → ${attr && !isModule ? `.${attr[1]}` : key}`;
      }
    }
    return `${foldIndices(view.pathText(h))} → ${this.lastStepText(edge)}`;
  }

  /** The last step's text: an unnamed edge reads as the type it leads to (`<dict>`), as in pathText. */
  private lastStepText(edge: number): string {
    if (this.view.edgeLabelOf(edge).kind !== 'other') return this.edgeText(edge);
    const target = this.g.edgeTarget[edge]!;
    return `<${this.view.typeNames[this.view.nodeIdx2Type[target]!]!}>`;
  }

  private edgeHash(edge: number): number {
    const h = this.edgeHasher.hash(this.g.edgeKind[edge]!, this.g.edgeName[edge]!);
    if (h !== -1) return h;
    const key = this.view.edgeKey(edge);
    let t = this.textEdgeHash.get(key);
    if (t === undefined) {
      t = hashUtf8(this.edgeText(edge));
      this.textEdgeHash.set(key, t);
    }
    return t;
  }

  /** The folded path's hash: climb to a memoized node or a root, then hash back down (no recursion). */
  private hashOf(node: number): number {
    const view = this.view;
    const { chain, chainEdge } = this;
    this.pathHashes ??= new Uint32Array(view.nodeCount);
    const pathHash = this.pathHashes;
    chain.length = 0;
    chainEdge.length = 0;
    let u = node;
    let h: number;
    for (;;) {
      const known = pathHash[u]!;
      if (known !== 0) {
        h = known;
        break;
      }
      const parent = view.parentLink(u);
      if (parent === -1 || chain.length > MAX_DEPTH) {
        h = hashUtf8(foldDigits(view.rootLabel(u) ?? view.typeNames[view.nodeIdx2Type[u]!]!)) || 1;
        pathHash[u] = h;
        break;
      }
      chain.push(u);
      chainEdge.push(this.edgeHash(view.linkEdge));
      u = parent;
    }
    for (let i = chain.length - 1; i >= 0; i--) {
      h = fnv(fnv(h, chainEdge[i]!), view.nodeIdx2Type[chain[i]!]!) || 1;
      pathHash[chain[i]!] = h;
    }
    return h;
  }
}

/** Owner keys → group numbers by linear probing over typed arrays, doubling as groups are added. */
class GroupTable {
  private keys = new Uint32Array(64);
  private groups = new Int32Array(64).fill(-1);
  private used = 0;

  /** The group of `key`, or `next` (then taken) when the key is new. */
  find(key: number, next: number): number {
    let mask = this.keys.length - 1;
    let slot = Math.imul(key, 0x9e3779b1) >>> 0;
    for (slot &= mask; ; slot = (slot + 1) & mask) {
      const q = this.groups[slot]!;
      if (q === -1) break;
      if (this.keys[slot] === key) return q;
    }
    if (this.used * 2 >= mask) {
      this.grow();
      mask = this.keys.length - 1;
      slot = Math.imul(key, 0x9e3779b1) >>> 0;
      for (slot &= mask; this.groups[slot] !== -1; slot = (slot + 1) & mask);
    }
    this.keys[slot] = key;
    this.groups[slot] = next;
    this.used++;
    return next;
  }

  private grow(): void {
    const { keys, groups } = this;
    this.keys = new Uint32Array(keys.length * 2);
    this.groups = new Int32Array(keys.length * 2).fill(-1);
    const mask = this.keys.length - 1;
    for (let s = 0; s < keys.length; s++) {
      if (groups[s] === -1) continue;
      let slot = (Math.imul(keys[s]!, 0x9e3779b1) >>> 0) & mask;
      while (this.groups[slot] !== -1) slot = (slot + 1) & mask;
      this.keys[slot] = keys[s]!;
      this.groups[slot] = groups[s]!;
    }
  }
}

/** A finding without its owners (named on request): `owners` empty and `ownersOf` 0. */
export function unnamed(c: Candidate): InsightFinding {
  return {
    kind: c.kind,
    title: c.title,
    type: c.type,
    count: c.count,
    wastedBytes: Math.round(c.wastedBytes),
    estimate: c.estimate,
    remedy: c.remedy,
    owners: [],
    ownersOf: 0,
    otherOwners: { owners: 0, count: 0, wastedBytes: 0 },
    addresses: [],
  };
}
