// What a suspect shares with other holders, in words: "2,000 of the new `Session` objects are also
// referenced from `BUS.listeners`" under the holder they are charged to, and "also referencing 2,000
// new `Session` objects counted under `_SESSION_CACHE`" under the other owner. Tallied only for the
// suspects kept, from each interval's shared pairs (./shared.ts), by the other side's signature.
import type { GraphView } from '../diff/view';
import { formatCount } from '../report/format';
import { nameFromPath, shortType } from './explain';
import type { HolderGrowth } from './holders';
import type { Signatures } from './signature';

const NOTES_PER_SIDE = 2;

interface Tally {
  view: GraphView;
  /** One holder of the other side's signature, named in the sentence. */
  node: number;
  holders: Set<number>;
  type: string;
  count: number;
}

export interface ShareNotes {
  /**
   * Objects charged to this suspect and also held by others, by the other holder's signature and type
   * (a number made of the signature's id and the type name's, ./signature.ts: no text per pair).
   */
  alsoFrom: Map<number, Tally>;
  /** Objects this suspect's holders also reference, charged elsewhere. */
  alsoHolds: Map<number, Tally>;
  /** New objects charged elsewhere that this suspect's new weak references point to. */
  weakTo: Map<number, Tally>;
}

export function emptyShareNotes(): ShareNotes {
  return { alsoFrom: new Map(), alsoHolds: new Map(), weakTo: new Map() };
}

/** `holderToSuspect`: holder node → index into `notes`, for the interval `g`. */
export function tallyShared(
  g: HolderGrowth,
  holderToSuspect: Map<number, number>,
  notes: ShareNotes[],
  signatures: Signatures,
): void {
  const view = g.diff.target;
  const { node, other } = g.shared;
  // Types with one name are one type here (a class defined twice reads the same in a sentence).
  const nameIds = new Map<string, number>();
  const typeIdx2NameId = view.typeNames.map((name) => {
    if (!nameIds.has(name)) nameIds.set(name, nameIds.size);
    return nameIds.get(name)!;
  });
  const key = (holder: number, v: number) =>
    signatures.idOf(holder) * view.typeNames.length + typeIdx2NameId[view.nodeIdx2Type[v]];
  for (let i = 0; i < node.length; i++) {
    const v = node[i];
    const q = other[i];
    const p = g.nodeIdx2Holder[v];
    const sp = holderToSuspect.get(p);
    if (sp !== undefined) add(notes[sp].alsoFrom, key(q, v), view, q, v);
    const sq = holderToSuspect.get(q);
    if (sq !== undefined) add(notes[sq].alsoHolds, key(p, v), view, p, v);
  }
}

/**
 * A new weak reference `v` charged to a suspect, whose referent is new and charged to another holder:
 * a registry of weak references (asyncio's set of all tasks, logging's handler list) grows only
 * because what it points to leaks elsewhere. Said so, the suspect reads as the symptom it is.
 */
export function tallyWeakRef(notes: ShareNotes, g: HolderGrowth, signatures: Signatures, v: number): void {
  const view = g.diff.target;
  const r = view.weakReferent(v);
  if (r < view.firstObject || g.diff.match.targetIdx2BaseIdx[r] >= 0) return;
  const h = g.nodeIdx2Holder[r];
  if (h < view.firstObject || h === g.nodeIdx2Holder[v]) return;
  add(notes.weakTo, signatures.idOf(h) * view.typeNames.length + view.nodeIdx2Type[r], view, h, r);
}

function add(map: Map<number, Tally>, key: number, view: GraphView, holder: number, v: number) {
  let t = map.get(key);
  if (!t) {
    t = { view, node: holder, holders: new Set(), type: view.typeNames[view.nodeIdx2Type[v]], count: 0 };
    map.set(key, t);
  }
  t.holders.add(holder);
  t.count += 1;
}

/**
 * Clauses for the suspect's sentence; `selfOwner` is its own owner ("module `app`"), not repeated.
 * Only sharing worth a sentence: at least `minCount` objects (a share of the suspect's growth;
 * a few hundred ints two records have in common explain nothing). Tallies that read the same
 * (two holders with one name) are one clause with their counts added.
 */
export function shareClauses(notes: ShareNotes, selfOwner: string, minCount = 1): string[] {
  const clauses: string[] = [];
  for (const [text, count] of largest(notes.alsoFrom, selfOwner, minCount))
    clauses.push(
      `${formatCount(count)} of the new ${text.type} objects are also referenced from ${text.holder}`,
    );
  for (const [text, count] of largest(notes.alsoHolds, selfOwner, minCount))
    clauses.push(
      `also referencing ${formatCount(count)} new ${text.type} objects counted under ${text.holder}`,
    );
  for (const [text, count] of largest(notes.weakTo, selfOwner, minCount))
    clauses.push(
      `${formatCount(count)} of them are weak references to new ${text.type} objects counted under ${text.holder}`,
    );
  return clauses;
}

function largest(
  map: Map<number, Tally>,
  selfOwner: string,
  minCount: number,
): [{ type: string; holder: string }, number][] {
  const byText = new Map<string, [{ type: string; holder: string }, number]>();
  for (const t of map.values()) {
    const text = { type: `\`${shortType(t.type)}\``, holder: holderName(t, selfOwner) };
    const key = `${text.type}\0${text.holder}`;
    const seen = byText.get(key);
    if (seen) seen[1] += t.count;
    else byText.set(key, [text, t.count]);
  }
  return [...byText.values()]
    .filter(([, count]) => count >= minCount)
    .sort((a, b) => b[1] - a[1])
    .slice(0, NOTES_PER_SIDE);
}

function holderName(t: Tally, selfOwner: string): string {
  const type = t.view.typeNames[t.view.nodeIdx2Type[t.node]];
  const { owner, name, globals } = nameFromPath(t.view.pathText(t.node), type);
  if (globals) return `the globals of ${owner}`;
  // Many holders with one signature (per-session lists) are named by the folded path.
  const text = t.holders.size > 1 ? name.replace(/\[\d+\]/g, '[*]').replace(/\d+/g, '#') : name;
  return owner === selfOwner ? `\`${text}\`` : `\`${text}\` in ${owner}`;
}
