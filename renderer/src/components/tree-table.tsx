// The one table of the app: a virtualized, keyboard-driven tree table over a TreeModel (flat lists
// are trees without children). Only the rows in view are rendered or even asked of the model.
// @tanstack/react-table owns the columns (headers, sort state, resizing); lib/row-window picks the rows
// in view with O(visible) work, scaling the scroll range so ten million rows still scroll.
// biome-ignore-all lint/a11y: a keyboard grid: focus stays on the body, whose key handler drives every row
import type { SortDir } from '@shared/contract';
import {
  type ColumnDef,
  type ColumnSizingState,
  flexRender,
  getCoreRowModel,
  useReactTable,
} from '@tanstack/react-table';
import {
  type KeyboardEvent,
  type ReactNode,
  useCallback,
  useEffect,
  useMemo,
  useRef,
  useState,
  useSyncExternalStore,
} from 'react';
import { rowWindow, scrollTopFor } from '../lib/row-window';
import type { TreeModel, TreeRow } from '../lib/tree-model';

export interface Column<R> {
  id: string;
  header: string;
  /** Initial width in px; the `grow` column takes the rest. */
  width: number;
  grow?: boolean;
  align?: 'right';
  /** Present when the server can sort by this column. */
  sortKey?: string;
  title?: string;
  render: (row: R, info: TreeRow<R>) => ReactNode;
}

export interface TreeTableProps<R> {
  model: TreeModel<R>;
  columns: Column<R>[];
  /** Column holding the expand toggles and indentation. */
  treeColumn?: string;
  sort?: { key: string; dir: SortDir };
  onSort?: (key: string) => void;
  /** Highlights rows that show the app's selected object. */
  isSelected?: (row: R) => boolean;
  onCursor?: (info: TreeRow<R>) => void;
  onActivate?: (info: TreeRow<R>) => void;
  /** Moves the cursor to `path` (and scrolls to it) whenever `seq` changes. */
  reveal?: { path: number[]; seq: number } | null;
  emptyText?: string;
  testId: string;
  rowTestId?: (row: R) => string | undefined;
  rowTitle?: (row: R) => string | undefined;
  rowClass?: (row: R) => string;
  /** Takes keyboard focus when mounted (the main table of a view). */
  autoFocus?: boolean;
  /** Called after rows render with the range in view (performance marks in the benchmark). */
  onRendered?: (start: number, end: number, loaded: boolean) => void;
}

const ROW_HEIGHT = 22;
/** The least a `grow` column narrows to before the table scrolls sideways (lib/pane-sizes counts on it). */
const NAME_FLOOR = 160;
/** How far past the window rows are requested ahead of need (half a 200-row page). */
const PREFETCH_ROWS = 100;

export function useModelVersion<R>(model: TreeModel<R>): number {
  return useSyncExternalStore(model.subscribe, model.getVersion);
}

const noSubscribe = () => () => {};

/** The model's top-level row count (null while loading), kept current for labels outside the table. */
export function useTopTotal<R>(model: TreeModel<R> | null): number | null {
  useSyncExternalStore(model?.subscribe ?? noSubscribe, model?.getVersion ?? (() => 0));
  return model?.topTotal ?? null;
}

export function TreeTable<R>(props: TreeTableProps<R>) {
  const { model, columns } = props;
  useModelVersion(model);
  const scrollRef = useRef<HTMLDivElement>(null);
  const headerRef = useRef<HTMLDivElement>(null);
  const [cursor, setCursor] = useState<number[] | null>(null);
  const [sizing, setSizing] = useState<ColumnSizingState>({});
  const count = model.rowCount();

  const [scroll, setScroll] = useState({ top: 0, viewport: 400 });
  useEffect(() => {
    const el = scrollRef.current;
    if (el === null) return;
    const update = () => {
      // The header scrolls sideways with the rows when a narrow pane makes the table scroll.
      if (headerRef.current !== null) headerRef.current.scrollLeft = el.scrollLeft;
      setScroll({ top: el.scrollTop, viewport: el.clientHeight });
    };
    update();
    el.addEventListener('scroll', update, { passive: true });
    const observer = new ResizeObserver(update);
    observer.observe(el);
    return () => {
      el.removeEventListener('scroll', update);
      observer.disconnect();
    };
  }, []);
  const win = rowWindow(scroll.top, scroll.viewport, count, ROW_HEIGHT);
  const indexes: number[] = [];
  for (let i = win.start; i < win.end; i++) indexes.push(i);
  const rows = indexes.map((i) => model.rowAt(i));
  // Touch a row half a page beyond each edge so wheel scrolling finds the next page already asked for.
  if (win.end + PREFETCH_ROWS < count) model.rowAt(win.end + PREFETCH_ROWS);
  if (win.start > PREFETCH_ROWS) model.rowAt(win.start - PREFETCH_ROWS);
  const scrollToIndex = useCallback(
    (index: number, align: 'auto' | 'center') => {
      const el = scrollRef.current;
      if (el === null) return;
      el.scrollTop = scrollTopFor(index, align, el.scrollTop, el.clientHeight, model.rowCount(), ROW_HEIGHT);
    },
    [model],
  );
  const cursorKey = cursor?.join('/') ?? null;

  const columnDefs = useMemo<ColumnDef<TreeRow<R>>[]>(
    () =>
      columns.map((c) => ({
        id: c.id,
        header: c.header,
        size: c.width,
        minSize: 40,
        enableSorting: c.sortKey !== undefined,
        cell: ({ row }) => (row.original.row === undefined ? null : c.render(row.original.row, row.original)),
      })),
    [columns],
  );
  const table = useReactTable({
    data: rows,
    columns: columnDefs,
    getCoreRowModel: getCoreRowModel(),
    getRowId: (row) => row.key,
    manualSorting: true,
    // Rows are a new window on every render; without these react-table resets its page index on
    // each new data array, which re-renders, which makes a new array…
    manualPagination: true,
    autoResetAll: false,
    columnResizeMode: 'onChange',
    state: { columnSizing: sizing },
    onColumnSizingChange: setSizing,
  });
  const template = table
    .getVisibleLeafColumns()
    .map((col) => {
      const spec = columns.find((c) => c.id === col.id);
      if (!spec?.grow) return `${col.getSize()}px`;
      // On a narrow pane the name column gives way before the numbers are pushed out of view; a
      // width the user dragged it to is kept.
      const floor = col.id in sizing ? col.getSize() : Math.min(col.getSize(), NAME_FLOOR);
      return `minmax(${floor}px, 1fr)`;
    })
    .join(' ');

  // A key can land the cursor on a row whose page is still in flight; the owner hears about it once
  // the row arrives, so the selection never lags behind the cursor.
  const pendingCursor = useRef<string | null>(null);
  // A key that would take the cursor onto a "Loading…" row (ArrowRight twice in quick succession:
  // the first expands, the second steps into the first child, not loaded yet) is kept, as the row
  // the cursor was on and how far to go, and carried out when the rows arrive: no key press is lost
  // to a slow page. Any move that lands drops it.
  const pendingMove = useRef<{ from: string; delta: number } | null>(null);
  const moveTo = useCallback(
    (index: number, from: number) => {
      const clamped = Math.max(0, Math.min(model.rowCount() - 1, index));
      const info = model.rowAt(clamped);
      if (info.placeholder !== null) {
        pendingMove.current =
          info.placeholder === 'loading' && from >= 0
            ? { from: model.rowAt(from).key, delta: clamped - from }
            : null;
        return;
      }
      pendingMove.current = null;
      setCursor(info.path);
      scrollToIndex(clamped, 'auto');
      pendingCursor.current = info.row === undefined ? info.key : null;
      if (info.row !== undefined) props.onCursor?.(info);
    },
    [model, scrollToIndex, props.onCursor],
  );
  useEffect(() => {
    const pending = pendingMove.current;
    if (pending === null) return;
    const here = cursor === null ? -1 : model.indexOfPath(cursor);
    if (here < 0 || model.rowAt(here).key !== pending.from) {
      pendingMove.current = null; // the cursor went elsewhere meanwhile
      return;
    }
    const target = Math.max(0, Math.min(model.rowCount() - 1, here + pending.delta));
    if (model.rowAt(target).placeholder === 'loading') return; // not yet
    moveTo(target, here);
  });
  useEffect(() => {
    if (pendingCursor.current === null || cursor === null) return;
    const info = model.rowAt(model.indexOfPath(cursor));
    if (info.key !== pendingCursor.current) {
      pendingCursor.current = null;
    } else if (info.row !== undefined) {
      pendingCursor.current = null;
      props.onCursor?.(info);
    }
  });

  const { autoFocus } = props;
  useEffect(() => {
    if (autoFocus) scrollRef.current?.focus({ preventScroll: true });
  }, [autoFocus]);

  const revealSeq = props.reveal?.seq;
  // biome-ignore lint/correctness/useExhaustiveDependencies: re-run only when a new reveal is asked for
  useEffect(() => {
    if (props.reveal == null) return;
    const index = model.indexOfPath(props.reveal.path);
    if (index < 0) return;
    setCursor(props.reveal.path);
    scrollToIndex(index, 'center');
  }, [revealSeq]);

  const { onRendered } = props;
  useEffect(() => {
    if (onRendered === undefined || rows.length === 0) return;
    const loaded = rows.every((r) => r.row !== undefined || r.placeholder === 'error');
    onRendered(win.start, win.end, loaded);
  });

  const onKeyDown = (e: KeyboardEvent<HTMLDivElement>) => {
    const index = cursor === null ? -1 : model.indexOfPath(cursor);
    const info = index >= 0 ? model.rowAt(index) : null;
    const page = Math.max(1, Math.floor(scroll.viewport / ROW_HEIGHT) - 1);
    switch (e.key) {
      case 'ArrowDown':
        moveTo(index + 1, index);
        break;
      case 'ArrowUp':
        moveTo(Math.max(0, index - 1), index);
        break;
      case 'PageDown':
        moveTo(index + page, index);
        break;
      case 'PageUp':
        moveTo(Math.max(0, index - page), index);
        break;
      case 'Home':
        moveTo(0, index);
        break;
      case 'End':
        moveTo(model.rowCount() - 1, index);
        break;
      case 'ArrowRight':
        if (info?.expandable && !info.expanded) {
          pendingMove.current = null;
          model.expand(info.path);
        } else if (info?.expanded) moveTo(index + 1, index);
        break;
      case 'ArrowLeft':
        pendingMove.current = null;
        if (info?.expanded) model.collapse(info.path);
        else if (info !== null && info.path.length > 1)
          moveTo(model.indexOfPath(info.path.slice(0, -1)), index);
        break;
      case 'Enter':
        if (info !== null) {
          if (info.expandable) model.toggle(info.path);
          props.onActivate?.(info);
        }
        break;
      default:
        return;
    }
    e.preventDefault();
  };

  const treeColumn = props.treeColumn ?? columns[0]?.id;

  return (
    <div className="tree-table" data-testid={props.testId}>
      <div className="tt-header" ref={headerRef} style={{ gridTemplateColumns: template }} role="row">
        {table.getHeaderGroups()[0].headers.map((header) => {
          const spec = columns.find((c) => c.id === header.id);
          const sorted = props.sort !== undefined && spec?.sortKey === props.sort.key ? props.sort.dir : null;
          return (
            <div
              key={header.id}
              role="columnheader"
              className={`tt-th ${spec?.align === 'right' ? 'num' : ''} ${spec?.sortKey ? 'sortable' : ''}`}
              title={spec?.title}
              aria-sort={sorted === null ? 'none' : sorted === 'asc' ? 'ascending' : 'descending'}
              data-testid={`${props.testId}-col-${header.id}`}
              onClick={() => spec?.sortKey !== undefined && props.onSort?.(spec.sortKey)}
            >
              {flexRender(header.column.columnDef.header, header.getContext())}
              {sorted !== null && <span className="sort-mark">{sorted === 'asc' ? '▲' : '▼'}</span>}
              <span
                className="tt-resize"
                onMouseDown={header.getResizeHandler()}
                onClick={(e) => e.stopPropagation()}
                aria-hidden
              />
            </div>
          );
        })}
      </div>
      <div
        className="tt-body"
        ref={scrollRef}
        tabIndex={0}
        onKeyDown={onKeyDown}
        role="grid"
        data-row-count={count}
        data-scale={win.scale}
      >
        <div style={{ height: win.height, position: 'relative' }}>
          {table.getRowModel().rows.map((row, i) => {
            const info = row.original;
            const index = win.start + i;
            const top = win.top + i * ROW_HEIGHT;
            const selected = info.row !== undefined && props.isSelected?.(info.row);
            const cls = [
              'tt-row',
              info.key === cursorKey ? 'cursor' : '',
              selected ? 'selected' : '',
              info.row !== undefined ? (props.rowClass?.(info.row) ?? '') : '',
            ].join(' ');
            if (info.placeholder !== null || info.row === undefined) {
              return (
                <div key={info.key} className={`${cls} placeholder`} style={{ top, height: ROW_HEIGHT }}>
                  <span style={{ paddingLeft: 8 + info.depth * 14 }}>
                    {info.placeholder === 'error' ? `⚠ ${info.error}` : 'Loading…'}
                  </span>
                </div>
              );
            }
            const r = info.row;
            return (
              <div
                key={info.key}
                role="row"
                className={cls}
                style={{ top, height: ROW_HEIGHT, gridTemplateColumns: template }}
                aria-expanded={info.expandable ? info.expanded : undefined}
                data-testid={props.rowTestId?.(r)}
                data-depth={info.depth}
                data-index={index}
                title={props.rowTitle?.(r)}
                onClick={() => moveTo(index, -1)}
                onDoubleClick={() => {
                  if (info.expandable) model.toggle(info.path);
                  props.onActivate?.(info);
                }}
              >
                {row.getVisibleCells().map((cell) => {
                  const spec = columns.find((c) => c.id === cell.column.id);
                  const isTree = cell.column.id === treeColumn;
                  return (
                    <div key={cell.id} className={`tt-td ${spec?.align === 'right' ? 'num' : ''}`}>
                      {isTree && <Toggle info={info} onToggle={() => model.toggle(info.path)} />}
                      {flexRender(cell.column.columnDef.cell, cell.getContext())}
                    </div>
                  );
                })}
              </div>
            );
          })}
        </div>
        {count === 0 && <div className="tt-empty">{props.emptyText ?? 'Nothing here.'}</div>}
      </div>
    </div>
  );
}

function Toggle<R>({ info, onToggle }: { info: TreeRow<R>; onToggle: () => void }) {
  return (
    <span className="tt-indent" style={{ width: 4 + info.depth * 14 + 14 }}>
      {info.expandable && (
        <button
          type="button"
          className={`tt-toggle ${info.expanded ? 'open' : ''}`}
          aria-label={info.expanded ? 'Collapse' : 'Expand'}
          tabIndex={-1}
          onClick={(e) => {
            e.stopPropagation();
            onToggle();
          }}
        >
          ▶
        </button>
      )}
    </span>
  );
}
