// Why is this object alive: the shortest strong paths from a root, each step with the reference that
// holds it, and the full reverse tree of referrers below. Weak references appear in the tree, marked,
// but never in a path (they do not keep anything alive).
import type { EdgeRow, RetainerPath, SnapshotInfo } from '@shared/contract';
import { useEffect, useMemo, useState } from 'react';
import { useClient, useSelectNode } from '../app/context';
import { Bytes, Distance } from '../components/bytes';
import { EdgeName, edgeText, HeldFromC, ObjectName, objectText } from '../components/object-cells';
import { type Column, TreeTable } from '../components/tree-table';
import { benchMark } from '../lib/bench-marks';
import { errorMessage } from '../lib/errors';
import { TreeModel } from '../lib/tree-model';

export function RetainersPanel({ info, node }: { info: SnapshotInfo; node: number }) {
  const [ignore, setIgnore] = useState<number[]>([]);
  const [tab, setTab] = useState<'paths' | 'tree'>('paths');
  // biome-ignore lint/correctness/useExhaustiveDependencies: a new object starts with nothing ignored
  useEffect(() => setIgnore([]), [node]);
  return (
    <div className="retainers" data-testid="retainers">
      <div className="panel-tabs">
        <button type="button" className={tab === 'paths' ? 'active' : ''} onClick={() => setTab('paths')}>
          Retainer paths
        </button>
        <button
          type="button"
          className={tab === 'tree' ? 'active' : ''}
          onClick={() => setTab('tree')}
          data-testid="referrer-tree-tab"
        >
          Referrer tree
        </button>
      </div>
      {tab === 'paths' ? (
        <PathList info={info} node={node} ignore={ignore} setIgnore={setIgnore} />
      ) : (
        <ReferrerTree info={info} node={node} />
      )}
    </div>
  );
}

interface PathListProps {
  info: SnapshotInfo;
  node: number;
  ignore: number[];
  setIgnore: (ignore: number[]) => void;
}

/** Paths asked for at first, added per "More paths", and the most the service gives. */
const FIRST_PATHS = 5;
const MORE_PATHS = 5;
const MAX_PATHS = 50;

function PathList({ info, node, ignore, setIgnore }: PathListProps) {
  const client = useClient();
  const [paths, setPaths] = useState<RetainerPath[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  // How many paths to ask for, per object: a new object starts with the first few again.
  const [asked, setAsked] = useState({ node, k: FIRST_PATHS });
  const k = asked.node === node ? asked.k : FIRST_PATHS;
  useEffect(() => {
    let live = true;
    // Asking for more keeps the paths on screen until the longer list replaces them.
    if (k === FIRST_PATHS) setPaths(null);
    client.call('retainerPaths', { snapshot: info.id, node, k, ignore }).then(
      (p) => {
        if (!live) return;
        setPaths(p);
        setError(null);
        benchMark('retainers-painted');
      },
      (e: unknown) => live && setError(errorMessage(e)),
    );
    return () => {
      live = false;
    };
  }, [client, info.id, node, ignore, k]);
  // Fewer paths than asked for means there are no more (within the service's search budget).
  const more = paths !== null && paths.length >= k && k < MAX_PATHS;

  return (
    <div className="path-list" data-testid="retainer-paths">
      {ignore.length > 0 && (
        <div className="ignored">
          Ignoring {ignore.length} retainer{ignore.length > 1 ? 's' : ''}.{' '}
          <button type="button" className="link" onClick={() => setIgnore([])}>
            Show all
          </button>
        </div>
      )}
      {error !== null && <div className="error-line">{error}</div>}
      {paths === null && error === null && <div className="muted pad">Finding paths…</div>}
      {paths !== null && paths.length === 0 && (
        <div className="muted pad" data-testid="no-retainer-path">
          {ignore.length > 0
            ? 'No other strong path from a root.'
            : 'No strong path from a root: this object is unreachable (garbage awaiting collection) or held only weakly.'}
        </div>
      )}
      {paths?.map((p, i) => (
        <PathChain key={p.text} path={p} index={i} onIgnore={(n) => setIgnore([...ignore, n])} />
      ))}
      {more && (
        <button
          type="button"
          className="link more-paths"
          data-testid="more-paths"
          onClick={() => setAsked({ node, k: Math.min(MAX_PATHS, k + MORE_PATHS) })}
        >
          More paths
        </button>
      )}
      <WeakNote info={info} node={node} />
    </div>
  );
}

/** Weak referrers never appear in a path; say so, so a reader does not wonder where they went. */
function WeakNote({ info, node }: { info: SnapshotInfo; node: number }) {
  const client = useClient();
  const [weak, setWeak] = useState<{ count: number; more: boolean } | null>(null);
  useEffect(() => {
    let live = true;
    setWeak(null);
    // One page is enough for the note; the referrer tree lists them all.
    client.call('referrers', { snapshot: info.id, node, range: { start: 0, end: 200 } }).then(
      (page) =>
        live && setWeak({ count: page.rows.filter((r) => r.weak).length, more: page.total > page.end }),
      () => {},
    );
    return () => {
      live = false;
    };
  }, [client, info.id, node]);
  if (weak === null || weak.count === 0) return null;
  return (
    <div className="muted pad weak-note" data-testid="weak-note">
      Also referenced weakly by {weak.more ? 'at least ' : ''}
      {weak.count} object{weak.count > 1 ? 's' : ''}: weak references keep nothing alive, so no path uses them
      (see the referrer tree).
    </div>
  );
}

function PathChain({
  path,
  index,
  onIgnore,
}: {
  path: RetainerPath;
  index: number;
  onIgnore: (n: number) => void;
}) {
  const selectNode = useSelectNode();
  const last = path.steps.length - 1;
  return (
    <div className="path" data-testid="retainer-path">
      <span className="path-index">{index + 1}</span>
      <div className="path-text mono" data-testid="retainer-path-text">
        {path.text}
      </div>
      {path.steps.map((step, i) => (
        <span key={step.node.node} className="path-step">
          {step.edge !== null && (
            <span className="path-edge" data-testid="path-edge">
              {edgeText(step.edge)}
            </span>
          )}
          <span className={`chip ${i === last ? 'target' : ''}`}>
            <button
              type="button"
              className="chip-name"
              onClick={() => selectNode(step.node.node)}
              title={`${step.node.type} @${step.node.address} — retains ${step.node.retained.toLocaleString('en-US')} bytes`}
            >
              {step.node.kind === 'object' ? objectText(step.node) : step.node.label || step.node.type}
            </button>
            <HeldFromC row={step.node} />
            {/* Any step but the object itself, the root included: "not through this module". */}
            {i < last && (
              <button
                type="button"
                className="chip-ignore"
                title="Ignore this retainer and show the next path"
                aria-label={`Ignore ${objectText(step.node)}`}
                data-testid="ignore-retainer"
                onClick={() => onIgnore(step.node.node)}
              >
                ×
              </button>
            )}
          </span>
        </span>
      ))}
    </div>
  );
}

function ReferrerTree({ info, node }: { info: SnapshotInfo; node: number }) {
  const client = useClient();
  const selectNode = useSelectNode();
  const snapshot = info.id;
  const model = useMemo(
    () =>
      new TreeModel<EdgeRow>({
        top: (range) => client.call('referrers', { snapshot, node, range }),
        children: (row) => (range) => client.call('referrers', { snapshot, node: row.node.node, range }),
      }),
    [client, snapshot, node],
  );
  useEffect(() => () => model.destroy(), [model]);
  const columns = useMemo<Column<EdgeRow>[]>(
    () => [
      {
        id: 'ref',
        header: 'Referrer (reference → held object)',
        width: 360,
        grow: true,
        render: (r) => (
          <span className="edge-row">
            <ObjectName row={r.node} /> <EdgeName edge={r.edge} weak={r.weak} />
          </span>
        ),
      },
      {
        id: 'distance',
        header: 'Distance',
        width: 70,
        align: 'right',
        render: (r) => <Distance value={r.node.distance} />,
      },
      {
        id: 'shallow',
        header: 'Shallow',
        width: 80,
        align: 'right',
        render: (r) => <Bytes value={r.node.shallow} />,
      },
      {
        id: 'retained',
        header: 'Retained',
        width: 84,
        align: 'right',
        render: (r) => <Bytes value={r.node.retained} />,
      },
    ],
    [],
  );
  return (
    <TreeTable
      model={model}
      columns={columns}
      testId="referrer-tree"
      emptyText="Nothing refers to this object."
      rowClass={(r) => (r.weak ? 'weak-row' : '')}
      onActivate={(row) => row.row !== undefined && selectNode(row.row.node.node)}
    />
  );
}
