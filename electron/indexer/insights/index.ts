// Where one snapshot wastes memory: runs each analysis over the flat arrays, then names the owners
// of the largest findings. `findInsights` is the contract's `insights` answer (docs/INSIGHTS.md).
import type { InsightFinding, InsightKind, InsightReport } from '../../shared/contract';
import type { GraphView } from '../diff/view';
import type { HeapGraph } from '../graph/heap-graph';
import { processAccounting } from './accounting';
import { boxedNumbers, MIN_BOXED_LENGTH } from './boxed';
import { emptyCollections, overallocatedDicts } from './collections';
import { findDuplicates, OWNER_SAMPLE } from './duplicates';
import { type Candidate, fmt, typeKinds } from './kinds';
import { type Layout, layoutFor } from './layouts';
import { OwnerNamer } from './owners';
import { dictRecords, MIN_RECORDS } from './records';
import { missingSlots } from './slots';

export const DEFAULT_LIMIT = 20;

const KIND_ORDER: InsightKind[] = [
  'duplicate-values',
  'empty-collections',
  'overallocated-collections',
  'missing-slots',
  'dict-records',
  'boxed-numbers',
];

export function findInsights(g: HeapGraph, view: GraphView, limit = DEFAULT_LIMIT): InsightReport {
  const started = performance.now();
  const kinds = typeKinds(g);
  const { layout, reason } = layoutFor(g.meta);
  const notCounted: string[] = [];
  const byKind = new Map<InsightKind, { all: Candidate[]; count: number; waste: number; findings: number }>();
  const put = (
    kind: InsightKind,
    all: Candidate[],
    total?: { findings: number; count: number; waste: number },
  ) => {
    all.sort((a, b) => b.wastedBytes - a.wastedBytes);
    byKind.set(kind, {
      all: all.slice(0, limit),
      findings: total?.findings ?? all.length,
      count: total?.count ?? all.reduce((s, c) => s + c.count, 0),
      waste: total?.waste ?? all.reduce((s, c) => s + c.wastedBytes, 0),
    });
  };

  const dup = findDuplicates(g, kinds, limit);
  put('duplicate-values', dup.candidates, {
    findings: dup.totalGroups,
    count: dup.totalCopies,
    waste: dup.totalWaste,
  });
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
  put('empty-collections', emptyCollections(g, layout));
  if (layout) {
    const over = overallocatedDicts(g, layout);
    put('overallocated-collections', over ? [over] : []);
    const slots = missingSlots(g, layout);
    put('missing-slots', slots.candidates);
    if (slots.unknownClasses > 0) {
      notCounted.push(
        `${fmt(slots.unknownClasses)} classes whose layout could not be told (a builtin base other than object, or no class object in the snapshot): not checked for __slots__.`,
      );
    }
    put('dict-records', dictRecords(g, layout));
    put('boxed-numbers', boxedNumbers(g, kinds, layout, hasNumpy(g)));
  } else {
    notCounted.push(
      `Over-allocated dicts, __slots__, dict records and boxed numbers need CPython's object sizes: ${reason}.`,
    );
  }
  notCounted.push(
    'Lists are not checked for over-allocation: CPython shrinks a list below half full and grows it by at most 12.5 % + 6 slots.',
    `Owners are named from the first ${fmt(OWNER_SAMPLE)} objects of a finding (each finding's ownersOf says how many).`,
  );

  const namer = new OwnerNamer(view);
  const findings: InsightFinding[] = [];
  const totals: InsightReport['totals'] = [];
  for (const kind of KIND_ORDER) {
    const k = byKind.get(kind);
    if (!k) continue;
    totals.push({ kind, findings: k.findings, count: k.count, wastedBytes: Math.round(k.waste) });
    for (const c of k.all) findings.push(namer.finding(c));
  }
  return {
    accounting: processAccounting(g.meta, g.totals.shallow),
    pythonVersion: layout ? layout.version : pythonVersion(g),
    totals,
    findings,
    assumptions: assumptions(layout),
    notCounted,
    seconds: (performance.now() - started) / 1000,
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
