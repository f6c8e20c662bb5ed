// The contract's insight queries for one snapshot: the report, and pages of one kind's findings,
// of a finding's owners and of its objects. The analyses run once (on the first query) and are
// kept; a finding's owner groups are kept for the last few findings opened, so paging through
// owners or objects groups the finding once.
import type {
  InsightFinding,
  InsightKind,
  InsightOwner,
  InsightReport,
  ObjectRow,
  Page,
  Range,
} from '../../shared/contract';
import { ApiError } from '../../shared/contract';
import type { GraphView } from '../diff/view';
import type { HeapGraph } from '../graph/heap-graph';
import { objectRow } from '../query/rows';
import { type Analysis, analyse, DEFAULT_LIMIT, findInsights } from './index';
import type { Candidate } from './kinds';
import { type OwnerGroups, unnamed } from './owners';

/** Findings whose owner groups are kept (a user pages through one or two at a time). */
const KEPT_GROUPS = 4;

export class InsightPages {
  private analysis: Analysis | null = null;
  private lastReport: { limit: number; report: InsightReport } | null = null;
  private readonly groups = new Map<string, OwnerGroups>();

  constructor(
    private readonly g: HeapGraph,
    private readonly view: GraphView,
  ) {}

  report(limit = DEFAULT_LIMIT): InsightReport {
    if (this.lastReport?.limit !== limit) {
      this.lastReport = { limit, report: findInsights(this.g, this.view, limit, this.analysed()) };
    }
    return this.lastReport.report;
  }

  findings(kind: InsightKind, range: Range): Page<InsightFinding> {
    const ranked = this.analysed().byKind.get(kind);
    const total = ranked?.size ?? 0;
    const { start, end } = clamp(range, total);
    const rows: InsightFinding[] = [];
    for (let r = start; r < end; r++) rows.push(unnamed(ranked!.at(r)));
    return { start, end, total, rows };
  }

  /** `finding` undefined: the owners of every finding of the kind together. */
  owners(kind: InsightKind, finding: number | undefined, range: Range): Page<InsightOwner> {
    const groups = this.ownerGroups(kind, finding);
    const { start, end } = clamp(range, groups.order.length);
    const rows = this.analysed().namer.owners(groups, start, end);
    return { start, end, total: groups.order.length, rows };
  }

  objects(
    kind: InsightKind,
    finding: number | undefined,
    owner: number | undefined,
    range: Range,
  ): Page<ObjectRow> {
    const groups = this.ownerGroups(kind, finding);
    let nodes = groups.members.nodes;
    if (owner !== undefined) {
      if (owner >= groups.order.length) {
        throw new ApiError(
          'not-found',
          `owner ${owner} of ${kind} ${finding === undefined ? 'findings' : `finding ${finding}`}: there are ${groups.order.length} owners`,
        );
      }
      nodes = ownersNodes(groups, groups.order[owner]!);
    }
    const { start, end } = clamp(range, nodes.length);
    const rows = Array.from(nodes.subarray(start, end), (v) => objectRow(this.g, v));
    return { start, end, total: nodes.length, rows };
  }

  private analysed(): Analysis {
    this.analysis ??= analyse(this.g, this.view);
    return this.analysis;
  }

  private candidate(kind: InsightKind, finding: number): Candidate {
    const ranked = this.analysed().byKind.get(kind);
    if (!ranked || finding >= ranked.size) {
      throw new ApiError(
        'not-found',
        `${kind} finding ${finding}: the snapshot has ${ranked?.size ?? 0} findings of that kind`,
      );
    }
    return ranked.at(finding);
  }

  private ownerGroups(kind: InsightKind, finding: number | undefined): OwnerGroups {
    const key = `${kind}/${finding ?? 'all'}`;
    let groups = this.groups.get(key);
    if (groups) {
      this.groups.delete(key);
    } else {
      const ranked = this.analysed().byKind.get(kind);
      const members =
        finding === undefined
          ? {
              members: () =>
                ranked?.allMembers() ?? { nodes: new Uint32Array(0), nodeWaste: new Float64Array(0) },
            }
          : this.candidate(kind, finding);
      groups = this.analysed().namer.group(members);
      if (this.groups.size >= KEPT_GROUPS) this.groups.delete(this.groups.keys().next().value!);
    }
    this.groups.set(key, groups);
    return groups;
  }
}

/** The members of group q, in node order. */
function ownersNodes(groups: OwnerGroups, q: number): Uint32Array {
  const { nodes } = groups.members;
  const out = new Uint32Array(groups.count[q]!);
  let k = 0;
  for (let i = 0; i < nodes.length; i++) if (groups.groupOf[i] === q) out[k++] = nodes[i]!;
  return out;
}

function clamp(range: Range, total: number): Range {
  const start = Math.max(0, Math.min(Math.floor(range.start), total));
  return { start, end: Math.max(start, Math.min(Math.floor(range.end), total)) };
}
