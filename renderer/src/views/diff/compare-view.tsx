// The Diff view: two or three open snapshots of one process compared. Type deltas on the left,
// leak suspects on the right, and below, for the selected suspect, its path and the retainers of its
// holder in the newest snapshot. Export writes the same comparison as an HTML, Markdown or JSON report.
import type {
  DiffInfo,
  LeakReport,
  LeakSuspect,
  ReportFormat,
  SnapshotId,
  SnapshotInfo,
} from '@shared/contract';
import { useCallback, useEffect, useState } from 'react';
import { useAppState, useClient, useStore } from '../../app/context';
import { errorMessage } from '../../lib/errors';
import { formatBytes, formatCount, formatDuration, formatTime } from '../../lib/format';
import { RetainersPanel } from '../retainers';
import { compareStore, useCompare } from './compare-store';
import { exportLeakReport } from './export-report';
import { SuspectsList } from './suspects-list';
import { TypeDeltaTable } from './type-delta-table';
import './diff.css';

export function CompareView() {
  const { tabs } = useAppState();
  const compare = useCompare();
  const client = useClient();
  const store = useStore();
  const infos = tabs.map((t) => t.info);
  const { base, target, final } = compare;
  const [info, setInfo] = useState<DiffInfo | null>(null);
  const [diffError, setDiffError] = useState<string | null>(null);
  const [report, setReport] = useState<LeakReport | null>(null);
  const [leaksError, setLeaksError] = useState<string | null>(null);
  const [selected, setSelected] = useState<LeakSuspect | null>(null);

  // A snapshot closed while compared leaves the comparison (the view closes below two).
  const openIds = infos.map((i) => i.id).join(' ');
  useEffect(() => {
    const ids = openIds.split(' ');
    for (const id of [base, target, final]) if (id !== null && !ids.includes(id)) compareStore.forget(id);
  }, [openIds, base, target, final]);

  useEffect(() => {
    if (base === null || target === null) return;
    let live = true;
    setReport(null);
    setLeaksError(null);
    setSelected(null);
    client.call('leaks', { base, target, final: final ?? undefined }).then(
      (r) => live && setReport(r),
      (e: unknown) => live && setLeaksError(errorMessage(e)),
    );
    return () => {
      live = false;
    };
  }, [client, base, target, final]);

  const onInfo = useCallback((i: DiffInfo) => setInfo(i), []);
  const onError = useCallback((m: string) => setDiffError(m), []);

  const select = (s: LeakSuspect) => {
    setSelected(s);
    // The retainers panel's chips select in the active tab: make it the holder's snapshot.
    store.activate(s.holderSnapshot);
  };

  if (base === null || target === null) {
    return (
      <div className="compare" data-testid="compare-view">
        <div className="muted pad">Open two snapshots of the same process to compare them.</div>
      </div>
    );
  }
  const holderInfo = selected ? infos.find((i) => i.id === selected.holderSnapshot) : undefined;
  const snapshots = [base, target, ...(final === null ? [] : [final])];
  return (
    <div className="compare" data-testid="compare-view">
      <CompareHeader infos={infos} base={base} target={target} final={final} snapshots={snapshots} />
      {(info?.warnings ?? []).map((w) => (
        <div key={w} className="compare-warning" role="alert" data-testid="compare-warning">
          ⚠ {w}
        </div>
      ))}
      {diffError !== null && <div className="error-line">{diffError}</div>}
      {info !== null && <DiffTotals info={info} />}
      <div className="workspace">
        <div className="main-pane">
          <TypeDeltaTable
            key={`${base}/${target}`}
            base={base}
            target={target}
            onInfo={onInfo}
            onError={onError}
          />
        </div>
        <aside className="side-pane suspects-pane">
          <SuspectsList report={report} error={leaksError} selected={selected} onSelect={select} />
        </aside>
      </div>
      <div className="bottom-pane">
        {selected === null || holderInfo === undefined ? (
          <div className="muted pad">Select a suspect to see why its holder is alive.</div>
        ) : (
          <div className="suspect-detail" data-testid="suspect-detail">
            <div className="suspect-detail-head">
              <span className="mono">{selected.path}</span>
              <button
                type="button"
                onClick={() => {
                  store.activate(holderInfo.id);
                  store.select({ node: selected.holder.node, view: 'dominators' });
                  compareStore.close();
                }}
                data-testid="show-holder"
              >
                Show in {holderInfo.name}
              </button>
            </div>
            <RetainersPanel info={holderInfo} node={selected.holder.node} />
          </div>
        )}
      </div>
    </div>
  );
}

function snapshotLabel(info: SnapshotInfo): string {
  return `${info.name} · ${formatTime(info.process.dumpTime)}`;
}

function CompareHeader(props: {
  infos: SnapshotInfo[];
  base: SnapshotId;
  target: SnapshotId;
  final: SnapshotId | null;
  snapshots: SnapshotId[];
}) {
  const { infos, base, target, final, snapshots } = props;
  const client = useClient();
  const store = useStore();
  const [includeValues, setIncludeValues] = useState(false);
  const picker = (
    label: string,
    value: SnapshotId | null,
    key: 'base' | 'target' | 'final',
    optional: boolean,
  ) => (
    <label className="compare-pick">
      <span className="muted">{label}</span>
      <select
        value={value ?? ''}
        onChange={(e) => compareStore.choose({ [key]: e.target.value === '' ? null : e.target.value })}
        data-testid={`compare-${key}`}
      >
        {optional && <option value="">—</option>}
        {infos.map((i) => (
          <option key={i.id} value={i.id}>
            {snapshotLabel(i)}
          </option>
        ))}
      </select>
    </label>
  );
  const save = async (format: ReportFormat) => {
    try {
      const where = await exportLeakReport(client, snapshots, format, includeValues);
      if (where !== null) store.notify(where);
    } catch (e) {
      store.fail(e);
    }
  };
  return (
    <div className="toolbar compare-toolbar">
      <strong>Compare</strong>
      {picker('Base', base, 'base', false)}
      {picker('Target', target, 'target', false)}
      {picker('Final', final, 'final', true)}
      <span className="compare-spacer" />
      {/* One group: on a narrow window it wraps as a whole, never leaving a button behind. */}
      <span className="compare-export">
        <span className="muted">Export report:</span>
        <label className="compare-values" title="Heap string values are redacted in reports unless included">
          <input
            type="checkbox"
            checked={includeValues}
            onChange={(e) => setIncludeValues(e.target.checked)}
            data-testid="include-values"
          />
          include values
        </label>
        {(['html', 'md', 'json'] as const).map((f) => (
          <button key={f} type="button" onClick={() => void save(f)} data-testid={`export-${f}`}>
            {f === 'md' ? 'Markdown' : f.toUpperCase()}
          </button>
        ))}
        <button
          type="button"
          onClick={() => compareStore.close()}
          aria-label="Close comparison"
          title="Close"
        >
          ×
        </button>
      </span>
      {includeValues && (
        <div className="compare-values-warning" role="note" data-testid="include-values-warning">
          ⚠ The report will contain the heap's string values as they were: passwords, tokens, keys and
          personal data held in strings are written into the file.
        </div>
      )}
    </div>
  );
}

function DiffTotals({ info }: { info: DiffInfo }) {
  return (
    <div className="diff-totals" data-testid="diff-totals">
      {info.seconds !== null && <span>{formatDuration(Math.abs(info.seconds))} apart</span>}
      <span>
        new <strong>{formatCount(info.newObjects)}</strong> objects (+{formatBytes(info.newBytes)})
      </span>
      <span>
        freed <strong>{formatCount(info.freedObjects)}</strong> (−{formatBytes(info.freedBytes)})
      </span>
      <span>
        survived and grew <strong>{formatCount(info.grownObjects)}</strong> (+{formatBytes(info.grownBytes)})
      </span>
    </div>
  );
}
