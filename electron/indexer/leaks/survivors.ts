// Never silent about surviving growth. When thousands of new objects of one kind (type plus defining
// code: `Node`, `function handle.<locals>.<lambda> (svc.py:13)`) survive in every interval, net of
// those freed, and no suspect already accounts for them, they are reported even though no holder
// grew above the noise floor — spread over many holders whose paths differ, or under a holder that
// changes too much to be recognised. The sentence says what grows, how much, and what holds it as far
// as the dump can see: the holders most of the new objects are charged to, with their share.
import type { LeakSuspect } from '@shared/contract';
import type { GraphView } from '../diff/view';
import { formatBytesDelta, formatCount, formatPercent } from '../report/format';
import { entryText, foldPathText, HELD_FROM_C_ONLY_TEXT, nameFromPath } from './explain';
import { slotSignature } from './groups';
import { HOLDER_NEW_ROOT, type HolderGrowth } from './holders';
import { specificName } from './identity';
import type { NoiseFloor } from './rules/index';
import type { Signatures } from './signature';

/** New objects of one kind that must survive, net, in every interval. */
export const SURVIVOR_COUNT = 1000;
/** A kind a reported suspect already holds this share of (newest interval) is not repeated. */
const COVERED_SHARE = 0.5;
const HOLDERS_NAMED = 2;

const NAMED_TYPES = new Set(['function', 'method']);

interface Tally {
  type: string;
  name: string | null;
  count: number[];
  bytes: number[];
  covered: number;
  /** Newest interval: slot → new objects of this kind charged there. */
  slots: Map<number, number>;
  sample: number;
}

export function survivorSuspects(
  intervals: HolderGrowth[],
  signatures: Signatures[],
  reportedSlots: Set<number>,
  floor: NoiseFloor,
): LeakSuspect[] {
  const tallies = new Map<string, Tally>();
  const last = intervals.length - 1;
  const reported = new Uint8Array(intervals[last].holders.length);
  for (const s of reportedSlots) reported[s] = 1;
  for (const [iv, g] of intervals.entries()) {
    tallyInterval(g, iv, iv === last, intervals.length, tallies, reported);
  }
  const kept: { t: Tally; bytes: number }[] = [];
  for (const t of tallies.values()) {
    if (!t.count.every((n) => n >= SURVIVOR_COUNT)) continue;
    const bytes = t.bytes.reduce((a, b) => a + b, 0);
    if (bytes < floor.bytes / 2 || t.covered >= COVERED_SHARE * t.count[last]) continue;
    kept.push({ t, bytes });
  }
  // Where the newest new objects of a kind hang, only for the few kinds reported.
  if (kept.length > 0) countSlots(intervals[last], new Set(kept.map((k) => k.t)), tallies);
  const out = kept.map(({ t, bytes }) => toSuspect(intervals[last], signatures[last], t, bytes));
  return out.sort((a, b) => b.retainedGrowthBytes - a.retainedGrowthBytes);
}

function kindOf(view: GraphView, v: number): { key: string; type: string; name: string | null } {
  const type = view.typeNames[view.nodeIdx2Type[v]];
  const name = NAMED_TYPES.has(type) ? specificName(view, v) : null;
  return { key: name ? `${type}\n${name}` : type, type, name };
}

/**
 * The tally of a node's kind, created on first sight. Kinds of most types are their type name alone:
 * those are found by type index (per view), without building a key per object.
 */
function tallyFinder(view: GraphView, n: number, tallies: Map<string, Tally>): (v: number) => Tally {
  const byType: (Tally | undefined)[] = [];
  return (v) => {
    const typeIdx = view.nodeIdx2Type[v];
    const known = byType[typeIdx];
    if (known) return known;
    const k = kindOf(view, v);
    let t = tallies.get(k.key);
    if (!t) {
      t = {
        ...k,
        count: new Array(n).fill(0),
        bytes: new Array(n).fill(0),
        covered: 0,
        slots: new Map(),
        sample: -1,
      };
      tallies.set(k.key, t);
    }
    if (!NAMED_TYPES.has(k.type)) byType[typeIdx] = t;
    return t;
  };
}

function tallyInterval(
  g: HolderGrowth,
  iv: number,
  newest: boolean,
  n: number,
  tallies: Map<string, Tally>,
  reported: Uint8Array,
): void {
  const { base, target, match } = g.diff;
  const inTarget = tallyFinder(target, n, tallies);
  for (let v = target.firstObject; v < target.nodeCount; v++) {
    if (match.targetIdx2BaseIdx[v] >= 0 || !target.isReachable(v)) continue;
    const t = inTarget(v);
    t.count[iv] += 1;
    t.bytes[iv] += target.nodeIdx2Shallow[v];
    if (!newest) continue;
    const s = g.nodeIdx2Slot[v];
    if (s >= 0 && reported[s] === 1) t.covered += 1;
    t.sample = v;
  }
  const inBase = tallyFinder(base, n, tallies);
  for (let f = base.firstObject; f < base.nodeCount; f++) {
    if (match.baseIdx2TargetIdx[f] >= 0 || !base.isReachable(f)) continue;
    const t = inBase(f);
    t.count[iv] -= 1;
    t.bytes[iv] -= base.nodeIdx2Shallow[f];
  }
}

/** Newest interval: for each tally in `wanted`, slot → its new objects charged there (in node order). */
function countSlots(g: HolderGrowth, wanted: Set<Tally>, tallies: Map<string, Tally>): void {
  const { target, match } = g.diff;
  const find = tallyFinder(target, 0, tallies);
  for (let v = target.firstObject; v < target.nodeCount; v++) {
    if (match.targetIdx2BaseIdx[v] >= 0 || !target.isReachable(v)) continue;
    const s = g.nodeIdx2Slot[v];
    if (s < 0) continue;
    const t = find(v);
    if (wanted.has(t)) t.slots.set(s, (t.slots.get(s) ?? 0) + 1);
  }
}

function toSuspect(g: HolderGrowth, signatures: Signatures, t: Tally, bytes: number): LeakSuspect {
  const view = g.diff.target;
  const total = t.count.reduce((a, b) => a + b, 0);
  const holders = [...t.slots.entries()].sort((a, b) => b[1] - a[1]);
  const shown = holders.length > 0 ? g.display[holders[0][0]] : t.sample;
  const newCount = holders.reduce((a, [, c]) => a + c, 0);
  const what = entryText({ type: t.type, name: t.name ?? undefined });
  const held = holders
    .slice(0, HOLDERS_NAMED)
    .map(([s, c]) => `${formatPercent(c / Math.max(1, newCount))} under ${holderText(g, s)}`);
  const spread =
    holders.length > HOLDERS_NAMED
      ? `, the rest spread over ${formatCount(holders.length - HOLDERS_NAMED)} more`
      : '';
  const heldText =
    held.length > 0
      ? `held as far as the dump shows by ${held.join(', ')}${spread}`
      : 'held by no object the dump can name';
  const perInterval = t.count
    .map((c, i) => `${formatCount(c)} / ${formatBytesDelta(t.bytes[i])}`)
    .join(', then ');
  const suspect: LeakSuspect = {
    path: foldPathText(view.pathText(shown)),
    signature: `surviving ${t.type}${t.name ? ` ${t.name}` : ''}${holders.length > 0 ? ` › ${slotSignature(g, holders[0][0], signatures)}` : ''}`,
    holder: view.row(shown),
    holderSnapshot: view.info.id,
    holderCount: Math.max(1, holders.length),
    retainedGrowthBytes: bytes,
    countGrowth: total,
    ownGrowthBytes: 0,
    intervals: t.count.map((count, i) => ({ bytes: t.bytes[i], count })),
    types: [{ type: t.type, ...(t.name ? { name: t.name } : {}), count: total, bytes }],
    allocationSites: [],
    explanation: '',
    kind: 'growth',
  };
  suspect.explanation = `${formatCount(total)} new ${what} objects survived (${perInterval}${t.count.length > 1 ? ' in every interval' : ''}) with no single holder above the noise floor; ${heldText}`;
  return suspect;
}

function holderText(g: HolderGrowth, s: number): string {
  const view = g.diff.target;
  const node = g.display[s];
  if (g.holderKind[s] === HOLDER_NEW_ROOT) {
    const kinds = view.rootKinds(node);
    if (kinds.length === 1 && kinds[0] === 'held-from-c') return `objects ${HELD_FROM_C_ONLY_TEXT}`;
    return `the root \`${view.rootLabel(node) ?? ''}\``;
  }
  const type = view.typeNames[view.nodeIdx2Type[node]];
  const { owner, name } = nameFromPath(foldPathText(view.pathText(node)), type);
  return `\`${name}\` in ${owner}`;
}
