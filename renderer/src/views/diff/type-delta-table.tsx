// The type-delta table: one row per type name, paged and sorted by the server (`diff`), virtualized
// by the app's TreeTable. Growth reads red, shrinkage blue, as in DevTools' comparison view. A type
// expands to its new, freed and grown objects (`diffObjects`, paged), each in the snapshot it lives
// in; the cursor on one opens it in the Diff view's inspector.
import type { DiffChange, DiffInfo, SnapshotId, SnapshotInfo, TypeDeltaRow } from '@shared/contract';
import { useEffect, useMemo, useRef, useState } from 'react';
import { useClient } from '../../app/context';
import { Count } from '../../components/bytes';
import { FilterBar } from '../../components/filter-bar';
import { ObjectName } from '../../components/object-cells';
import { useDebouncedFilter, useSortState } from '../../components/table-state';
import { type Column, TreeTable } from '../../components/tree-table';
import { exactBytes, formatBytes, formatCount } from '../../lib/format';
import { TreeModel } from '../../lib/tree-model';
import { type PreviewedRow, withPreviews } from '../previews';
import type { ComparedObject } from './compare-store';

type SortKey = 'type' | 'countDelta' | 'shallowDelta' | 'retainedDelta';

function signed(text: string, value: number): string {
  return value > 0 ? `+${text}` : text;
}

export function DeltaBytes({ value }: { value: number }) {
  const cls = value > 0 ? 'delta-up' : value < 0 ? 'delta-down' : 'delta-zero';
  return (
    <span className={cls} title={exactBytes(value)}>
      {signed(formatBytes(value), value)}
    </span>
  );
}

export function DeltaCount({ value }: { value: number }) {
  const cls = value > 0 ? 'delta-up' : value < 0 ? 'delta-down' : 'delta-zero';
  return <span className={cls}>{signed(formatCount(value), value)}</span>;
}

/** A row of the table: a type, one of its changes (new, freed, grew), or one object of a change. */
export type DeltaRow =
  | { kind: 'type'; row: TypeDeltaRow }
  | { kind: 'change'; type: string; change: DiffChange; count: number; bytes: number }
  | {
      kind: 'object';
      type: string;
      change: DiffChange;
      snapshot: SnapshotId;
      object: PreviewedRow;
      sizeDelta: number;
    };

/** A type's non-empty changes, in DevTools' order: what came, what went, what grew in place. */
function changesOf(r: TypeDeltaRow): DeltaRow[] {
  const all: DeltaRow[] = [
    { kind: 'change', type: r.type, change: 'new', count: r.newCount, bytes: r.newBytes },
    { kind: 'change', type: r.type, change: 'freed', count: r.freedCount, bytes: -r.freedBytes },
    { kind: 'change', type: r.type, change: 'grown', count: r.grownCount, bytes: r.grownBytes },
  ];
  return all.filter((c) => c.kind === 'change' && c.count > 0);
}

interface Props {
  /** The older and newer snapshot of the interval shown, and how the interval reads (`1→3`). */
  base: SnapshotInfo;
  target: SnapshotInfo;
  interval: string;
  selected: ComparedObject | null;
  /** An object row got the cursor: inspect it in the snapshot it lives in. */
  onPick: (object: ComparedObject) => void;
  onInfo: (info: DiffInfo) => void;
  onError: (message: string) => void;
}

export function TypeDeltaTable({ base, target, interval, selected, onPick, onInfo, onError }: Props) {
  const client = useClient();
  const { sort, onSort } = useSortState<SortKey>({ key: 'retainedDelta', dir: 'desc' }, ['type']);
  const { filterText, setFilterText, filter } = useDebouncedFilter();
  const pair = { base: base.id, target: target.id };

  // biome-ignore lint/correctness/useExhaustiveDependencies: `pair` is base.id and target.id
  const model = useMemo(
    () =>
      new TreeModel<DeltaRow>({
        top: async (range) => {
          try {
            const { info, page } = await client.call('diff', {
              ...pair,
              range,
              sort,
              filter: filter || undefined,
            });
            onInfo(info);
            return { ...page, rows: page.rows.map((row): DeltaRow => ({ kind: 'type', row })) };
          } catch (e) {
            onError(e instanceof Error ? e.message : String(e));
            throw e;
          }
        },
        children: (r) => {
          if (r.kind === 'type') {
            const rows = changesOf(r.row);
            return rows.length === 0
              ? null
              : async (range) => {
                  const end = Math.min(range.end, rows.length);
                  return {
                    start: Math.min(range.start, end),
                    end,
                    total: rows.length,
                    rows: rows.slice(range.start, end),
                  };
                };
          }
          if (r.kind !== 'change') return null;
          const { type, change } = r;
          return async (range) => {
            const { snapshot, page } = await client.call('diffObjects', { ...pair, type, change, range });
            const rows = page.rows.map(
              (o): DeltaRow => ({
                kind: 'object',
                type,
                change,
                snapshot,
                object: o.object,
                sizeDelta: o.sizeDelta,
              }),
            );
            return withPreviews(client, snapshot, { ...page, rows }, (x) =>
              x.kind === 'object' ? x.object : null,
            );
          };
        },
      }),
    [client, base.id, target.id, sort, filter, onInfo, onError],
  );
  useEffect(() => () => model.destroy(), [model]);

  // An object selected before the table existed (a reload, a tab switch, a new sort): open its type
  // and change and put the cursor on it, when it belongs to this interval's drill-down.
  const [reveal, setReveal] = useState<{ path: number[]; seq: number } | null>(null);
  const picked = useRef<ComparedObject | null>(null);
  useEffect(() => {
    const o = selected;
    const p = picked.current;
    if (o === null || o.change === null || o.type === null) return;
    if (p !== null && p.snapshot === o.snapshot && p.node === o.node && p.change === o.change) return;
    if (o.snapshot !== (o.change === 'freed' ? base.id : target.id)) return;
    const { type, change, node } = o;
    let live = true;
    model
      .reveal([
        (r) => r.kind === 'type' && r.row.type === type,
        (r) => r.kind === 'change' && r.change === change,
        (r) => r.kind === 'object' && r.object.node === node,
      ])
      .then(
        (path) => {
          if (live && path !== null) setReveal((prev) => ({ path, seq: (prev?.seq ?? 0) + 1 }));
        },
        () => {},
      );
    return () => {
      live = false;
    };
  }, [model, selected, base.id, target.id]);

  const columns = useMemo(() => deltaColumns(base, target, interval), [base, target, interval]);

  return (
    <div className="view diff-types" data-testid="diff-types">
      <FilterBar
        value={filterText}
        onChange={setFilterText}
        count={model.topTotal}
        noun={['type', 'types']}
        testId="diff-filter"
      />
      <TreeTable
        model={model}
        columns={columns}
        sort={sort}
        onSort={onSort}
        testId="diff-table"
        emptyText={filter ? `No type matches “${filter}”.` : 'No types.'}
        rowTestId={(r) =>
          r.kind === 'type'
            ? `diff-row-${r.row.type}`
            : r.kind === 'change'
              ? `diff-change-${r.change}`
              : `diff-object-${r.change}`
        }
        rowClass={(r) => (r.kind === 'change' ? 'diff-change-row' : '')}
        isSelected={(r) =>
          r.kind === 'object' &&
          selected !== null &&
          selected.snapshot === r.snapshot &&
          selected.node === r.object.node
        }
        reveal={reveal}
        onCursor={(info) => {
          const r = info.row;
          if (r?.kind !== 'object') return;
          const o = { snapshot: r.snapshot, node: r.object.node, change: r.change, type: r.type };
          // The table's own pick needs no reveal: the cursor is already on it.
          picked.current = o;
          onPick(o);
        }}
      />
    </div>
  );
}

const CHANGE_WORDS: Record<DiffChange, string> = { new: 'New', freed: 'Freed', grown: 'Grew' };

/** A snapshot by its number in the series and its name (names repeat: a captured series). */
function snap(position: string, info: SnapshotInfo): string {
  return `snapshot ${position} (${info.name})`;
}

/** What a change row says about where its objects are: the snapshot the inspector opens them in. */
function changeNote(change: DiffChange, base: SnapshotInfo, target: SnapshotInfo, interval: string): string {
  const [from, to] = interval.split('→');
  if (change === 'new') return `in ${snap(to, target)}, not in ${snap(from, base)}`;
  if (change === 'freed') return `in ${snap(from, base)}, gone from ${snap(to, target)}`;
  return `in both, bigger in ${snap(to, target)} than in ${snap(from, base)}`;
}

function deltaColumns(base: SnapshotInfo, target: SnapshotInfo, interval: string): Column<DeltaRow>[] {
  const over = ` (${interval}: ${base.name} → ${target.name})`;
  return [
    {
      id: 'type',
      header: 'Type',
      // The least the name gets before the numbers would be pushed out of view (1024 px wide).
      width: 180,
      grow: true,
      sortKey: 'type',
      render: (r) =>
        r.kind === 'type' ? (
          <span className="type-name" title={r.row.type}>
            {r.row.type}
          </span>
        ) : r.kind === 'change' ? (
          <span className="diff-change" title={changeNote(r.change, base, target, interval)}>
            <strong>{CHANGE_WORDS[r.change]}</strong>{' '}
            {/* Short enough for a 1024 px window: where the objects open; the title says the rest. */}
            <span className="muted">
              {formatCount(r.count)} · in snapshot {interval.split('→')[r.change === 'freed' ? 0 : 1]}
            </span>
          </span>
        ) : (
          <ObjectName row={r.object} />
        ),
    },
    {
      id: 'countDelta',
      header: 'Δ Count',
      width: 84,
      align: 'right',
      sortKey: 'countDelta',
      title: `Change of the number of objects${over}`,
      render: (r) =>
        r.kind === 'type' ? (
          <DeltaCount value={r.row.countDelta} />
        ) : r.kind === 'change' && r.change !== 'grown' ? (
          <DeltaCount value={r.change === 'new' ? r.count : -r.count} />
        ) : null,
    },
    {
      id: 'new',
      header: 'New',
      width: 72,
      align: 'right',
      title: `Objects in ${target.name} whose address and type were not in ${base.name}${over}`,
      render: (r) => (r.kind === 'type' ? <Count value={r.row.newCount} /> : null),
    },
    {
      id: 'freed',
      header: 'Freed',
      width: 72,
      align: 'right',
      title: `Objects of ${base.name} that are gone from ${target.name}${over}`,
      render: (r) => (r.kind === 'type' ? <Count value={r.row.freedCount} /> : null),
    },
    {
      id: 'grown',
      header: 'Grew',
      width: 64,
      align: 'right',
      title: `Survivors whose own size grew (a list, dict, bytearray or BytesIO that got bigger)${over}`,
      render: (r) => (r.kind === 'type' ? <Count value={r.row.grownCount} /> : null),
    },
    {
      id: 'shallowDelta',
      header: 'Δ Shallow',
      width: 90,
      align: 'right',
      sortKey: 'shallowDelta',
      title: `Change of the objects' own sizes${over}; for one object, its own size gained or freed`,
      render: (r) => (
        <DeltaBytes
          value={r.kind === 'type' ? r.row.shallowDelta : r.kind === 'change' ? r.bytes : r.sizeDelta}
        />
      ),
    },
    {
      id: 'retainedDelta',
      header: 'Δ Retained',
      width: 104,
      align: 'right',
      sortKey: 'retainedDelta',
      title: `Change of the memory this type keeps alive (nested objects of one type counted once)${over}`,
      render: (r) => (r.kind === 'type' ? <DeltaBytes value={r.row.retainedDelta} /> : null),
    },
  ];
}
