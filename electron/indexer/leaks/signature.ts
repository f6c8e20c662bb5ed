// A holder's stable signature: its shortest retainer path from a root, as type names and edge
// labels, with what varies between equivalent objects folded away — list indices (`[3]` → `[*]`),
// numeric dict keys (`[17]` → `[*]`) and digit runs inside keys and root labels (`['req-5']` →
// `['req-#']`, thread idents and line numbers). Holders with one signature are one suspect: 2,000
// per-session lists that each grew read as one growing structure, and the same holder is recognised
// across snapshots (whose node indices differ) to check that it grew in every interval.
// What changes shape between snapshots is folded too, so the same holder keeps its signature: a run
// of one repeated step (`.next:Node` ×2,500 in a linked list that gets longer) or two (`.__dict__`,
// `['next']`) reads once with `+`, and unnamed steps inside a C container (a context's HAMT, whose
// depth changes as it grows; an lru_cache's dict) are dropped: the container is the holder. A root only C code holds is told apart from
// others of its type by its address (two unrelated held-from-C dicts are two holders).
import type { GraphView } from '../diff/view';

export const SIG_SEPARATOR = ' › ';

/**
 * Node objects of a C container whose internals gc exposes as separate objects: a
 * `contextvars.Context`'s HAMT (`hamt`, `hamt_bitmap_node`, `hamt_array_node`,
 * `hamt_collision_node`). The dumper names their links (`.vars`, `.root`, `.child`, FORMAT.md 1.1)
 * so that paths read well, but their number and depth change with every `set`: a holder below
 * them would be a different node in each snapshot. The container is the holder.
 */
export function isContainerNode(typeName: string): boolean {
  return typeName === 'hamt' || typeName.startsWith('hamt_');
}
/** Deeper paths than this are cut at their top (their signature then starts at the cut). */
const MAX_CHAIN = 100_000;

export class Signatures {
  private readonly memo = new Map<number, string>();
  /** Folded label per edge key: one decode per distinct label, not per node. */
  private readonly segments = new Map<number, string | null>();

  constructor(private readonly view: GraphView) {}

  of(node: number): string {
    const view = this.view;
    const chain: { node: number; edge: string | null }[] = [];
    let u = node;
    let prefix: string;
    for (;;) {
      const known = this.memo.get(u);
      if (known !== undefined) {
        prefix = known;
        break;
      }
      const parent = view.parentLink(u);
      if (parent < view.firstObject || chain.length > MAX_CHAIN) {
        prefix = this.rootText(u);
        this.memo.set(u, prefix);
        break;
      }
      chain.push({ node: u, edge: this.segment(view.linkKey, view.linkEdge) });
      u = parent;
    }
    for (let i = chain.length - 1; i >= 0; i--) {
      const { node: v, edge } = chain[i];
      // A C container's internal link (unnamed, or into one of its node objects): the container
      // stands for what is inside.
      const type = this.typeName(v);
      if (edge !== null && !isContainerNode(type)) prefix = appendStep(prefix, `${edge}:${type}`);
      this.memo.set(v, prefix);
    }
    return prefix;
  }

  /** A root's text; one held only from C carries its address, the one thing that tells it apart. */
  private rootText(u: number): string {
    const view = this.view;
    const text = foldDigits(view.rootLabel(u) ?? this.typeName(u));
    const kinds = view.rootKinds(u);
    if (kinds.length !== 1 || kinds[0] !== 'held-from-c') return text;
    return `${text} (held from C) @${view.nodeIdx2Address[u].toString(16)}`;
  }

  /** null for an unnamed edge (a C container's internal link). */
  private segment(key: number, edge: number): string | null {
    let text = this.segments.get(key);
    if (text === undefined) {
      const label = this.view.edgeLabelOf(edge);
      text = label.kind === 'other' ? null : foldEdge(label.text, label.kind);
      this.segments.set(key, text);
    }
    return text;
  }

  private typeName(v: number): string {
    return this.view.typeNames[this.view.nodeIdx2Type[v]];
  }
}

/**
 * `prefix › step`, folding repeats: a step equal to the last one (or the last pair, for steps that
 * alternate) is absorbed into a `+` run.
 */
export function appendStep(prefix: string, step: string): string {
  const sep = SIG_SEPARATOR;
  if (prefix.endsWith(`${sep}${step}+`)) return prefix;
  if (prefix.endsWith(`${sep}${step}`)) return `${prefix}+`;
  // Period two: `… (A ⁝ B)+ › A` + B → `… (A ⁝ B)+`; `… A › B › A` + B → `… (A ⁝ B)+`.
  const last = prefix.lastIndexOf(sep);
  if (last < 0) return `${prefix}${sep}${step}`;
  const a = prefix.slice(last + sep.length);
  const before = prefix.slice(0, last);
  if (before.endsWith(`${sep}(${a} ⁝ ${step})+`)) return before;
  const tail = `${sep}${a}${sep}${step}${sep}${a}`;
  if (prefix.endsWith(tail) && a !== step) return `${prefix.slice(0, -tail.length)}${sep}(${a} ⁝ ${step})+`;
  return `${prefix}${sep}${step}`;
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
