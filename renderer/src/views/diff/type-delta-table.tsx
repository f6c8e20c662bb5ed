// The type-delta table: one row per type name, paged and sorted by the server (`diff`), virtualized
// by the app's TreeTable. Growth reads red, shrinkage blue, as in DevTools' comparison view.
import type { DiffInfo, SnapshotId, TypeDeltaRow } from '@shared/contract';
import { useEffect, useMemo } from 'react';
import { useClient } from '../../app/context';
import { Count } from '../../components/bytes';
import { FilterBar } from '../../components/filter-bar';
import { useDebouncedFilter, useSortState } from '../../components/table-state';
import { type Column, TreeTable } from '../../components/tree-table';
import { exactBytes, formatBytes, formatCount } from '../../lib/format';
import { TreeModel } from '../../lib/tree-model';

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

interface Props {
  base: SnapshotId;
  target: SnapshotId;
  onInfo: (info: DiffInfo) => void;
  onError: (message: string) => void;
}

export function TypeDeltaTable({ base, target, onInfo, onError }: Props) {
  const client = useClient();
  const { sort, onSort } = useSortState<SortKey>({ key: 'retainedDelta', dir: 'desc' }, ['type']);
  const { filterText, setFilterText, filter } = useDebouncedFilter();

  const model = useMemo(
    () =>
      new TreeModel<TypeDeltaRow>({
        top: async (range) => {
          try {
            const { info, page } = await client.call('diff', {
              base,
              target,
              range,
              sort,
              filter: filter || undefined,
            });
            onInfo(info);
            return page;
          } catch (e) {
            onError(e instanceof Error ? e.message : String(e));
            throw e;
          }
        },
        children: () => null,
      }),
    [client, base, target, sort, filter, onInfo, onError],
  );
  useEffect(() => () => model.destroy(), [model]);

  const columns = useMemo<Column<TypeDeltaRow>[]>(
    () => [
      {
        id: 'type',
        header: 'Type',
        width: 240,
        grow: true,
        sortKey: 'type',
        render: (r) => (
          <span className="type-name" title={r.type}>
            {r.type}
          </span>
        ),
      },
      {
        id: 'countDelta',
        header: 'Δ Count',
        width: 84,
        align: 'right',
        sortKey: 'countDelta',
        render: (r) => <DeltaCount value={r.countDelta} />,
      },
      {
        id: 'new',
        header: 'New',
        width: 72,
        align: 'right',
        title: 'Objects in the target whose address and type were not in the base',
        render: (r) => <Count value={r.newCount} />,
      },
      {
        id: 'freed',
        header: 'Freed',
        width: 72,
        align: 'right',
        title: 'Objects of the base that are gone from the target',
        render: (r) => <Count value={r.freedCount} />,
      },
      {
        id: 'grown',
        header: 'Grew',
        width: 64,
        align: 'right',
        title: 'Survivors whose own size grew (a list, dict, bytearray or BytesIO that got bigger)',
        render: (r) => <Count value={r.grownCount} />,
      },
      {
        id: 'shallowDelta',
        header: 'Δ Shallow',
        width: 90,
        align: 'right',
        sortKey: 'shallowDelta',
        render: (r) => <DeltaBytes value={r.shallowDelta} />,
      },
      {
        id: 'retainedDelta',
        header: 'Δ Retained',
        width: 96,
        align: 'right',
        sortKey: 'retainedDelta',
        title: 'Change of the memory this type keeps alive (nested objects of one type counted once)',
        render: (r) => <DeltaBytes value={r.retainedDelta} />,
      },
    ],
    [],
  );

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
        rowTestId={(r) => `diff-row-${r.type}`}
      />
    </div>
  );
}
