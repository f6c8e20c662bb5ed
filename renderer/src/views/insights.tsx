// The Insights view of one snapshot: what the RSS is made of (a stacked bar with every part's
// source and a verdict, tracemalloc's total beside it), then where memory could be saved — each
// kind's findings paged, a finding expandable to its owners (the retainer path of the holder;
// clicking one selects it) and each owner to its objects (insight-pages.tsx) — and export of the
// single-snapshot report (which carries both sections).
import {
  INSIGHT_KIND_TITLES,
  type InsightReport,
  type ProcessAccounting,
  type ReportFormat,
  type SnapshotInfo,
} from '@shared/contract';
import { useEffect, useState } from 'react';
import { useClient, useStore } from '../app/context';
import { Bytes } from '../components/bytes';
import { formatCount } from '../lib/format';
import { exportLeakReport } from './diff/export-report';
import { FindingList, KindOwners } from './insight-pages';
import './insights.css';

export function InsightsView({ info }: { info: SnapshotInfo }) {
  const client = useClient();
  const [report, setReport] = useState<InsightReport | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    let live = true;
    // Totals, accounting and notes only: each kind's findings are paged below (FindingList).
    client.call('insights', { snapshot: info.id, limit: 0 }).then(
      (r) => live && setReport(r),
      (e: unknown) => live && setError(e instanceof Error ? e.message : String(e)),
    );
    return () => {
      live = false;
    };
  }, [client, info.id]);
  if (error !== null) return <div className="pad error">{error}</div>;
  if (report === null) return <div className="pad muted">Analysing the snapshot…</div>;
  const saved = report.totals.reduce((s, t) => s + t.wastedBytes, 0);
  return (
    <div className="insights" data-testid="insights-view">
      <AccountingBar accounting={report.accounting} />
      <div className="insights-head">
        <h2>
          <Bytes value={saved} /> could be saved
        </h2>
        <ExportButtons info={info} />
      </div>
      {report.totals.map((t) => (
        <section key={t.kind} data-testid={`insights-${t.kind}`}>
          <h3>
            {INSIGHT_KIND_TITLES[t.kind]}: <Bytes value={t.wastedBytes} />{' '}
            <span className="muted">
              in {formatCount(t.findings)} finding{t.findings === 1 ? '' : 's'}
            </span>
          </h3>
          {t.findings > 1 && <KindOwners snapshot={info.id} kind={t.kind} count={t.count} />}
          {t.findings > 0 && <FindingList snapshot={info.id} kind={t.kind} />}
        </section>
      ))}
      <details className="insights-notes">
        <summary>Assumptions and what is not counted</summary>
        <ul>
          {[...report.notCounted, ...report.assumptions].map((n) => (
            <li key={n}>{n}</li>
          ))}
        </ul>
      </details>
    </div>
  );
}

const SEGMENT_CLASS: Record<string, string> = {
  objects: 'seg-objects',
  'pymalloc-free': 'seg-pymalloc',
  'malloc-free': 'seg-malloc',
  'file-backed': 'seg-file',
  other: 'seg-other',
};

export function AccountingBar({ accounting: a }: { accounting: ProcessAccounting | null }) {
  if (a === null) {
    return (
      <div className="accounting muted">The snapshot records no RSS, so its make-up cannot be shown.</div>
    );
  }
  return (
    <div className="accounting" data-testid="accounting">
      <div className="accounting-verdict">
        RSS <Bytes value={a.rssBytes} /> <span className="muted">({a.rssSource})</span>: {a.verdict}
      </div>
      <div className="stacked-bar" data-testid="accounting-bar">
        {a.segments
          .filter((s) => s.bytes > 0)
          .map((s) => (
            <div
              key={s.key}
              className={SEGMENT_CLASS[s.key]}
              style={{ width: `${(100 * s.bytes) / a.rssBytes}%` }}
              title={`${s.label}: ${Math.round((100 * s.bytes) / a.rssBytes)} % (${s.source})`}
            />
          ))}
      </div>
      <ul className="legend">
        {a.segments.map((s) => (
          <li key={s.key}>
            <span className={`swatch ${SEGMENT_CLASS[s.key]}`} /> {s.label} <Bytes value={s.bytes} />{' '}
            <span className="muted">[{s.source}]</span>
          </li>
        ))}
        <li data-testid="accounting-tracemalloc">
          <TracemallocText accounting={a} />
        </li>
        {a.unmeasured.map((u) => (
          <li key={u} className="muted">
            not measured: {u}
          </li>
        ))}
      </ul>
    </div>
  );
}

/** tracemalloc's traced total with its source, or plainly why there is none. */
export function TracemallocText({ accounting: a }: { accounting: ProcessAccounting }) {
  const t = a.tracemalloc;
  if (!t) return <span className="muted">tracemalloc: not recorded</span>;
  if (t.tracedBytes === null) return <span className="muted">{t.note}</span>;
  return (
    <span title={t.source}>
      tracemalloc: <Bytes value={t.tracedBytes} /> traced
      {t.peakBytes !== null && (
        <>
          , peak <Bytes value={t.peakBytes} />
        </>
      )}{' '}
      <span className="muted">[{t.source}]</span>
    </span>
  );
}

/** The process header's bar: the same parts, each part's share and source in its tooltip. */
export function MiniAccountingBar({ accounting: a }: { accounting: ProcessAccounting }) {
  return (
    <span className="stacked-bar mini" data-testid="header-accounting-bar" title={a.verdict}>
      {a.segments
        .filter((s) => s.bytes > 0)
        .map((s) => (
          <span
            key={s.key}
            className={SEGMENT_CLASS[s.key]}
            style={{ width: `${(100 * s.bytes) / a.rssBytes}%` }}
            title={`${s.label}: ${Math.round((100 * s.bytes) / a.rssBytes)} % (${s.source})`}
          />
        ))}
    </span>
  );
}

function ExportButtons({ info }: { info: SnapshotInfo }) {
  const client = useClient();
  const store = useStore();
  const save = (format: ReportFormat) =>
    exportLeakReport(client, [info.id], format, false).then(
      (where) =>
        where !== null && store.notify(where === 'downloaded' ? 'Report downloaded' : `Saved ${where}`),
      (e: unknown) => store.notify(`Export failed: ${e instanceof Error ? e.message : String(e)}`),
    );
  return (
    <div className="export-buttons">
      Export report:
      {(['html', 'md', 'json'] as const).map((format) => (
        <button
          key={format}
          type="button"
          onClick={() => void save(format)}
          data-testid={`insights-export-${format}`}
        >
          {format.toUpperCase()}
        </button>
      ))}
    </div>
  );
}
