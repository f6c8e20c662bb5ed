// A load in progress: the indexing stage and an overall percent, with Cancel; once the edges stage
// is done, the object and edge counts the header will show (the same words, the same numbers).
import { type ProgressEvent, STAGES, type Stage } from '@shared/contract';
import type { LoadJob } from '../app/store';
import { formatBytes, formatCount } from '../lib/format';

export function ProgressCard({ job, onCancel }: { job: LoadJob; onCancel: () => void }) {
  const p = job.progress;
  const percent = p === null ? 0 : Math.max(0, Math.min(100, p.percent));
  const detail =
    p === null ? `${job.hint}…` : p.capture !== undefined ? captureDetail(p.capture) : stageDetail(p);
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
      {p?.counts !== undefined && (
        <div className="progress-detail" data-testid="progress-counts">
          {formatCount(p.counts.objects)} objects · {formatCount(p.counts.edges)} edges
        </div>
      )}
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

/**
 * The stage, and for `read` the bytes: after it, a stage's done/total are units of work (nodes and
 * edges together, say) that no other screen shows, so they are not shown here either.
 */
function stageDetail(p: ProgressEvent): string {
  const stage = `stage ${p.stageIndex + 1} of ${STAGES.length}`;
  if (p.stage === 'read') return `${stage}: reading ${formatBytes(p.done)} of ${formatBytes(p.total)}`;
  return `${stage}: ${STAGE_WORDS[p.stage]}`;
}

/** What each indexing stage does, in a user's words (electron/indexer/pipeline.ts). */
const STAGE_WORDS: Record<Stage, string> = {
  read: 'reading',
  edges: 'resolving references',
  retainers: 'indexing referrers',
  distances: 'distances from the roots',
  dominators: 'dominator tree',
  retained: 'retained sizes',
  aggregates: 'totals by type',
  insights: 'preparing insights',
};
