// Where one snapshot wastes memory: runs each analysis over the flat arrays, then names the owners
// of the largest findings. `findInsights` is the contract's `insights` answer (docs/INSIGHTS.md).
import {
  INSIGHT_KINDS,
  type InsightFinding,
  type InsightKind,
  type InsightReport,
} from '../../shared/contract';
import type { GraphView } from '../diff/view';
import type { HeapGraph } from '../graph/heap-graph';
import { processAccounting } from './accounting';
import { boxedNumbers, MIN_BOXED_LENGTH } from './boxed';
import { emptyCollections, overallocatedDicts } from './collections';
import { scanDicts } from './dict-scan';
import { findDuplicates } from './duplicates';
import { fmt, type Ranked, rankedList, typeKinds } from './kinds';
import { type Layout, layoutFor } from './layouts';
import { OwnerNamer } from './owners';
import { dictRecords, MIN_RECORDS } from './records';
import { scratchOf } from './scratch';
import { missingSlots } from './slots';

export const DEFAULT_LIMIT = 20;

/** Kinds in the order reports list them: the contract's own list. */
export const KIND_ORDER: readonly InsightKind[] = INSIGHT_KINDS;

/** Every analysis run once over a snapshot: findings ranked per kind, built and named on demand. */
export interface Analysis {
  layout: Layout | null;
  byKind: Map<InsightKind, Ranked>;
  notCounted: string[];
  namer: OwnerNamer;
  seconds: number;
}

export function analyse(g: HeapGraph, view: GraphView): Analysis {
  const started = performance.now();
  const kinds = typeKinds(g);
  const { layout, reason } = layoutFor(g.meta);
  const notCounted: string[] = [];
  const byKind = new Map<InsightKind, Ranked>();
  // The columns each analysis needs only while it runs, shared and kept per snapshot.
  const scratch = scratchOf(g);

  const dup = findDuplicates(g, kinds, scratch);
  byKind.set('duplicate-values', dup.ranked);
  if (dup.skippedTruncated.count > 0) {
    notCounted.push(
      `${fmt(dup.skippedTruncated.count)} str/bytes objects (${fmt(dup.skippedTruncated.bytes)} B) longer than the dump's labels: their full value is not in the snapshot, so their duplicates are not counted.`,
    );
  }
  if (dup.skippedRedacted > 0) {
    notCounted.push(
      `${fmt(dup.skippedRedacted)} strings were redacted by the dumper: not checked for duplicates.`,
    );
  }
  const dicts = scanDicts(g, layout, scratch);
  byKind.set('empty-collections', rankedList(emptyCollections(g, layout, dicts.empty)));
  if (layout) {
    const over = overallocatedDicts(g, layout, dicts);
    byKind.set('overallocated-collections', rankedList(over ? [over] : []));
    const slots = missingSlots(g, kinds, layout, scratch);
    byKind.set('missing-slots', rankedList(slots.candidates));
    if (slots.unknownClasses > 0) {
      notCounted.push(
        `${fmt(slots.unknownClasses)} classes whose layout could not be told (a builtin base other than object, or no class object in the snapshot): not checked for __slots__.`,
      );
    }
    byKind.set('dict-records', dictRecords(g, layout, dicts));
    byKind.set('boxed-numbers', rankedList(boxedNumbers(g, kinds, layout, hasNumpy(g))));
  } else {
    notCounted.push(
      `Over-allocated dicts, __slots__, dict records and boxed numbers need CPython's object sizes: ${reason}.`,
    );
  }
  notCounted.push(
    'Lists are not checked for over-allocation: CPython shrinks a list below half full and grows it by at most 12.5 % + 6 slots.',
  );
  const seconds = (performance.now() - started) / 1000;
  return { layout, byKind, notCounted, namer: new OwnerNamer(g, view), seconds };
}

/** The first `limit` findings of each kind, each with its owners (every object attributed). */
export function findInsights(
  g: HeapGraph,
  view: GraphView,
  limit = DEFAULT_LIMIT,
  analysis = analyse(g, view),
): InsightReport {
  const started = performance.now();
  const findings: InsightFinding[] = [];
  const totals: InsightReport['totals'] = [];
  for (const kind of KIND_ORDER) {
    const k = analysis.byKind.get(kind);
    if (!k) continue;
    totals.push({ kind, findings: k.findings, count: k.count, wastedBytes: Math.round(k.waste) });
    for (let r = 0; r < Math.min(limit, k.size); r++) findings.push(analysis.namer.finding(k.at(r)));
  }
  return {
    accounting: processAccounting(g.meta, g.totals.shallow),
    pythonVersion: analysis.layout ? analysis.layout.version : pythonVersion(g),
    totals,
    findings,
    assumptions: assumptions(analysis.layout),
    notCounted: analysis.notCounted,
    seconds: analysis.seconds + (performance.now() - started) / 1000,
  };
}

function pythonVersion(g: HeapGraph): string | null {
  const python = (g.meta.python ?? {}) as Record<string, unknown>;
  return typeof python.version === 'string' ? python.version : null;
}

function hasNumpy(g: HeapGraph): boolean {
  return g.types.nameIndex.has('numpy.ndarray');
}

function assumptions(l: Layout | null): string[] {
  const out = [
    'Sizes are sys.getsizeof as the dumper recorded them (64-bit CPython); a remedy saves the bytes given only once nothing else keeps the objects.',
    'Duplicates: copies of one str or bytes value of equal size; keeping one saves (copies − 1) × size.',
  ];
  if (!l) return out;
  out.push(
    `Python ${l.version}: empty list ${l.listEmpty} B + 8 B a slot; empty dict ${l.dictEmpty} B; empty set ${l.setEmpty} B; array.array ${l.arrayEmpty} B + 8 B an item; an instance with n __slots__ ${l.slotted(0)} + 8n B.`,
    `Dicts: size = ${l.dictEmpty} + ${l.dictKeysHeader} + slots × index bytes + ⌊2·slots/3⌋ × ${l.dictStrEntry} B (str keys; 24 B otherwise); dict(d) rebuilds a table sized for its items.`,
    l.inlineValues
      ? `Instances without a __dict__ object keep their attributes inline: ${l.inlineValues(4)} B for 4 attributes (not in sys.getsizeof; added to today's cost).`
      : 'Instances keep their attributes in a __dict__ object (its size is added to the instance).',
    `Boxed numbers: lists/tuples of at least ${MIN_BOXED_LENGTH} elements; records: at least ${MIN_RECORDS} dicts with one key set.`,
  );
  return out;
}
