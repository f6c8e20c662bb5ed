// Ctrl/Cmd+F: one box over type names, labels and addresses. Results are a paged list; choosing one
// selects the object everywhere (inspector, retainers, dominator tree).
import type { ObjectRow, SnapshotInfo } from '@shared/contract';
import { forwardRef, useEffect, useMemo, useState } from 'react';
import { useClient, useStore } from '../app/context';
import { Bytes } from '../components/bytes';
import { ObjectName } from '../components/object-cells';
import { type Column, TreeTable, useTopTotal } from '../components/tree-table';
import { TreeModel } from '../lib/tree-model';
import { withPreviews } from './previews';

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

  const model = useMemo(
    () =>
      query === ''
        ? null
        : new TreeModel<ObjectRow>({
            top: async (range) =>
              withPreviews(
                client,
                info.id,
                await client.call('search', { snapshot: info.id, query, range }),
                (r) => r,
              ),
            children: () => null,
          }),
    [client, info.id, query],
  );
  useEffect(() => () => model?.destroy(), [model]);
  const total = useTopTotal(model);

  const columns = useMemo<Column<ObjectRow>[]>(
    () => [
      { id: 'object', header: 'Object', width: 300, grow: true, render: (r) => <ObjectName row={r} /> },
      {
        id: 'retained',
        header: 'Retained',
        width: 84,
        align: 'right',
        render: (r) => <Bytes value={r.retained} />,
      },
    ],
    [],
  );

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
        placeholder="Search types, values, 0x addresses (Ctrl+F)"
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
        // A click on a result picks it (the table selects it first): the overlay gives way to it.
        // biome-ignore lint/a11y/useKeyWithClickEvents: Enter on a result closes it (onActivate)
        // biome-ignore lint/a11y/noStaticElementInteractions: the rows inside are the controls
        <div
          className="search-results"
          data-testid="search-results"
          onClick={(e) => (e.target as HTMLElement).closest('.tt-row') !== null && setOpen(false)}
        >
          <div className="search-head">
            <span className="muted">
              {total === null
                ? 'Searching…'
                : `${total.toLocaleString('en-US')} ${total === 1 ? 'match' : 'matches'}`}
            </span>
            <button type="button" className="link" onClick={() => setOpen(false)}>
              Close
            </button>
          </div>
          <TreeTable
            model={model}
            columns={columns}
            testId="search-table"
            emptyText={`Nothing matches “${query}”.`}
            rowTestId={() => 'search-row'}
            onCursor={(row) => row.row !== undefined && store.select({ node: row.row.node })}
            onActivate={() => setOpen(false)}
          />
        </div>
      )}
    </div>
  );
});
