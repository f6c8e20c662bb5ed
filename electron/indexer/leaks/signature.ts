// A holder's stable signature: its shortest retainer path from a root, as type names and edge
// labels, with what varies between equivalent objects folded away — list indices (`[3]` → `[*]`),
// numeric dict keys (`[17]` → `[*]`) and digit runs inside keys and root labels (`['req-5']` →
// `['req-#']`, thread idents and line numbers). Holders with one signature are one suspect: 2,000
// per-session lists that each grew read as one growing structure, and the same holder is recognised
// across snapshots (whose node indices differ) to check that it grew in every interval.
import type { GraphView } from '../diff/view';

export const SIG_SEPARATOR = ' › ';

export class Signatures {
  private readonly memo = new Map<number, string>();
  /** Folded label per edge key: one decode per distinct label, not per node. */
  private readonly segments = new Map<number, string>();

  constructor(private readonly view: GraphView) {}

  of(node: number): string {
    const view = this.view;
    const chain: { node: number; edge: string }[] = [];
    let u = node;
    let prefix: string;
    for (;;) {
      const known = this.memo.get(u);
      if (known !== undefined) {
        prefix = known;
        break;
      }
      const parent = view.parentLink(u);
      if (parent < view.firstObject || chain.length > 200) {
        prefix = foldDigits(view.rootLabel(u) ?? this.typeName(u));
        this.memo.set(u, prefix);
        break;
      }
      chain.push({ node: u, edge: this.segment(view.linkKey, view.linkEdge) });
      u = parent;
    }
    for (let i = chain.length - 1; i >= 0; i--) {
      const { node: v, edge } = chain[i];
      prefix = `${prefix}${SIG_SEPARATOR}${edge}:${this.typeName(v)}`;
      this.memo.set(v, prefix);
    }
    return prefix;
  }

  private segment(key: number, edge: number): string {
    let text = this.segments.get(key);
    if (text === undefined) {
      const label = this.view.edgeLabelOf(edge);
      text = foldEdge(label.text, label.kind);
      this.segments.set(key, text);
    }
    return text;
  }

  private typeName(v: number): string {
    return this.view.typeNames[this.view.nodeIdx2Type[v]];
  }
}

/** `[3]` → `[*]`, `[17]` (numeric key) → `[*]`, `['req-5']` → `['req-#']`. */
export function foldEdge(text: string, kind: string): string {
  if (kind === 'index') return text.replace(/\[\d+\]/g, '[*]');
  if (kind === 'dict-value' || kind === 'dict-key') {
    const numeric = text.replace(/\[-?\d+(\.\d+)?\]/g, '[*]');
    return foldDigits(numeric);
  }
  return foldDigits(text);
}

export function foldDigits(text: string): string {
  return text.replace(/0x[0-9a-f]+/gi, '0x#').replace(/\d+/g, '#');
}

/** The module a signature starts in (`module app …` → `app`), or null for other roots. */
export function rootModule(signature: string): string | null {
  const m = /^module ([\w.]+)/.exec(signature);
  return m ? m[1] : null;
}
