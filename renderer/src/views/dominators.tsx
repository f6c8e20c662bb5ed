// Dominator tree: who would free what. The table and the treemap show the subtree of the zoomed
// node (the super-root at first, whose children are the root groups); selecting in either selects
// in both, and the breadcrumb walks back up the dominator chain.
import type { DominatorTreeNode, ObjectRow, SnapshotInfo } from '@shared/contract';
import { useEffect, useMemo, useRef, useState } from 'react';
import { useClient, useStore } from '../app/context';
import { Bytes, Share } from '../components/bytes';
import { ObjectName, objectText } from '../components/object-cells';
import { type Column, TreeTable } from '../components/tree-table';
import { Treemap } from '../components/treemap';
import { benchMark } from '../lib/bench-marks';
import { errorMessage } from '../lib/errors';
import { TreeModel } from '../lib/tree-model';
import { loadChart } from './chart-data';
import { withPreviews } from './previews';

interface Props {
  info: SnapshotInfo;
  focus: number;
  selected: number | null;
}

export function DominatorsView({ info, focus, selected }: Props) {
  const client = useClient();
  const store = useStore();
  const snapshot = info.id;
  const [chart, setChart] = useState<DominatorTreeNode | null>(null);
  const [chain, setChain] = useState<ObjectRow[]>([]);
  const [error, setError] = useState<string | null>(null);
  const [reveal, setReveal] = useState<{ path: number[]; seq: number } | null>(null);
  /** The node the table itself selected last: no need to reveal it again. */
  const fromTable = useRef<number | null>(null);

  const model = useMemo(() => {
    const children = async (node: number, range: { start: number; end: number }) =>
      withPreviews(
        client,
        snapshot,
        await client.call('dominatorChildren', { snapshot, node, range }),
        (r) => r,
        { heldAs: true },
      );
    return new TreeModel<ObjectRow>({
      top: (range) => children(focus, range),
      children: (row) => (row.dominatedCount > 0 ? (range) => children(row.node, range) : null),
    });
  }, [client, snapshot, focus]);
  useEffect(() => () => model.destroy(), [model]);

  useEffect(() => {
    let live = true;
    setChart(null);
    Promise.all([
      loadChart(client, snapshot, focus),
      client.call('dominatorChain', { snapshot, node: focus }),
    ]).then(
      ([tree, rows]) => {
        if (!live) return;
        setChart(tree);
        setChain(rows);
        setError(null);
      },
      (e: unknown) => live && setError(errorMessage(e)),
    );
    return () => {
      live = false;
    };
  }, [client, snapshot, focus]);

  // Selection made elsewhere (chart, retainers, history, deep link): open the tree down to it.
  useEffect(() => {
    if (selected === null || selected === fromTable.current) return;
    let live = true;
    (async () => {
      const rows = await client.call('dominatorChain', { snapshot, node: selected });
      const at = rows.findIndex((r) => r.node === focus);
      if (at < 0) {
        if (live) store.setFocus(0);
        return;
      }
      const below = rows.slice(at + 1).map((target) => (r: ObjectRow) => r.node === target.node);
      if (below.length === 0) return;
      const path = await model.reveal(below);
      if (live && path !== null) setReveal((prev) => ({ path, seq: (prev?.seq ?? 0) + 1 }));
    })().catch((e: unknown) => live && setError(errorMessage(e)));
    return () => {
      live = false;
    };
  }, [client, snapshot, selected, focus, model, store]);

  const total = info.totals.shallow;
  const columns = useMemo<Column<ObjectRow>[]>(
    () => [
      { id: 'object', header: 'Object', width: 200, grow: true, render: (r) => <ObjectName row={r} /> },
      {
        id: 'type',
        header: 'Type',
        width: 110,
        render: (r) => (
          <span className="muted" title={r.type}>
            {r.kind === 'object' ? r.type : r.kind}
          </span>
        ),
      },
      {
        id: 'shallow',
        header: 'Shallow',
        width: 84,
        align: 'right',
        render: (r) => <Bytes value={r.shallow} />,
      },
      {
        id: 'retained',
        header: 'Retained',
        width: 90,
        align: 'right',
        render: (r) => <Bytes value={r.retained} />,
      },
      {
        id: 'percent',
        header: '% of heap',
        width: 88,
        align: 'right',
        render: (r) => <Share part={r.retained} total={total} />,
      },
    ],
    [total],
  );

  const select = (row: ObjectRow) => store.select({ node: row.node });
  const zoom = (row: ObjectRow) => {
    store.setFocus(row.node);
    if (row.kind === 'object') select(row);
  };

  return (
    <div className="view dominators-view" data-testid="dominators-view">
      <div className="view-toolbar breadcrumb" data-testid="breadcrumb">
        {chain.map((row, i) => (
          <span key={row.node} className="crumb">
            {i > 0 && <span className="crumb-sep">›</span>}
            <button
              type="button"
              disabled={row.node === focus}
              onClick={() => store.setFocus(row.node)}
              title={`Zoom out to ${objectText(row)}`}
            >
              {row.node === 0 ? 'All roots' : objectText(row)}
            </button>
          </span>
        ))}
        {selected !== null && selected !== focus && (
          <button
            type="button"
            className="zoom-btn"
            onClick={() => store.setFocus(selected)}
            data-testid="zoom-in"
          >
            Zoom into selection
          </button>
        )}
      </div>
      {error !== null && <div className="error-line">{error}</div>}
      <div className="dominators-split">
        <TreeTable
          model={model}
          columns={columns}
          autoFocus
          testId="dominator-table"
          reveal={reveal}
          isSelected={(r) => r.node === selected}
          rowTestId={(r) => `dom-row-${r.node}`}
          onCursor={(row) => {
            if (row.row === undefined) return;
            fromTable.current = row.row.node;
            select(row.row);
            benchMark('dominator-selected');
          }}
          onRendered={(_s, _e, loaded) => loaded && benchMark('dominators-painted')}
        />
        <div className="chart-pane">
          {chart === null ? (
            <div className="muted pad">Laying out…</div>
          ) : (
            <Treemap
              data={chart}
              selected={selected}
              onSelect={(row) => {
                fromTable.current = null;
                select(row);
              }}
              onZoom={zoom}
            />
          )}
        </div>
      </div>
    </div>
  );
}
