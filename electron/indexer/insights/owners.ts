// A finding's objects grouped by owner: each object's holder is the object referencing it on its
// shortest path from a root (GraphView.parentLink, as the leak analysis charges growth), and
// holders with one folded retainer path (leaks/signature.ts: `[3]` → `[*]`, digits folded) reached
// by one folded edge are one owner — 2,000 per-session lists holding copies of one string read as
// one line. The path shown is the Retainers panel's (GraphView.pathText) to the owner's largest
// holder, then the folded edge to the objects: `module app → ._CACHE → [*]`.
import type { InsightFinding, InsightOwner } from '../../shared/contract';
import type { GraphView } from '../diff/view';
import { foldEdge, Signatures } from '../leaks/signature';
import { hexAddress } from '../query/rows';
import type { Candidate } from './kinds';

const MAX_OWNERS = 10;
const MAX_ADDRESSES = 20;

interface OwnerTally {
  holder: number;
  edge: string;
  count: number;
  wasted: number;
  addresses: string[];
}

export class OwnerNamer {
  private readonly signatures: Signatures;
  /** Folded edge text per link key (kind + name): decoded once per distinct label. */
  private readonly edges = new Map<number, string>();

  constructor(private readonly view: GraphView) {
    this.signatures = new Signatures(view);
  }

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
    const groups = new Map<string, OwnerTally>();
    for (let i = 0; i < c.nodes.length; i++) {
      const v = c.nodes[i]!;
      const holder = view.parentLink(v);
      const edge = holder === -1 ? '' : this.edge(view.linkKey, view.linkEdge);
      // An object with no holder is itself a root (a module, held from C, a frame's local).
      const key = holder === -1 ? `root:${view.rootLabel(v) ?? v}` : `${this.signatures.of(holder)}\n${edge}`;
      let t = groups.get(key);
      if (!t) {
        t = { holder, edge, count: 0, wasted: 0, addresses: [] };
        groups.set(key, t);
      }
      t.count++;
      t.wasted += c.nodeWaste[i]!;
      if (t.addresses.length < MAX_ADDRESSES) t.addresses.push(hexAddress(view.nodeIdx2Address[v]!));
      if (
        holder !== -1 &&
        t.holder !== -1 &&
        view.nodeIdx2Retained[holder]! > view.nodeIdx2Retained[t.holder]!
      ) {
        t.holder = holder;
      }
    }
    return [...groups.values()]
      .sort((a, b) => b.wasted - a.wasted)
      .slice(0, MAX_OWNERS)
      .map((t) => ({
        path: t.holder === -1 ? '(held directly by a root)' : `${view.pathText(t.holder)} → ${t.edge}`,
        holder: t.holder === -1 ? null : view.row(t.holder),
        count: t.count,
        wastedBytes: Math.round(t.wasted),
        addresses: t.addresses,
      }));
  }

  private edge(key: number, edge: number): string {
    let text = this.edges.get(key);
    if (text === undefined) {
      const label = this.view.edgeLabelOf(edge);
      text = foldEdge(label.text, label.kind);
      this.edges.set(key, text);
    }
    return text;
  }
}
