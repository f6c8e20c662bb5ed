// A size in human units with the exact byte count on hover.
import { exactBytes, formatBytes, formatCount, formatPercent } from '../lib/format';

export function Bytes({ value }: { value: number }) {
  return <span title={exactBytes(value)}>{formatBytes(value)}</span>;
}

export function Count({ value }: { value: number }) {
  return <span>{formatCount(value)}</span>;
}

/** References from the nearest root; a dash for an unreachable object (cyclic garbage). */
export function Distance({ value }: { value: number }) {
  return value < 0 ? <span title="unreachable from every root">—</span> : <span>{formatCount(value)}</span>;
}

/** A percent with a small bar behind it, as MAT and DevTools show shares. */
export function Share({ part, total }: { part: number; total: number }) {
  const width = total > 0 ? Math.min(100, (part / total) * 100) : 0;
  return (
    <span className="share" title={`${exactBytes(part)} of ${exactBytes(total)}`}>
      <span className="share-bar" style={{ width: `${width}%` }} />
      <span className="share-text">{formatPercent(part, total)}</span>
    </span>
  );
}
