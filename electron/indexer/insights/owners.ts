// A finding's objects grouped by owner: each object's holder is the object referencing it on its
// shortest path from a root (GraphView.parentLink, as the leak analysis charges growth), and
// holders with one folded retainer path (leaks/signature.ts's folding: `[3]` → `[*]`, digits
// folded) reached by one folded edge are one owner — 2,000 per-session lists holding copies of one
// string read as one line. Paths are grouped by a numeric hash of their folded steps, memoized per
// node (no strings per object); the text shown is the Retainers panel's (GraphView.pathText) to the
// owner's largest holder, then the folded edge to the objects: `module app → ._CACHE → [*]`.
import type { InsightFinding, InsightOwner } from '../../shared/contract';
import type { GraphView } from '../diff/view';
import { foldDigits, foldEdge } from '../leaks/signature';
import { hexAddress } from '../query/rows';
import type { Candidate } from './kinds';

const MAX_OWNERS = 10;
const MAX_ADDRESSES = 20;
const MAX_DEPTH = 10_000;

interface OwnerTally {
  holder: number;
  edge: string;
  count: number;
  wasted: number;
  addresses: string[];
}

/** `['ORDERS'] → [257] → Order` → `['ORDERS'] → [*] → Order`: list positions and numeric keys. */
const foldIndices = (path: string) => path.replace(/\[-?\d+\]/g, '[*]');

const mix = (h: number, x: number) => Math.imul((h ^ x) >>> 0, 0x01000193) >>> 0;

function hashText(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = mix(h, text.charCodeAt(i));
  return h;
}

export class OwnerNamer {
  /** Folded edge text and its hash per link key (kind + name): decoded once per distinct label. */
  private readonly edges = new Map<number, { text: string; hash: number }>();
  /** Hash of each visited node's folded path from its root. */
  private readonly pathHash = new Map<number, number>();
  private readonly chain: number[] = [];
  private readonly chainEdge: number[] = [];

  constructor(private readonly view: GraphView) {}

  finding(c: Candidate): InsightFinding {
    return {
      kind: c.kind,
      title: c.title,
      type: c.type,
      count: c.count,
      wastedBytes: Math.round(c.wastedBytes),
      estimate: c.estimate,
      remedy: c.remedy,
      owners: this.owners(c),
      ownersOf: c.nodes.length,
      addresses: Array.from(c.nodes.subarray(0, MAX_ADDRESSES), (v) =>
        hexAddress(this.view.nodeIdx2Address[v]!),
      ),
    };
  }

  private owners(c: Candidate): InsightOwner[] {
    const view = this.view;
    const groups = new Map<number, OwnerTally>();
    for (let i = 0; i < c.nodes.length; i++) {
      const v = c.nodes[i]!;
      const holder = view.parentLink(v);
      // An object with no holder is itself a root (a module, held from C, a frame's local).
      const edge = holder === -1 ? null : this.edge(view.linkKey, view.linkEdge);
      const key = holder === -1 ? mix(this.hashOf(v), 1) : mix(this.hashOf(holder), edge!.hash);
      let t = groups.get(key);
      if (!t) {
        t = { holder, edge: edge?.text ?? '', count: 0, wasted: 0, addresses: [] };
        groups.set(key, t);
      }
      t.count++;
      t.wasted += c.nodeWaste[i]!;
      if (t.addresses.length < MAX_ADDRESSES) t.addresses.push(hexAddress(view.nodeIdx2Address[v]!));
      if (holder !== -1 && view.nodeIdx2Retained[holder]! > view.nodeIdx2Retained[t.holder]!)
        t.holder = holder;
    }
    return [...groups.values()]
      .sort((a, b) => b.wasted - a.wasted)
      .slice(0, MAX_OWNERS)
      .map((t) => ({
        // Indices folded as in the grouping: the owner is every holder reached this way, not one.
        path:
          t.holder === -1
            ? '(held directly by a root)'
            : `${foldIndices(view.pathText(t.holder))} → ${t.edge}`,
        holder: t.holder === -1 ? null : view.row(t.holder),
        count: t.count,
        wastedBytes: Math.round(t.wasted),
        addresses: t.addresses,
      }));
  }

  /** The folded path's hash: climb to a memoized node or a root, then hash back down (no recursion). */
  private hashOf(node: number): number {
    const view = this.view;
    const chain = this.chain;
    const chainEdge = this.chainEdge;
    chain.length = 0;
    chainEdge.length = 0;
    let u = node;
    let h: number;
    for (;;) {
      const known = this.pathHash.get(u);
      if (known !== undefined) {
        h = known;
        break;
      }
      const parent = view.parentLink(u);
      if (parent === -1 || chain.length > MAX_DEPTH) {
        h = hashText(foldDigits(view.rootLabel(u) ?? view.typeNames[view.nodeIdx2Type[u]!]!));
        this.pathHash.set(u, h);
        break;
      }
      chain.push(u);
      chainEdge.push(this.edge(view.linkKey, view.linkEdge).hash);
      u = parent;
    }
    for (let i = chain.length - 1; i >= 0; i--) {
      h = mix(mix(h, chainEdge[i]!), view.nodeIdx2Type[chain[i]!]!);
      this.pathHash.set(chain[i]!, h);
    }
    return h;
  }

  private edge(key: number, edge: number): { text: string; hash: number } {
    let e = this.edges.get(key);
    if (e === undefined) {
      const label = this.view.edgeLabelOf(edge);
      const text = foldEdge(label.text, label.kind);
      e = { text, hash: hashText(text) };
      this.edges.set(key, e);
    }
    return e;
  }
}
