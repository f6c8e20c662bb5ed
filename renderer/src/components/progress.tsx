// A load in progress: the indexing stage and an overall percent, with Cancel.
import { type ProgressEvent, STAGES } from '@shared/contract';
import type { LoadJob } from '../app/store';
import { formatCount } from '../lib/format';

export function ProgressCard({ job, onCancel }: { job: LoadJob; onCancel: () => void }) {
  const p = job.progress;
  const percent = p === null ? 0 : Math.max(0, Math.min(100, p.percent));
  const stage = p === null ? 'starting' : p.stage;
  const detail =
    p === null
      ? `${job.hint}…`
      : p.capture !== undefined
        ? captureDetail(p.capture)
        : `stage ${p.stageIndex + 1} of ${STAGES.length}: ${stage} ${formatCount(p.done)} / ${formatCount(p.total)}`;
  return (
    <div className="progress-card" data-testid="progress">
      <div className="progress-title">
        Opening <b>{job.name}</b>
      </div>
      <div
        className="progress-track"
        role="progressbar"
        aria-valuenow={Math.round(percent)}
        aria-valuemin={0}
        aria-valuemax={100}
      >
        <div className="progress-fill" style={{ width: `${percent}%` }} />
      </div>
      <div className="progress-detail">
        <span data-testid="progress-stage">{detail}</span>
        <span>{percent.toFixed(0)} %</span>
      </div>
      <button type="button" onClick={onCancel} data-testid="progress-cancel">
        Cancel
      </button>
    </div>
  );
}

/** `capture` before indexing: the target reaching a safe point, then its dump child walking the heap. */
function captureDetail(c: NonNullable<ProgressEvent['capture']>): string {
  return c.stage === 'waiting'
    ? 'waiting for the process to reach a safe point…'
    : `the process's dump is walking its heap: ${formatCount(c.bytes)} bytes written`;
}
