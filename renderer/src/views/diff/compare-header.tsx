// The Diff view's toolbar: which snapshots are compared (numbered 1, 2, 3, oldest first: every number
// in the view names its interval by them), the table's interval, and the report export with its
// "include values" choice and the warning that goes with it.
import type { ReportFormat, SnapshotId, SnapshotInfo } from '@shared/contract';
import { useState } from 'react';
import { useClient, useStore } from '../../app/context';
import { formatTime } from '../../lib/format';
import { type CompareState, compareStore, INTERVALS, intervalText, wholeSeries } from './compare-store';
import { exportLeakReport } from './export-report';

function snapshotLabel(info: SnapshotInfo): string {
  return `${info.name} · ${formatTime(info.process.dumpTime)}`;
}

export function CompareHeader({ infos, compare }: { infos: SnapshotInfo[]; compare: CompareState }) {
  const { base, target, final } = compare;
  const client = useClient();
  const store = useStore();
  const [includeValues, setIncludeValues] = useState(false);
  const snapshots = [base, target, final].filter((id): id is SnapshotId => id !== null);
  const picker = (position: number, value: SnapshotId | null, key: 'base' | 'target' | 'final') => (
    <label className="compare-pick" title={PICK_TITLES[key]}>
      <span className="compare-pos">{position}</span>
      <select
        value={value ?? ''}
        onChange={(e) => compareStore.choose({ [key]: e.target.value === '' ? null : e.target.value })}
        data-testid={`compare-${key}`}
      >
        {key === 'final' && <option value="">— (two snapshots)</option>}
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
      {picker(1, base, 'base')}
      {picker(2, target, 'target')}
      {picker(3, final, 'final')}
      <IntervalSwitch compare={compare} />
      <span className="compare-spacer" />
      {/* One group: on a narrow window it wraps as a whole, never leaving a button behind. */}
      <span className="compare-export">
        <span className="muted" title="The report covers the whole series, as the suspects do">
          Export report ({intervalText(wholeSeries(final))}):
        </span>
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

const PICK_TITLES = {
  base: 'Snapshot 1: the oldest',
  target: 'Snapshot 2',
  final: 'Snapshot 3 (optional): a suspect must then grow in both intervals',
};

/** The table's interval: 1→2, 2→3 or the whole series 1→3 (the last two need a third snapshot). */
function IntervalSwitch({ compare }: { compare: CompareState }) {
  const three = compare.final !== null;
  return (
    <fieldset className="interval-switch" aria-label="Interval the table shows">
      <span className="muted">Table:</span>
      {INTERVALS.map((iv) => {
        const possible = three || iv === '1-2';
        const on = compare.interval === iv;
        return (
          <button
            key={iv}
            type="button"
            aria-pressed={on}
            className={on ? 'active' : ''}
            disabled={!possible}
            title={
              possible
                ? `Show what changed from snapshot ${iv.replace('-', ' to ')}`
                : 'Choose a third snapshot'
            }
            onClick={() => compareStore.setInterval(iv)}
            data-testid={`interval-${iv}`}
          >
            {intervalText(iv)}
          </button>
        );
      })}
    </fieldset>
  );
}
