// Ctrl/Cmd+F: one box over type names, labels and addresses ("in quotes": whole names and values).
// Results are grouped by type with counts, the type of the largest match first and open; each group
// is a paged list. Choosing an object selects it everywhere (inspector, retainers, the table behind,
// which opens down to it) and closes the results.
import type { ObjectRow, SearchTypeRow, SnapshotInfo } from '@shared/contract';
import { forwardRef, type MouseEvent, useEffect, useMemo, useState } from 'react';
import { useClient, useStore } from '../app/context';
import { Bytes, Count } from '../components/bytes';
import { ObjectName } from '../components/object-cells';
import { type Column, TreeTable, useTopTotal } from '../components/tree-table';
import { formatCount } from '../lib/format';
import { TreeModel } from '../lib/tree-model';
import { withPreviews } from './previews';

type SearchRow = { kind: 'type'; group: SearchTypeRow } | { kind: 'object'; object: ObjectRow };

/** `"GET"`: whole names and values only (the indexer's query/search.ts parseQuery). */
const isExact = (query: string) => query.length >= 2 && query.startsWith('"') && query.endsWith('"');

export const SearchBox = forwardRef<HTMLInputElement, { info: SnapshotInfo }>(function SearchBox(
  { info },
  ref,
) {
  const client = useClient();
  const store = useStore();
  const [text, setText] = useState('');
  const [query, setQuery] = useState('');
  const [open, setOpen] = useState(false);

  useEffect(() => {
    const t = setTimeout(() => setQuery(text.trim()), 200);
    return () => clearTimeout(t);
  }, [text]);

  const model = useMemo(() => {
    if (query === '') return null;
    const snapshot = info.id;
    const tree = new TreeModel<SearchRow>({
      top: async (range) => {
        const page = await client.call('searchTypes', { snapshot, query, range });
        return { ...page, rows: page.rows.map((group): SearchRow => ({ kind: 'type', group })) };
      },
      children: (row) =>
        row.kind !== 'type'
          ? null
          : async (range) => {
              const args = { snapshot, query, range, typeKey: row.group.typeKey };
              const page = await client.call('search', args);
              const rows = page.rows.map((object): SearchRow => ({ kind: 'object', object }));
              return withPreviews(client, snapshot, { ...page, rows }, (r) =>
                r.kind === 'object' ? r.object : null,
              );
            },
    });
    return tree;
  }, [client, info.id, query]);
  useEffect(() => {
    if (model === null) return;
    let live = true;
    // The group holding the best match starts open: one type's matches (an address) need no click.
    void model.load().then(() => live && model.expand([0]));
    return () => {
      live = false;
      model.destroy();
    };
  }, [model]);
  const groups = useTopTotal(model);
  const [total, setTotal] = useState<{ query: string; total: number } | null>(null);
  useEffect(() => {
    if (query === '') return;
    let live = true;
    client
      .call('search', { snapshot: info.id, query, range: { start: 0, end: 0 } })
      .then((page) => live && setTotal({ query, total: page.total }))
      .catch(() => {}); // the groups' own request shows the error
    return () => {
      live = false;
    };
  }, [client, info.id, query]);
  const matches = total?.query === query ? total.total : null;

  const columns = useMemo<Column<SearchRow>[]>(
    () => [
      {
        id: 'object',
        header: 'Object',
        width: 300,
        grow: true,
        render: (r) =>
          r.kind === 'type' ? (
            <span className="search-type" title={r.group.type}>
              {r.group.type}
            </span>
          ) : (
            <ObjectName row={r.object} />
          ),
      },
      {
        id: 'count',
        header: 'Count',
        width: 70,
        align: 'right',
        render: (r) => (r.kind === 'type' ? <Count value={r.group.count} /> : null),
      },
      {
        id: 'retained',
        header: 'Retained',
        width: 84,
        align: 'right',
        title: 'For a type: its largest match',
        render: (r) => <Bytes value={r.kind === 'type' ? r.group.retained : r.object.retained} />,
      },
    ],
    [],
  );

  // A click on an object picks it (the table selects it first) and the results give way to it; a
  // click on a type opens or closes its group.
  const onResultsClick = (e: MouseEvent<HTMLDivElement>) => {
    const target = e.target as HTMLElement;
    if (target.closest('[data-testid="search-row"]') !== null) setOpen(false);
    const group = target.closest<HTMLElement>('[data-testid="search-type-row"]');
    if (group === null || model === null || target.closest('.tt-toggle') !== null) return;
    model.toggle(model.rowAt(Number(group.dataset.index)).path);
  };

  // Escape closes the results wherever the focus is (the box, the results, the table behind).
  useEffect(() => {
    if (!open) return;
    const onKey = (e: KeyboardEvent) => {
      if (e.key !== 'Escape') return;
      setOpen(false);
      if (document.activeElement instanceof HTMLElement) document.activeElement.blur();
    };
    document.addEventListener('keydown', onKey);
    return () => document.removeEventListener('keydown', onKey);
  }, [open]);

  return (
    <div className="search">
      <input
        ref={ref}
        type="search"
        placeholder='Search types, values, 0x…, "exact" (Ctrl+F)'
        title='Type names and values contain the text (types ignoring case); "in quotes": the whole name or value; 0x…: an address'
        value={text}
        onChange={(e) => {
          setText(e.target.value);
          setOpen(true);
        }}
        onFocus={() => setOpen(true)}
        onKeyDown={(e) => {
          if (e.key === 'Escape') {
            setOpen(false);
            e.currentTarget.blur();
          }
          if (e.key === 'ArrowDown') {
            const grid = document.querySelector<HTMLElement>('[data-testid="search-results"] .tt-body');
            grid?.focus();
            e.preventDefault();
          }
        }}
        data-testid="search-input"
        aria-label="Search objects"
      />
      {open && model !== null && (
        // biome-ignore lint/a11y/useKeyWithClickEvents: Enter on a result picks it or opens its group (onActivate)
        // biome-ignore lint/a11y/noStaticElementInteractions: the rows inside are the controls
        <div
          className="search-results"
          data-testid="search-results"
          data-query={query}
          onClick={onResultsClick}
        >
          <div className="search-head">
            <span className="muted" data-testid="search-count">
              {matches === null || groups === null
                ? 'Searching…'
                : `${formatCount(matches)} ${matches === 1 ? 'match' : 'matches'}${
                    groups > 1 ? ` in ${formatCount(groups)} types` : ''
                  }${isExact(query) ? ' (exact)' : ''}`}
            </span>
            <button type="button" className="link" onClick={() => setOpen(false)}>
              Close
            </button>
          </div>
          <TreeTable
            model={model}
            columns={columns}
            testId="search-table"
            emptyText={`Nothing matches ${isExact(query) ? query : `“${query}”`}.`}
            rowTestId={(r) => (r.kind === 'type' ? 'search-type-row' : 'search-row')}
            onCursor={(row) => row.row?.kind === 'object' && store.select({ node: row.row.object.node })}
            onActivate={(row) => row.row?.kind === 'object' && setOpen(false)}
          />
        </div>
      )}
    </div>
  );
});
