// The landing view: memory by type. A type expands to its instances (largest retained first), an
// instance to what it references, so "which type holds the memory" and "which object" are one table.
import type { ApiArgs, EdgeRow, ObjectRow, SnapshotInfo, SortDir, TypeRow } from '@shared/contract';
import { useEffect, useMemo, useRef, useState } from 'react';
import { useClient, useStore } from '../app/context';
import { Bytes, Count, Distance, Share } from '../components/bytes';
import { FilterBar } from '../components/filter-bar';
import { EdgeName, ObjectName } from '../components/object-cells';
import { useDebouncedFilter, useSortState } from '../components/table-state';
import { type Column, TreeTable, useTopTotal } from '../components/tree-table';
import { benchMark } from '../lib/bench-marks';
import { TreeModel } from '../lib/tree-model';
import { withPreviews } from './previews';

export type SummaryRow =
  | { kind: 'type'; type: TypeRow }
  | { kind: 'object'; object: ObjectRow }
  | { kind: 'edge'; edge: EdgeRow };

type SortKey = 'type' | 'count' | 'shallow' | 'retained' | 'distance';

export function objectOf(row: SummaryRow): ObjectRow | null {
  if (row.kind === 'object') return row.object;
  if (row.kind === 'edge') return row.edge.node;
  return null;
}

export function SummaryView({ info, selected }: { info: SnapshotInfo; selected: number | null }) {
  const client = useClient();
  const store = useStore();
  const { sort, onSort } = useSortState<SortKey>({ key: 'retained', dir: 'desc' }, ['type', 'distance']);
  const { filterText, setFilterText, filter } = useDebouncedFilter();
  const snapshot = info.id;

  const model = useMemo(() => {
    const referents = (node: number) => async (range: { start: number; end: number }) => {
      const page = await client.call('referents', { snapshot, node, range });
      const rows = page.rows.map((edge): SummaryRow => ({ kind: 'edge', edge }));
      return withPreviews(client, snapshot, { ...page, rows }, objectOf);
    };
    const instanceSort = instanceSortFor(sort);
    return new TreeModel<SummaryRow>({
      top: async (range) => {
        const page = await client.call('summary', { snapshot, range, sort, filter: filter || undefined });
        return { ...page, rows: page.rows.map((type): SummaryRow => ({ kind: 'type', type })) };
      },
      children: (row) => {
        if (row.kind === 'type') {
          const typeKey = row.type.typeKey;
          return async (range) => {
            const page = await client.call('instances', {
              snapshot,
              typeKey,
              range,
              sort: instanceSort,
            });
            const rows = page.rows.map((object): SummaryRow => ({ kind: 'object', object }));
            return withPreviews(client, snapshot, { ...page, rows }, objectOf);
          };
        }
        const obj = objectOf(row);
        return obj === null ? null : referents(obj.node);
      },
    });
  }, [client, snapshot, sort, filter]);
  useEffect(() => () => model.destroy(), [model]);
  const typeCount = useTopTotal(model);
  // A type filter that would hide the object picked elsewhere gives way to it.
  const { reveal, fromTable } = useRevealSelected(
    model,
    snapshot,
    selected,
    instanceSortFor(sort),
    (type) => {
      if (filter === '' || type.toLowerCase().includes(filter.toLowerCase())) return false;
      setFilterText('');
      return true;
    },
  );

  const heap = info.totals.shallow;
  const columns = useMemo<Column<SummaryRow>[]>(
    () => [
      {
        id: 'name',
        header: 'Type / object',
        width: 320,
        grow: true,
        sortKey: 'type',
        render: (r) =>
          r.kind === 'type' ? (
            <span className="type-name" title={r.type.type}>
              {r.type.type}
            </span>
          ) : r.kind === 'object' ? (
            <ObjectName row={r.object} />
          ) : (
            <span className="edge-row">
              <EdgeName edge={r.edge.edge} weak={r.edge.weak} /> <ObjectName row={r.edge.node} />
            </span>
          ),
      },
      {
        id: 'count',
        header: 'Count',
        width: 90,
        align: 'right',
        sortKey: 'count',
        render: (r) => (r.kind === 'type' ? <Count value={r.type.count} /> : null),
      },
      {
        id: 'shallow',
        header: 'Shallow',
        width: 90,
        align: 'right',
        sortKey: 'shallow',
        render: (r) => <Bytes value={r.kind === 'type' ? r.type.shallow : objectOf(r)!.shallow} />,
      },
      {
        id: 'retained',
        header: 'Retained',
        width: 90,
        align: 'right',
        sortKey: 'retained',
        title: 'Bytes freed if these objects were freed (nested objects of one type counted once)',
        render: (r) => <Bytes value={r.kind === 'type' ? r.type.retained : objectOf(r)!.retained} />,
      },
      {
        id: 'distance',
        header: 'Distance',
        width: 88,
        align: 'right',
        sortKey: 'distance',
        title: 'References from the nearest root (for a type: its nearest object); — when unreachable',
        render: (r) => <Distance value={r.kind === 'type' ? r.type.distance : objectOf(r)!.distance} />,
      },
      {
        id: 'percent',
        header: '% of heap',
        width: 96,
        align: 'right',
        render: (r) => (
          <Share part={r.kind === 'type' ? r.type.retained : objectOf(r)!.retained} total={heap} />
        ),
      },
    ],
    [heap],
  );

  return (
    <div className="view summary-view" data-testid="summary-view">
      <FilterBar
        value={filterText}
        onChange={setFilterText}
        count={typeCount}
        noun={['type', 'types']}
        testId="summary-filter"
      />
      <TreeTable
        model={model}
        columns={columns}
        autoFocus
        sort={sort}
        onSort={onSort}
        testId="summary-table"
        emptyText={filter ? `No type matches “${filter}”.` : 'No objects.'}
        reveal={reveal}
        isSelected={(r) => objectOf(r)?.node === selected}
        rowTestId={(r) => (r.kind === 'type' ? `type-row-${r.type.type}` : `${r.kind}-row`)}
        onCursor={(row) => {
          const obj = row.row === undefined ? null : objectOf(row.row);
          if (obj === null) return;
          fromTable.current = obj.node;
          store.select({ node: obj.node });
        }}
        onRendered={(_s, _e, loaded) => loaded && benchMark('summary-painted')}
      />
    </div>
  );
}

/** Instances follow the table's size and distance columns; by name or count, largest first. */
function instanceSortFor(sort: { key: SortKey; dir: SortDir }): ApiArgs<'instances'>['sort'] {
  return sort.key === 'shallow' || sort.key === 'retained' || sort.key === 'distance'
    ? { key: sort.key, dir: sort.dir }
    : { key: 'retained', dir: 'desc' };
}

/**
 * A selection made elsewhere (search, retainers, the dominator tree, history) opens the table down to
 * it, once: its type row, then the object among the type's instances, at whatever depth (the
 * indexer gives its rank). A selection the table made itself stays where it is, and a new sort or
 * filter does not reveal it again. `beforeReveal` hears the object's type first and says whether it
 * cleared a filter that hid it; the table's next model then reveals it.
 */
function useRevealSelected(
  model: TreeModel<SummaryRow>,
  snapshot: string,
  selected: number | null,
  instanceSort: ApiArgs<'instances'>['sort'],
  beforeReveal: (type: string) => boolean,
) {
  const client = useClient();
  const [reveal, setReveal] = useState<{ path: number[]; seq: number } | null>(null);
  const fromTable = useRef<number | null>(null);
  /** The selection still to reveal. */
  const pending = useRef<number | null>(null);
  // The latest callback, without revealing again each render (the filter it reads changes the model).
  const before = useRef(beforeReveal);
  before.current = beforeReveal;
  useEffect(() => {
    pending.current = selected !== null && selected !== fromTable.current ? selected : null;
  }, [selected]);
  // biome-ignore lint/correctness/useExhaustiveDependencies: a new selection (read through `pending`) runs it too
  useEffect(() => {
    const target = pending.current;
    if (target === null) return;
    // One attempt: a filter or sort the user picks meanwhile wins over it.
    pending.current = null;
    let live = true;
    (async () => {
      const { row } = await client.call('objectDetails', { snapshot, node: target });
      if (!live || row.kind !== 'object') return;
      if (before.current(row.type)) {
        pending.current = target; // the unfiltered table's model reveals it
        return;
      }
      const rank = await client.call('instanceRank', {
        snapshot,
        typeKey: row.type,
        node: target,
        sort: instanceSort,
      });
      if (!live) return;
      const path = await model.reveal([(r) => r.kind === 'type' && r.type.typeKey === row.type, rank]);
      if (live && path !== null) setReveal((prev) => ({ path, seq: (prev?.seq ?? 0) + 1 }));
    })().catch(() => {}); // not found in the first pages: the selection still shows in the inspector
    return () => {
      live = false;
    };
  }, [client, snapshot, selected, model]);
  return { reveal, fromTable };
}
