// Leak suspects, most likely first, each with its one-sentence explanation, retainer path, growth per
// interval and the types that accumulate. Large holders (MAT-style, informational) follow.
import type { LeakReport, LeakSuspect } from '@shared/contract';
import { formatBytes, formatCount } from '../../lib/format';
import { DeltaBytes, DeltaCount } from './type-delta-table';

/** What identifies a suspect in the URL: its signature, or a large holder's node (it has none). */
export function suspectKey(s: LeakSuspect): string {
  return s.kind === 'growth' ? s.signature : `holder ${s.holder.node}`;
}

interface Props {
  report: LeakReport | null;
  error: string | null;
  selected: string | null;
  onSelect: (suspect: LeakSuspect) => void;
  /** The whole series the suspects cover (`1→3`) and the interval the table shows. */
  series: string;
  tableInterval: string;
}

export function SuspectsList({ report, error, selected, onSelect, series, tableInterval }: Props) {
  if (error !== null) return <div className="error-line">{error}</div>;
  if (report === null) return <div className="muted pad">Looking for leak suspects…</div>;
  const floor = `${formatBytes(report.noiseFloor.bytes)} and ${formatCount(report.noiseFloor.count)} objects`;
  const steps = series === '1→3' ? ' (a suspect grows in 1→2 and in 2→3)' : '';
  return (
    <div className="suspects" data-testid="suspects">
      {tableInterval !== series && (
        <div className="suspects-scope" role="note" data-testid="suspects-scope">
          The table shows {tableInterval}; suspects and the exported report cover the whole series, {series}
          {steps}: growth in one interval alone is not a leak.
        </div>
      )}
      {report.suspects.length === 0 ? (
        <div className="no-suspects" data-testid="no-suspects">
          No leak suspects over {series}: nothing grew above the noise floor ({floor}) under one holder.
        </div>
      ) : (
        <div className="suspects-head muted" data-testid="suspects-head">
          {report.suspects.length} suspect{report.suspects.length === 1 ? '' : 's'} over {series}, most likely
          first · noise floor {floor}
        </div>
      )}
      {report.suspects.map((s, i) => (
        <SuspectCard
          key={s.signature}
          suspect={s}
          rank={i + 1}
          active={suspectKey(s) === selected}
          onSelect={onSelect}
        />
      ))}
      {report.largeHolders.length > 0 && (
        <details className="large-holders">
          <summary>Large holders in the newest snapshot ({report.largeHolders.length})</summary>
          {report.largeHolders.map((s) => (
            <SuspectCard
              key={s.path}
              suspect={s}
              rank={null}
              active={suspectKey(s) === selected}
              onSelect={onSelect}
            />
          ))}
        </details>
      )}
    </div>
  );
}

function SuspectCard({
  suspect: s,
  rank,
  active,
  onSelect,
}: {
  suspect: LeakSuspect;
  rank: number | null;
  active: boolean;
  onSelect: (s: LeakSuspect) => void;
}) {
  return (
    <button
      type="button"
      className={`suspect-card ${active ? 'active' : ''}`}
      onClick={() => onSelect(s)}
      data-testid={rank === null ? 'large-holder' : 'suspect'}
    >
      <div className="suspect-title">
        {rank !== null && <span className="suspect-rank">#{rank}</span>}
        <Explanation text={s.explanation} />
      </div>
      <div className="suspect-path mono" data-testid="suspect-path">
        {s.path}
      </div>
      {s.kind === 'growth' && (
        <div className="suspect-growth">
          {s.intervals.map((iv, i) => (
            // biome-ignore lint/suspicious/noArrayIndexKey: intervals are positional
            <span key={i} className="suspect-interval">
              {`${i + 1}→${i + 2}: `}
              <DeltaBytes value={iv.bytes} /> · <DeltaCount value={iv.count} /> objects
            </span>
          ))}
          {s.types.slice(0, 3).map((t) => (
            <span key={t.type} className="suspect-type">
              {formatCount(t.count)} {t.type}
            </span>
          ))}
        </div>
      )}
    </button>
  );
}

/** The explanation's `name` spans as code, the rest as text (React escapes both). */
function Explanation({ text }: { text: string }) {
  // Keys: a part's offset in the sentence, unique and stable for one text.
  let offset = 0;
  const parts = text.split(/`([^`]+)`/).map((part, i) => {
    const key = `${offset}`;
    offset += part.length + 1;
    return i % 2 === 1 ? <code key={key}>{part}</code> : <span key={key}>{part}</span>;
  });
  return <>{parts}</>;
}
