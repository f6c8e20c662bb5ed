// Growth suspects from one or two intervals: group each interval's holders by signature, keep the
// signatures that grew in the newest interval, join the older interval by signature, filter with the
// rules, rank by net growth, and describe the top ones (entries by type, allocation sites, a sentence).
// A holder whose signature changed between snapshots (reached through another edge, a path that got
// shorter) is still the same object: an older interval missing the signature is joined through the
// holder's own match instead.
import type { LeakSuspect, TracebackFrame } from '@shared/contract';
import { type Entries, entryTally } from './entries';
import { describeGrowth, foldPathText } from './explain';
import { type Group, groupBySignature, slotSignature } from './groups';
import { HOLDER_NEW_ROOT, HOLDER_SLOT, type HolderGrowth, netBytes } from './holders';
import { rootKindOf } from './new-roots';
import { type Candidate, LEAK_RULES, mayPass, type NoiseFloor } from './rules/index';
import { isInterpreterCache } from './rules/interpreter-caches';
import { grewBySize } from './rules/noise-floor';
import { emptyShareNotes, type ShareNotes, shareClauses, tallyShared, tallyWeakRef } from './shared-notes';
import { Signatures } from './signature';
import { survivorSuspects } from './survivors';

/** Sharing is worth a clause from this share of the suspect's object growth on. */
const MIN_SHARED_FRACTION = 0.05;

export const DEFAULT_SUSPECT_LIMIT = 20;
const DETAIL_ROWS = 5;
/** Groups of more holders than this (2,000 per-session lists) are alike; their depths are not compared. */
const MAX_DEPTH_CHECKS = 1000;

interface Ranked {
  candidate: Candidate;
  /** The group in each interval (same index as the intervals), undefined where it did not appear. */
  groups: (Group | undefined)[];
}

export function growthSuspects(
  intervals: HolderGrowth[],
  floor: NoiseFloor,
  limit = DEFAULT_SUSPECT_LIMIT,
): LeakSuspect[] {
  const signatures = intervals.map((g) => new Signatures(g.diff.target));
  const grouped = intervals.map((g, iv) => groupBySignature(g, signatures[iv]));
  const newest = grouped[grouped.length - 1];
  const ranked: Ranked[] = [];
  const joins = new IdentityJoin(intervals, grouped, signatures);
  for (const [signature, group] of newest) {
    if (group.bytes <= 0 || !mayPass(group.bytes, floor)) continue;
    const groups = joins.groups(signature, group);
    const ivs = groups.map((gr) => ({ bytes: gr?.bytes ?? 0, count: gr?.count ?? 0 }));
    const candidate: Candidate = {
      signature,
      intervals: ivs,
      bytes: ivs.reduce((a, iv) => a + iv.bytes, 0),
      count: ivs.reduce((a, iv) => a + iv.count, 0),
      ownBytes: groups.reduce((a, gr) => a + (gr?.ownBytes ?? 0), 0),
      replaced: groups.reduce((a, gr) => a + (gr?.replaced ?? 0), 0),
      rootKind: rootKindOf(signature),
      roots: groups.map((gr) => gr?.roots ?? 0),
    };
    if (LEAK_RULES.every((rule) => rule.keep(candidate, floor))) ranked.push({ candidate, groups });
  }
  // The interpreter's own caches rank below the program's holders (their growth is kept, ./rules).
  const demoted = new Map(ranked.map((r) => [r, isInterpreterCache(r.candidate.signature) ? 1 : 0]));
  ranked.sort(
    (a, b) =>
      demoted.get(a)! - demoted.get(b)! ||
      b.candidate.bytes - a.candidate.bytes ||
      a.candidate.signature.localeCompare(b.candidate.signature),
  );
  const top = ranked.slice(0, limit);
  const details = describeEntries(intervals, top, signatures);
  const suspects = top.map((r, i) => toSuspect(intervals, r, details[i]));
  // Never silent: surviving growth no holder accounts for follows the holders (./survivors.ts). One
  // interval cannot tell a warm-up (lazy imports, caches filled once) from a leak, so it needs two.
  if (intervals.length < 2 || suspects.length >= limit) return suspects;
  const reported = new Set(ranked.flatMap((r) => r.groups[grouped.length - 1]?.slots ?? []));
  const survivors = survivorSuspects(intervals, signatures, reported, floor);
  return [...suspects, ...survivors].slice(0, limit);
}

/**
 * Groups of one signature in every interval. When an older interval has no group of that signature,
 * the newest group's holders are followed back through each interval's match (a holder is the same
 * object in both snapshots of an interval boundary) and the older group they belong to is taken.
 */
class IdentityJoin {
  /** Per interval, built on first use: holder slots by node (whole objects) and by node + slot edge. */
  private readonly slotsByHolder: ({ objects: Map<number, number>; slots: Map<string, number> } | null)[];

  constructor(
    private readonly intervals: HolderGrowth[],
    private readonly grouped: Map<string, Group>[],
    private readonly signatures: Signatures[],
  ) {
    this.slotsByHolder = intervals.map(() => null);
  }

  groups(signature: string, newest: Group): (Group | undefined)[] {
    const last = this.intervals.length - 1;
    const out: (Group | undefined)[] = [];
    out[last] = newest;
    for (let iv = last - 1; iv >= 0; iv--) {
      // Usually the signature is there; the holders are followed back only when it is not.
      out[iv] = this.grouped[iv].get(signature) ?? this.byHolders(iv, this.holdersIn(iv, newest));
    }
    return out;
  }

  /** The newest group's holders as nodes of interval `iv`'s target (an interval's base is the one before's target). */
  private holdersIn(iv: number, newest: Group): { node: number; edge: string }[] {
    const last = this.intervals.length - 1;
    let holders = newest.slots.map((s) => this.key(last, s));
    for (let i = last - 1; i >= iv; i--) {
      const match = this.intervals[i + 1].diff.match.targetIdx2BaseIdx;
      holders = holders
        .map(({ node, edge }) => ({ node: node >= 0 ? match[node] : -1, edge }))
        .filter((h) => h.node >= 0);
    }
    return holders;
  }

  private key(iv: number, s: number): { node: number; edge: string } {
    const g = this.intervals[iv];
    return g.holderKind[s] === HOLDER_NEW_ROOT
      ? { node: -1, edge: '' }
      : { node: g.holders[s], edge: g.edgeText[s] };
  }

  private byHolders(iv: number, holders: { node: number; edge: string }[]): Group | undefined {
    const g = this.intervals[iv];
    let index = this.slotsByHolder[iv];
    if (!index) {
      // Whole objects (no slot edge) are most holders: keyed by node, without a text per holder.
      index = { objects: new Map(), slots: new Map() };
      for (let s = 0; s < g.holders.length; s++) {
        if (g.holderKind[s] === HOLDER_NEW_ROOT) continue;
        if (g.edgeText[s] === '') index.objects.set(g.holders[s], s);
        else index.slots.set(`${g.holders[s]}\n${g.edgeText[s]}`, s);
      }
      this.slotsByHolder[iv] = index;
    }
    for (const h of holders) {
      const s = h.edge === '' ? index.objects.get(h.node) : index.slots.get(`${h.node}\n${h.edge}`);
      if (s !== undefined) return this.grouped[iv].get(slotSignature(g, s, this.signatures[iv]));
    }
    return undefined;
  }
}

interface Details {
  types: Entries;
  sites: Map<string, { traceback: TracebackFrame[]; count: number; bytes: number }>;
  shared: ShareNotes;
}

/**
 * Second pass, only for the suspects kept: the entries that accumulate under a suspect's holders
 * (./entries.ts), by type and specific name, all its new objects by allocation site, and what it
 * shares with other holders. One sweep over the new objects of each interval.
 */
function describeEntries(intervals: HolderGrowth[], top: Ranked[], signatures: Signatures[]): Details[] {
  const details: Details[] = top.map(() => ({
    types: new Map(),
    sites: new Map(),
    shared: emptyShareNotes(),
  }));
  intervals.forEach((g, iv) => {
    const view = g.diff.target;
    const slotToSuspect = new Int32Array(g.holders.length).fill(-1);
    const holderToSuspect = new Map<number, number>();
    top.forEach((r, si) => {
      for (const s of r.groups[iv]?.slots ?? []) {
        slotToSuspect[s] = si;
        holderToSuspect.set(g.holders[s], si);
      }
    });
    if (holderToSuspect.size === 0) return;
    tallyShared(
      g,
      holderToSuspect,
      details.map((d) => d.shared),
      signatures[iv],
    );
    entryTally(
      g,
      slotToSuspect,
      details.map((d) => d.types),
    );
    const matched = g.diff.match.targetIdx2BaseIdx;
    const tracebackIdToKey = new Map<number, string>();
    for (let v = view.firstObject; v < view.nodeCount; v++) {
      if (matched[v] >= 0) continue;
      const slot = g.nodeIdx2Slot[v];
      const si = slot < 0 ? -1 : slotToSuspect[slot];
      if (si < 0) continue;
      const d = details[si];
      tallyWeakRef(d.shared, g, signatures[iv], v);
      const tb = view.tracebackId(v);
      if (tb < 0) continue;
      let key = tracebackIdToKey.get(tb);
      if (key === undefined) {
        key = view
          .traceback(tb)
          .map((f) => `${f.file}:${f.line}`)
          .join('\n');
        tracebackIdToKey.set(tb, key);
      }
      const site = d.sites.get(key) ?? { traceback: view.traceback(tb), count: 0, bytes: 0 };
      site.count += 1;
      site.bytes += view.nodeIdx2Shallow[v];
      d.sites.set(key, site);
    }
  });
  return details;
}

function toSuspect(intervals: HolderGrowth[], r: Ranked, d: Details): LeakSuspect {
  const last = intervals.length - 1;
  const g = intervals[last];
  const view = g.diff.target;
  const group = r.groups[last]!;
  // The member that grew most stands for the group: its path and row are what the user inspects. A
  // container's internal nodes share its signature; the container itself (nearest a root) stands first.
  const depth = (s: number) => view.distanceOf(g.display[s]);
  const depths = group.slots.length <= MAX_DEPTH_CHECKS ? group.slots.map(depth) : null;
  const shallowest = depths ? Math.min(...depths) : 0;
  const members = depths ? group.slots.filter((_, i) => depths[i] === shallowest) : group.slots;
  let best = members[0];
  for (const s of members) if (netBytes(g, s) > netBytes(g, best)) best = s;
  const holder = g.display[best];
  const types = [...d.types.values()]
    .map(({ type, name, count, bytes }) => (name ? { type, name, count, bytes } : { type, count, bytes }))
    .sort((a, b) => b.bytes - a.bytes || b.count - a.count)
    .slice(0, DETAIL_ROWS);
  const allocationSites = [...d.sites.values()].sort((a, b) => b.bytes - a.bytes).slice(0, DETAIL_ROWS);
  const path = foldPathText(view.pathText(holder));
  const row = view.row(holder);
  const { candidate } = r;
  const newRoots = candidate.roots.reduce((a, n) => a + n, 0);
  const suspect: LeakSuspect = {
    path,
    signature: candidate.signature,
    holder: row,
    holderSnapshot: view.info.id,
    // New roots: all of them, from every interval (each interval's count is in the sentence).
    holderCount: candidate.rootKind ? Math.max(1, newRoots) : members.length,
    retainedGrowthBytes: candidate.bytes,
    countGrowth: candidate.count,
    ownGrowthBytes: candidate.ownBytes,
    intervals: candidate.intervals,
    types,
    allocationSites,
    explanation: '',
    kind: 'growth',
  };
  // A slot whose object is new in the newest snapshot was replaced, not filled in place: say so.
  const replaced =
    g.holderKind[best] === HOLDER_SLOT &&
    g.freedCount[best] > 0 &&
    g.diff.match.targetIdx2BaseIdx[holder] < 0;
  // New roots are their own owners; what else references them (sys.modules, the thread's other
  // frames) is how they became roots, not a second leak.
  const minShared = Math.max(1, Math.ceil(MIN_SHARED_FRACTION * Math.abs(candidate.count)));
  const notes = candidate.rootKind ? () => [] : (owner: string) => shareClauses(d.shared, owner, minShared);
  suspect.explanation = describeGrowth(suspect, notes, {
    rootKind: candidate.rootKind,
    signature: candidate.signature,
    replaced,
    roots: candidate.roots,
    // Kept for growing in size, not count: say what was replaced, not what was "gained".
    replacedBySize: grewBySize(candidate) && candidate.count < candidate.replaced ? candidate.replaced : 0,
  });
  return suspect;
}
