// Growth suspects from one or two intervals: group each interval's holders by signature, keep the
// signatures that grew in the newest interval, join the older interval by signature, filter with the
// rules, rank by net growth, and describe the top ones (entries by type, allocation sites, a sentence).
import type { LeakSuspect, TracebackFrame } from '@shared/contract';
import type { GraphView } from '../diff/view';
import { describeGrowth } from './explain';
import { type Group, groupBySignature } from './groups';
import { type HolderGrowth, netBytes } from './holders';
import { type Candidate, LEAK_RULES, type NoiseFloor } from './rules/index';
import { emptyShareNotes, type ShareNotes, shareClauses, tallyShared } from './shared-notes';
import { Signatures } from './signature';

export const DEFAULT_SUSPECT_LIMIT = 20;
const DETAIL_ROWS = 5;

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
  for (const [signature, group] of newest) {
    if (group.bytes <= 0) continue;
    const groups = grouped.map((m) => m.get(signature));
    const ivs = groups.map((gr) => ({ bytes: gr?.bytes ?? 0, count: gr?.count ?? 0 }));
    const candidate: Candidate = {
      signature,
      intervals: ivs,
      bytes: ivs.reduce((a, iv) => a + iv.bytes, 0),
      count: ivs.reduce((a, iv) => a + iv.count, 0),
      ownBytes: groups.reduce((a, gr) => a + (gr?.ownBytes ?? 0), 0),
    };
    if (LEAK_RULES.every((rule) => rule.keep(candidate, floor))) ranked.push({ candidate, groups });
  }
  ranked.sort(
    (a, b) =>
      b.candidate.bytes - a.candidate.bytes || a.candidate.signature.localeCompare(b.candidate.signature),
  );
  const top = ranked.slice(0, limit);
  const details = describeEntries(intervals, top, signatures);
  return top.map((r, i) => toSuspect(intervals, r, details[i]));
}

interface Details {
  types: Map<string, { count: number; bytes: number }>;
  sites: Map<string, { traceback: TracebackFrame[]; count: number; bytes: number }>;
  shared: ShareNotes;
}

/**
 * Second pass, only for the suspects kept: the topmost new objects charged to a suspect's holders
 * (their dominator already existed: the entries that accumulate, also when shared with another
 * holder), tallied by type, all its new objects by allocation site, and what it shares with other
 * holders. One sweep over the new objects of each interval with a Map lookup per object.
 */
function describeEntries(intervals: HolderGrowth[], top: Ranked[], signatures: Signatures[]): Details[] {
  const details: Details[] = top.map(() => ({
    types: new Map(),
    sites: new Map(),
    shared: emptyShareNotes(),
  }));
  intervals.forEach((g, iv) => {
    const view = g.diff.target;
    const holderToSuspect = new Map<number, number>();
    top.forEach((r, si) => {
      for (const s of r.groups[iv]?.slots ?? []) holderToSuspect.set(g.holders[s], si);
    });
    if (holderToSuspect.size === 0) return;
    tallyShared(
      g,
      holderToSuspect,
      details.map((d) => d.shared),
      signatures[iv],
    );
    const dom = view.nodeIdx2Dominator;
    const matched = g.diff.match.targetIdx2BaseIdx;
    const tracebackIdToKey = new Map<number, string>();
    for (let v = view.firstObject; v < view.nodeCount; v++) {
      if (g.diff.match.targetIdx2BaseIdx[v] >= 0) continue;
      const h = g.nodeIdx2Holder[v];
      const si = holderToSuspect.get(h);
      if (si === undefined) continue;
      const d = details[si];
      if (dom[v] < view.firstObject || matched[dom[v]] >= 0) {
        const type = view.typeNames[view.nodeIdx2Type[v]];
        const t = d.types.get(type) ?? { count: 0, bytes: 0 };
        t.count += 1;
        t.bytes += view.nodeIdx2Retained[v];
        d.types.set(type, t);
      }
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
  const view: GraphView = g.diff.target;
  const group = r.groups[last]!;
  // The member that grew most stands for the group: its path and row are what the user inspects.
  let best = group.slots[0];
  for (const s of group.slots) if (netBytes(g, s) > netBytes(g, best)) best = s;
  const holder = g.holders[best];
  const types = [...d.types.entries()]
    .map(([type, t]) => ({ type, ...t }))
    .sort((a, b) => b.bytes - a.bytes || b.count - a.count)
    .slice(0, DETAIL_ROWS);
  const allocationSites = [...d.sites.values()].sort((a, b) => b.bytes - a.bytes).slice(0, DETAIL_ROWS);
  const path = view.pathText(holder);
  const row = view.row(holder);
  const { candidate } = r;
  const suspect: LeakSuspect = {
    path,
    signature: candidate.signature,
    holder: row,
    holderSnapshot: view.info.id,
    holderCount: group.slots.length,
    retainedGrowthBytes: candidate.bytes,
    countGrowth: candidate.count,
    ownGrowthBytes: candidate.ownBytes,
    intervals: candidate.intervals,
    types,
    allocationSites,
    explanation: '',
    kind: 'growth',
  };
  suspect.explanation = describeGrowth(suspect, (owner) => shareClauses(d.shared, owner));
  return suspect;
}
