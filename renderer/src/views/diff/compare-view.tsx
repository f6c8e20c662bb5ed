// The Diff view: two or three open snapshots of one process compared. Type deltas over the chosen
// interval on the left (each type expands to its new, freed and grown objects), leak suspects over
// the whole series or the inspector on the right, and below, the retainers of the selected suspect's
// holder or the selected object. What is chosen lives in compare-store (and so in the URL).
import type { DiffInfo, LeakReport, LeakSuspect, SnapshotId, SnapshotInfo } from '@shared/contract';
import { useCallback, useEffect, useState } from 'react';
import { useAppState, useClient } from '../../app/context';
import { errorMessage } from '../../lib/errors';
import { formatBytes, formatCount, formatDuration } from '../../lib/format';
import { CompareInspector, ObjectDetail, SuspectDetail } from './compare-detail';
import { CompareHeader } from './compare-header';
import {
  type ComparedObject,
  compareStore,
  effectiveInterval,
  intervalPair,
  intervalText,
  useCompare,
  wholeSeries,
} from './compare-store';
import { SuspectsList, suspectKey } from './suspects-list';
import { TypeDeltaTable } from './type-delta-table';
import './diff.css';

/**
 * The last leak report, kept while the Diff view is closed: finding suspects takes seconds on a big
 * heap, and a switch to a snapshot tab and back should not redo it. Ids are never reused by a server.
 */
let lastReport: { key: string; report: LeakReport } | null = null;

export function CompareView() {
  const { tabs } = useAppState();
  const compare = useCompare();
  const client = useClient();
  const infos = tabs.map((t) => t.info);
  const { base, target, final, selection } = compare;
  const [info, setInfo] = useState<DiffInfo | null>(null);
  const [diffError, setDiffError] = useState<string | null>(null);
  const [report, setReport] = useState<LeakReport | null>(null);
  const [leaksError, setLeaksError] = useState<string | null>(null);

  // A snapshot closed while compared leaves the comparison (the view closes below two).
  const openIds = infos.map((i) => i.id).join(' ');
  useEffect(() => {
    const ids = openIds.split(' ');
    for (const id of [base, target, final]) if (id !== null && !ids.includes(id)) compareStore.forget(id);
  }, [openIds, base, target, final]);

  useEffect(() => {
    if (base === null || target === null) return;
    const key = `${base}\u0000${target}\u0000${final}`;
    setLeaksError(null);
    if (lastReport?.key === key) {
      setReport(lastReport.report);
      return;
    }
    let live = true;
    setReport(null);
    client.call('leaks', { base, target, final: final ?? undefined }).then(
      (r) => {
        lastReport = { key, report: r };
        if (live) setReport(r);
      },
      (e: unknown) => live && setLeaksError(errorMessage(e)),
    );
    return () => {
      live = false;
    };
  }, [client, base, target, final]);

  const onInfo = useCallback((i: DiffInfo) => setInfo(i), []);
  const onError = useCallback((m: string) => setDiffError(m), []);
  const onPick = useCallback((o: ComparedObject) => compareStore.select({ kind: 'object', ...o }), []);

  const pair = intervalPair(compare);
  const infoOf = (id: SnapshotId | null) => infos.find((i) => i.id === id);
  const pairInfos = pair === null ? null : { base: infoOf(pair.base), target: infoOf(pair.target) };
  if (pair === null || pairInfos?.base === undefined || pairInfos.target === undefined) {
    return (
      <div className="compare" data-testid="compare-view">
        <div className="muted pad">Open two snapshots of the same process to compare them.</div>
      </div>
    );
  }
  const interval = intervalText(effectiveInterval(compare));
  const series = intervalText(wholeSeries(final));
  const suspects = report === null ? [] : [...report.suspects, ...report.largeHolders];
  const suspect =
    selection?.kind === 'suspect' ? suspects.find((s) => suspectKey(s) === selection.key) : undefined;
  const object = selection?.kind === 'object' ? selection : null;
  const position = (id: SnapshotId) => [base, target, final].indexOf(id) + 1;
  return (
    <div className="compare" data-testid="compare-view">
      <CompareHeader infos={infos} compare={compare} />
      {(info?.warnings ?? []).map((w) => (
        <div key={w} className="compare-warning" role="alert" data-testid="compare-warning">
          ⚠ {w}
        </div>
      ))}
      {diffError !== null && <div className="error-line">{diffError}</div>}
      <DiffTotals
        info={info?.base === pair.base && info.target === pair.target ? info : null}
        interval={interval}
        base={pairInfos.base}
        target={pairInfos.target}
      />
      <div className="workspace">
        <div className="main-pane">
          <TypeDeltaTable
            key={`${pair.base}/${pair.target}`}
            base={pairInfos.base}
            target={pairInfos.target}
            interval={interval}
            selected={object}
            onPick={onPick}
            onInfo={onInfo}
            onError={onError}
          />
        </div>
        <aside className="side-pane suspects-pane">
          <div className="panel-tabs" role="tablist">
            <button
              type="button"
              role="tab"
              aria-selected={compare.side === 'suspects'}
              className={compare.side === 'suspects' ? 'active' : ''}
              onClick={() => compareStore.showSide('suspects')}
              data-testid="side-suspects"
            >
              Suspects{report === null ? '' : ` (${report.suspects.length})`}
            </button>
            <button
              type="button"
              role="tab"
              aria-selected={compare.side === 'inspector'}
              className={compare.side === 'inspector' ? 'active' : ''}
              onClick={() => compareStore.showSide('inspector')}
              data-testid="side-inspector"
            >
              Inspector
            </button>
          </div>
          <div className="side-body">
            {compare.side === 'suspects' ? (
              <SuspectsList
                report={report}
                error={leaksError}
                selected={selection?.kind === 'suspect' ? selection.key : null}
                onSelect={(s) => compareStore.select({ kind: 'suspect', key: suspectKey(s) })}
                series={series}
                tableInterval={interval}
              />
            ) : (
              <CompareInspector
                object={object}
                info={object === null ? undefined : infoOf(object.snapshot)}
              />
            )}
          </div>
        </aside>
      </div>
      <div className="bottom-pane">
        <Detail
          suspect={suspect}
          object={object}
          infoOf={infoOf}
          position={position}
          waiting={selection?.kind === 'suspect' && report === null}
        />
      </div>
    </div>
  );
}

function Detail(props: {
  suspect: LeakSuspect | undefined;
  object: ComparedObject | null;
  infoOf: (id: SnapshotId) => SnapshotInfo | undefined;
  position: (id: SnapshotId) => number;
  waiting: boolean;
}) {
  const { suspect, object, infoOf, position } = props;
  if (object !== null) {
    const info = infoOf(object.snapshot);
    if (info !== undefined) return <ObjectDetail object={object} info={info} position={position(info.id)} />;
  }
  if (suspect !== undefined) {
    const info = infoOf(suspect.holderSnapshot);
    if (info !== undefined) return <SuspectDetail suspect={suspect} info={info} />;
  }
  return (
    <div className="muted pad">
      {props.waiting
        ? 'Looking for leak suspects…'
        : 'Select a suspect, or an object under a type in the table, to see why it is alive.'}
    </div>
  );
}

function DiffTotals(props: {
  info: DiffInfo | null;
  interval: string;
  base: SnapshotInfo;
  target: SnapshotInfo;
}) {
  const { info, interval, base, target } = props;
  return (
    <div className="diff-totals" data-testid="diff-totals">
      <span className="interval-chip" data-testid="diff-interval" title={`${base.name} → ${target.name}`}>
        {interval}
      </span>
      <span className="muted">
        {base.name} → {target.name}
      </span>
      {info !== null && info.seconds !== null && <span>{formatDuration(Math.abs(info.seconds))} apart</span>}
      {info !== null && (
        <>
          <span>
            new <strong>{formatCount(info.newObjects)}</strong> objects (+{formatBytes(info.newBytes)})
          </span>
          <span>
            freed <strong>{formatCount(info.freedObjects)}</strong> (−{formatBytes(info.freedBytes)})
          </span>
          <span>
            survived and grew <strong>{formatCount(info.grownObjects)}</strong> (+
            {formatBytes(info.grownBytes)})
          </span>
        </>
      )}
    </div>
  );
}
