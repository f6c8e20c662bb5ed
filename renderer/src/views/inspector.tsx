// Everything about one object: identity, sizes, a safe preview, where it was allocated, and its
// references both ways (paged). Copy address / copy path put text on the clipboard for bug reports.
import type { EdgeRow, ObjectDetails, SnapshotInfo } from '@shared/contract';
import { useEffect, useMemo, useState } from 'react';
import { useClient, useSelectNode, useStore } from '../app/context';
import { Bytes } from '../components/bytes';
import { EdgeName, ObjectName } from '../components/object-cells';
import { type Column, TreeTable } from '../components/tree-table';
import { copyText } from '../lib/clipboard';
import { errorMessage } from '../lib/errors';
import { formatCount } from '../lib/format';
import { heldFromCDominator, heldFromCExplanation, heldFromCFact } from '../lib/held-from-c';
import { TreeModel } from '../lib/tree-model';
import { withPreviews } from './previews';

export function Inspector({ info, node }: { info: SnapshotInfo; node: number }) {
  const client = useClient();
  const store = useStore();
  const selectNode = useSelectNode();
  const [details, setDetails] = useState<ObjectDetails | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [refTab, setRefTab] = useState<'referents' | 'referrers'>('referents');

  useEffect(() => {
    let live = true;
    client.call('objectDetails', { snapshot: info.id, node }).then(
      (d) => {
        if (!live) return;
        setDetails(d);
        setError(null);
      },
      (e: unknown) => live && setError(errorMessage(e)),
    );
    return () => {
      live = false;
    };
  }, [client, info.id, node]);

  const copyPath = async () => {
    try {
      const [path] = await client.call('retainerPaths', { snapshot: info.id, node, k: 1 });
      await copyText(path?.text ?? '(no retainer path)');
      store.notify('Retainer path copied');
    } catch (e) {
      store.fail(e);
    }
  };
  const copyAddress = async () => {
    if (details === null) return;
    await copyText(details.row.address);
    store.notify(`Copied ${details.row.address}`);
  };

  if (error !== null) return <div className="inspector error-line">{error}</div>;
  if (details === null || details.row.node !== node)
    return <div className="inspector muted pad">Loading…</div>;
  const row = details.row;
  // Held from C is said once, as its own fact with the count; the other root kinds stay.
  const roots = details.roots.filter((r) => !(r.kind === 'held-from-c' && (row.heldFromC ?? 0) > 0));
  return (
    <div className="inspector" data-testid="inspector">
      <div className="insp-head">
        <div className="insp-title">
          <ObjectName row={row} />
        </div>
        <div className="insp-actions">
          <button
            type="button"
            onClick={copyAddress}
            disabled={row.address === ''}
            data-testid="copy-address"
          >
            Copy address
          </button>
          <button type="button" onClick={copyPath} data-testid="copy-path">
            Copy path
          </button>
        </div>
      </div>
      <dl className="facts">
        <dt>Type</dt>
        <dd title={row.type}>{row.type}</dd>
        <dt>Address</dt>
        <dd className="mono">{row.address || '—'}</dd>
        <dt>Value</dt>
        <dd className="preview" data-testid="inspector-value">
          {details.redacted ? (
            <i>redacted</i>
          ) : row.label === '' ? (
            <span className="muted">—</span>
          ) : (
            row.label
          )}
          {details.labelTruncated && <span className="muted"> …(truncated)</span>}
        </dd>
        <dt>Shallow</dt>
        <dd>
          <Bytes value={row.shallow} />
        </dd>
        <dt>Retained</dt>
        <dd>
          <Bytes value={row.retained} />
        </dd>
        <dt>Length</dt>
        <dd>{details.length === null ? '—' : formatCount(details.length)}</dd>
        <dt>Refcount</dt>
        <dd>{details.immortal ? 'immortal' : formatCount(details.refcount)}</dd>
        <HeldFromCFact details={details} />
        <dt>Distance</dt>
        <dd>{row.distance < 0 ? 'unreachable' : row.distance}</dd>
        <dt>Flags</dt>
        <dd>{flags(details)}</dd>
        {roots.length > 0 && (
          <>
            <dt>Root</dt>
            <dd>{roots.map((r) => `${r.kind}: ${r.label}`).join('; ')}</dd>
          </>
        )}
        <dt>Dominator</dt>
        <dd data-testid="inspector-dominator">
          <Dominator details={details} onSelect={selectNode} />
        </dd>
      </dl>
      <Traceback details={details} hasTracebacks={info.hasTracebacks} />
      <div className="panel-tabs">
        <button
          type="button"
          className={refTab === 'referents' ? 'active' : ''}
          onClick={() => setRefTab('referents')}
        >
          Referents ({formatCount(details.referentCount)})
        </button>
        <button
          type="button"
          className={refTab === 'referrers' ? 'active' : ''}
          onClick={() => setRefTab('referrers')}
        >
          Referrers ({formatCount(details.referrerCount)})
        </button>
      </div>
      <EdgeList key={`${node}-${refTab}`} info={info} node={node} method={refTab} />
    </div>
  );
}

/** "Held from C | also: 3 references the dump cannot see": beside the Python owners the paths name. */
function HeldFromCFact({ details }: { details: ObjectDetails }) {
  const n = details.row.heldFromC ?? 0;
  if (n <= 0) return null;
  return (
    <>
      <dt>Held from C</dt>
      <dd title={heldFromCExplanation(n, details.refcount)} data-testid="inspector-held-from-c">
        {heldFromCFact(n, details.refcount)}
      </dd>
    </>
  );
}

function flags(d: ObjectDetails): string {
  const out: string[] = [];
  if (d.gcTracked) out.push('gc-tracked');
  if (d.immortal) out.push('immortal');
  if (d.row.unreachable) out.push('cyclic garbage');
  if (d.redacted) out.push('redacted');
  return out.length === 0 ? '—' : out.join(', ');
}

function Traceback({ details, hasTracebacks }: { details: ObjectDetails; hasTracebacks: boolean }) {
  if (details.traceback === null) {
    return (
      <div className="traceback muted">
        {hasTracebacks
          ? 'No allocation traceback recorded for this object (allocated before tracing started, or not traceable on this Python).'
          : 'No allocation tracebacks: dump with tracemalloc enabled to see where objects were allocated.'}
      </div>
    );
  }
  return (
    <div className="traceback" data-testid="traceback">
      <div className="section-title">Allocated at (most recent call last)</div>
      {details.traceback.map((f, i) => (
        // biome-ignore lint/suspicious/noArrayIndexKey: recursion repeats frames; the list never reorders
        <div key={`${f.file}:${f.line}:${i}`} className="mono frame">
          {f.file}:{f.line}
        </div>
      ))}
    </div>
  );
}

function EdgeList({
  info,
  node,
  method,
}: {
  info: SnapshotInfo;
  node: number;
  method: 'referents' | 'referrers';
}) {
  const client = useClient();
  const selectNode = useSelectNode();
  const model = useMemo(
    () =>
      new TreeModel<EdgeRow>({
        top: async (range) =>
          withPreviews(
            client,
            info.id,
            await client.call(method, { snapshot: info.id, node, range }),
            (r) => r.node,
          ),
        children: () => null,
      }),
    [client, info.id, node, method],
  );
  useEffect(() => () => model.destroy(), [model]);
  const columns = useMemo<Column<EdgeRow>[]>(
    () => [
      {
        id: 'edge',
        header: 'Reference',
        width: 110,
        render: (r) => <EdgeName edge={r.edge} weak={r.weak} />,
      },
      { id: 'object', header: 'Object', width: 160, grow: true, render: (r) => <ObjectName row={r.node} /> },
      {
        id: 'retained',
        header: 'Retained',
        width: 76,
        align: 'right',
        render: (r) => <Bytes value={r.node.retained} />,
      },
    ],
    [],
  );
  return (
    <div className="edge-list">
      <TreeTable
        model={model}
        columns={columns}
        testId={`inspector-${method}`}
        emptyText={method === 'referents' ? 'References nothing.' : 'Nothing refers to it.'}
        rowClass={(r) => (r.weak ? 'weak-row' : '')}
        onActivate={(row) => row.row !== undefined && selectNode(row.row.node.node)}
      />
    </div>
  );
}

/**
 * The object whose freeing would free this one, as a link; when none does (its dominator is all
 * roots or a root group), why: several roots, or C code's references (lib/held-from-c).
 */
function Dominator({ details, onSelect }: { details: ObjectDetails; onSelect: (node: number) => void }) {
  const d = details.dominator;
  if (d === null) return <>—</>;
  const held = details.row.heldFromC ?? 0;
  if (d.kind !== 'object' && held > 0) {
    return (
      <span title={heldFromCExplanation(held, details.refcount)}>
        {heldFromCDominator(held, details.refcount)}
      </span>
    );
  }
  if (d.kind === 'super-root') {
    return (
      <span title="Reached from more than one root, none of them through one object: no single object's release would free it">
        several roots: no single owner
      </span>
    );
  }
  return (
    <button type="button" className="link" onClick={() => onSelect(d.node)}>
      <ObjectName row={d} />
    </button>
  );
}
