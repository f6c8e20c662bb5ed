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

/**
 * Signatures of one snapshot's nodes, memoised per node as an id: equal texts share one id, so
 * holders group by an integer and each distinct signature's text is built once. A node's signature
 * is its parent's plus one step, so the work is one (signature, step) transition per node on the
 * way, and the string folding (appendStep) runs once per distinct transition, not per node.
 */
export class Signatures {
  /** node → signature id, -1 while unknown. */
  private readonly nodeIdx2Sig: Int32Array;
  /** signature id → text. */
  private readonly texts: string[] = [];
  private readonly idOfText = new Map<string, number>();
  /** Per edge key: the folded label's segment id, -1 for an unnamed edge (one decode per key). */
  private readonly segmentOfKey = new Map<number, number>();
  /** Segment id per folded text: `[3]` and `[17]` are one segment `[*]`, so one step per type. */
  private readonly segmentOfText = new Map<string, number>();
  private readonly segmentTexts: string[] = [];
  /** (segment, type) → step id, and step id → text (`['_CACHE']:dict`) and ` › ` + text. */
  private readonly stepOfPair = new Map<number, number>();
  private readonly stepTexts: string[] = [];
  private readonly sepStepTexts: string[] = [];
  /** Per step id: signature id → the signature with that step appended. */
  private readonly next: Map<number, number>[] = [];
  /** Per type id: 1 for a C container's node type (its links are dropped), 2 not, 0 not yet known. */
  private readonly containerType: Uint8Array;
  private readonly chainNodes: number[] = [];
  private readonly chainSteps: number[] = [];

  constructor(private readonly view: GraphView) {
    this.nodeIdx2Sig = new Int32Array(view.nodeCount).fill(-1);
    this.containerType = new Uint8Array(view.typeNames.length);
  }

  of(node: number): string {
    return this.texts[this.idOf(node)];
  }

  /** The text of a signature id. */
  text(id: number): string {
    return this.texts[id];
  }

  /** The id of a signature text (built elsewhere: slots, new roots), the same as a node's of equal text. */
  intern(text: string): number {
    let id = this.idOfText.get(text);
    if (id === undefined) {
      id = this.texts.length;
      this.texts.push(text);
      this.idOfText.set(text, id);
    }
    return id;
  }

  idOf(node: number): number {
    const { view, nodeIdx2Sig, chainNodes, chainSteps } = this;
    let u = node;
    let prefix: number;
    for (;;) {
      const known = nodeIdx2Sig[u];
      if (known >= 0) {
        prefix = known;
        break;
      }
      const parent = view.parentLink(u);
      if (parent < view.firstObject || chainNodes.length > MAX_CHAIN) {
        prefix = this.intern(this.rootText(u));
        nodeIdx2Sig[u] = prefix;
        break;
      }
      chainNodes.push(u);
      chainSteps.push(this.step(view.linkKey, view.linkEdge, u));
      u = parent;
    }
    while (chainNodes.length > 0) {
      const v = chainNodes.pop()!;
      const step = chainSteps.pop()!;
      // A C container's internal link (unnamed, or into one of its node objects): the container
      // stands for what is inside.
      if (step >= 0) prefix = this.append(prefix, step);
      nodeIdx2Sig[v] = prefix;
    }
    return prefix;
  }

  private append(prefix: number, step: number): number {
    const byPrefix = this.next[step];
    let id = byPrefix.get(prefix);
    if (id === undefined) {
      id = this.intern(appendStep(this.texts[prefix], this.stepTexts[step], this.sepStepTexts[step]));
      byPrefix.set(prefix, id);
    }
    return id;
  }

  /** The step into `v` over `edge`, -1 when the step is dropped (an unnamed edge, a container's node). */
  private step(key: number, edge: number, v: number): number {
    const type = this.view.nodeIdx2Type[v];
    if (this.isContainerType(type)) return -1;
    const segment = this.segment(key, edge);
    if (segment < 0) return -1;
    const pair = segment * this.containerType.length + type;
    let step = this.stepOfPair.get(pair);
    if (step === undefined) {
      step = this.stepTexts.length;
      const text = `${this.segmentTexts[segment]}:${this.view.typeNames[type]}`;
      this.stepTexts.push(text);
      this.sepStepTexts.push(`${SIG_SEPARATOR}${text}`);
      this.next.push(new Map());
      this.stepOfPair.set(pair, step);
    }
    return step;
  }

  private isContainerType(type: number): boolean {
    if (this.containerType[type] === 0)
      this.containerType[type] = isContainerNode(this.view.typeNames[type]) ? 1 : 2;
    return this.containerType[type] === 1;
  }

  /** A root's text; one held only from C carries its address, the one thing that tells it apart. */
  private rootText(u: number): string {
    const view = this.view;
    const text = foldDigits(view.rootLabel(u) ?? this.typeName(u));
    const kinds = view.rootKinds(u);
    if (kinds.length !== 1 || kinds[0] !== 'held-from-c') return text;
    return `${text} (held from C) @${view.nodeIdx2Address[u].toString(16)}`;
  }

  /** -1 for an unnamed edge (a C container's internal link). */
  private segment(key: number, edge: number): number {
    let segment = this.segmentOfKey.get(key);
    if (segment === undefined) {
      const label = this.view.edgeLabelOf(edge);
      segment = -1;
      if (label.kind !== 'other') {
        const text = foldEdge(label.text, label.kind);
        segment = this.segmentOfText.get(text) ?? this.segmentTexts.length;
        if (segment === this.segmentTexts.length) {
          this.segmentTexts.push(text);
          this.segmentOfText.set(text, segment);
        }
      }
      this.segmentOfKey.set(key, segment);
    }
    return segment;
  }

  private typeName(v: number): string {
    return this.view.typeNames[this.view.nodeIdx2Type[v]];
  }
}

/**
 * `prefix › step`, folding repeats: a step equal to the last one (or the last pair, for steps that
 * alternate) is absorbed into a `+` run. `sepStep` is ` › step` (callers folding many steps keep it
 * per step); the two rarer folds are tried only when the text around the last separator allows them.
 */
export function appendStep(prefix: string, step: string, sepStep = `${SIG_SEPARATOR}${step}`): string {
  const sep = SIG_SEPARATOR;
  if (prefix.endsWith('+') && prefix.endsWith(`${sepStep}+`)) return prefix;
  if (prefix.endsWith(sepStep)) return `${prefix}+`;
  // Period two: `… (A ⁝ B)+ › A` + B → `… (A ⁝ B)+`; `… A › B › A` + B → `… (A ⁝ B)+`.
  const last = prefix.lastIndexOf(sep);
  if (last < 0) return `${prefix}${sepStep}`;
  if (prefix.startsWith(')+', last - 2)) {
    const a = prefix.slice(last + sep.length);
    const before = prefix.slice(0, last);
    if (before.endsWith(`${sep}(${a} ⁝ ${step})+`)) return before;
  }
  // The tail `› A › B › A` has ` › B` just before the last separator.
  if (prefix.startsWith(sepStep, last - sepStep.length)) {
    const a = prefix.slice(last + sep.length);
    const tail = `${sep}${a}${sepStep}${sep}${a}`;
    if (prefix.endsWith(tail) && a !== step) return `${prefix.slice(0, -tail.length)}${sep}(${a} ⁝ ${step})+`;
  }
  return `${prefix}${sepStep}`;
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
