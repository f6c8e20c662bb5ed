// The diff of a base and a target snapshot: per-type deltas (merged by type name, DevTools style)
// and the per-object classification — new, freed, survived-and-grew — that leak detection builds on.
// One pass over each snapshot's typed arrays; the rows are per type, so there are only thousands.
import type { DiffInfo, Page, Range, SortDir, TypeDeltaRow } from '@shared/contract';
import { formatSeconds } from '../report/format';
import { matchNodes, type NodeMatch } from './match';
import { DiffObjects } from './objects';
import type { GraphView } from './view';

export type DiffSortKey = 'type' | 'countDelta' | 'shallowDelta' | 'retainedDelta';

export class SnapshotDiff {
  readonly match: NodeMatch;
  readonly info: DiffInfo;
  readonly rows: TypeDeltaRow[];
  /** The objects behind each row's new, freed and grown counts, paged (the table's drill-down). */
  readonly objects: DiffObjects;

  constructor(
    readonly base: GraphView,
    readonly target: GraphView,
  ) {
    this.match = matchNodes(base, target);
    const { rows, info } = this.classify();
    this.rows = rows;
    this.info = { ...info, warnings: compareWarnings(base, target) };
    this.objects = new DiffObjects(base, target, this.match);
  }

  /** Rows sorted and filtered server-side; the UI only ever holds the window it shows. */
  page(range: Range, sort?: { key: DiffSortKey; dir: SortDir }, filter?: string): Page<TypeDeltaRow> {
    const needle = filter?.trim().toLowerCase() ?? '';
    const rows = needle ? this.rows.filter((r) => r.type.toLowerCase().includes(needle)) : this.rows.slice();
    const key = sort?.key ?? 'retainedDelta';
    const sign = (sort?.dir ?? 'desc') === 'asc' ? 1 : -1;
    if (key === 'type') rows.sort((a, b) => sign * a.type.localeCompare(b.type));
    // Descending by magnitude puts the biggest shrink next to the biggest growth; ties by name.
    else rows.sort((a, b) => sign * (a[key] - b[key]) || a.type.localeCompare(b.type));
    const start = Math.max(0, Math.min(range.start, rows.length));
    const end = Math.max(start, Math.min(range.end, rows.length));
    return { start, end, total: rows.length, rows: rows.slice(start, end) };
  }

  private classify(): { rows: TypeDeltaRow[]; info: Omit<DiffInfo, 'warnings'> } {
    const { base, target, match } = this;
    const T = match.typeNames.length;
    // Per canonical type: new/freed/grown counts and bytes.
    const acc = new Float64Array(T * 6);
    const NEW_C = 0;
    const NEW_B = 1;
    const FREED_C = 2;
    const FREED_B = 3;
    const GROWN_C = 4;
    const GROWN_B = 5;
    const tShallow = target.nodeIdx2Shallow;
    const bShallow = base.nodeIdx2Shallow;
    for (let t = target.firstObject; t < target.nodeCount; t++) {
      const name = match.targetTypeIdx2Name[target.nodeIdx2Type[t]];
      const b = match.targetIdx2BaseIdx[t];
      if (b < 0) {
        acc[name * 6 + NEW_C] += 1;
        acc[name * 6 + NEW_B] += tShallow[t];
      } else if (tShallow[t] > bShallow[b]) {
        acc[name * 6 + GROWN_C] += 1;
        acc[name * 6 + GROWN_B] += tShallow[t] - bShallow[b];
      }
    }
    for (let b = base.firstObject; b < base.nodeCount; b++) {
      if (match.baseIdx2TargetIdx[b] >= 0) continue;
      const name = match.baseTypeIdx2Name[base.nodeIdx2Type[b]];
      acc[name * 6 + FREED_C] += 1;
      acc[name * 6 + FREED_B] += bShallow[b];
    }
    const byName = new Map<string, TypeDeltaRow>();
    const nameId = new Map(match.typeNames.map((name, id) => [name, id]));
    const row = (type: string): TypeDeltaRow => {
      let r = byName.get(type);
      if (!r) {
        const id = nameId.get(type) ?? -1;
        const at = (k: number) => (id < 0 ? 0 : acc[id * 6 + k]);
        r = {
          type,
          baseCount: 0,
          targetCount: 0,
          baseShallow: 0,
          targetShallow: 0,
          baseRetained: 0,
          targetRetained: 0,
          countDelta: 0,
          shallowDelta: 0,
          retainedDelta: 0,
          newCount: at(NEW_C),
          newBytes: at(NEW_B),
          freedCount: at(FREED_C),
          freedBytes: at(FREED_B),
          grownCount: at(GROWN_C),
          grownBytes: at(GROWN_B),
        };
        byName.set(type, r);
      }
      return r;
    };
    for (const t of base.typeRows()) {
      const r = row(t.type);
      r.baseCount += t.count;
      r.baseShallow += t.shallow;
      r.baseRetained += t.retained;
    }
    for (const t of target.typeRows()) {
      const r = row(t.type);
      r.targetCount += t.count;
      r.targetShallow += t.shallow;
      r.targetRetained += t.retained;
    }
    const totals = {
      newObjects: 0,
      freedObjects: 0,
      grownObjects: 0,
      newBytes: 0,
      freedBytes: 0,
      grownBytes: 0,
    };
    for (const r of byName.values()) {
      r.countDelta = r.targetCount - r.baseCount;
      r.shallowDelta = r.targetShallow - r.baseShallow;
      r.retainedDelta = r.targetRetained - r.baseRetained;
      totals.newObjects += r.newCount;
      totals.newBytes += r.newBytes;
      totals.freedObjects += r.freedCount;
      totals.freedBytes += r.freedBytes;
      totals.grownObjects += r.grownCount;
      totals.grownBytes += r.grownBytes;
    }
    const bt = base.info.process.dumpTime;
    const tt = target.info.process.dumpTime;
    return {
      rows: [...byName.values()],
      info: {
        base: base.info.id,
        target: target.info.id,
        ...totals,
        seconds: bt !== null && tt !== null ? tt - bt : null,
      },
    };
  }
}

/** What makes a comparison meaningless or misleading, in words the user can act on. */
export function compareWarnings(base: GraphView, target: GraphView): string[] {
  const warnings: string[] = [];
  const b = base.info;
  const t = target.info;
  if (b.id === t.id) warnings.push(`${b.name} is compared with itself: nothing can differ`);
  const bp = b.process;
  const tp = t.process;
  if (bp.pid !== null && tp.pid !== null && bp.pid !== tp.pid) {
    warnings.push(
      `${b.name} (pid ${bp.pid}) and ${t.name} (pid ${tp.pid}) come from different processes: addresses do not match across processes, so nearly every object looks new`,
    );
  }
  if (bp.argv.join('\u0000') !== tp.argv.join('\u0000')) {
    warnings.push(
      `the command lines differ: ${b.name} ran "${bp.argv.join(' ')}", ${t.name} ran "${tp.argv.join(' ')}"`,
    );
  }
  if (bp.dumpTime !== null && tp.dumpTime !== null && tp.dumpTime < bp.dumpTime) {
    warnings.push(
      `${t.name} was taken ${formatSeconds(bp.dumpTime - tp.dumpTime)} before ${b.name}: swap them so growth reads as growth`,
    );
  }
  if (bp.pythonVersion && tp.pythonVersion && bp.pythonVersion !== tp.pythonVersion) {
    warnings.push(`the Python versions differ (${bp.pythonVersion} vs ${tp.pythonVersion})`);
  }
  return warnings;
}
