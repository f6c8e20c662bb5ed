// How an object, a type and an edge read in every table: the same words everywhere.
import type { EdgeLabel, ObjectRow } from '@shared/contract';
import { heldFromCExplanation, heldFromCText } from '../lib/held-from-c';

/** "Session 0x7f3a…" with the label, or else the preview of its fields, when there is one. */
export function ObjectName({ row }: { row: ObjectRow & { preview?: string; heldAs?: string } }) {
  if (row.kind !== 'object') {
    return (
      <span className="obj-root">{row.label || (row.kind === 'super-root' ? '(roots)' : row.type)}</span>
    );
  }
  return (
    <span
      className="obj"
      title={`${row.type} @ ${row.address}${row.label ? `\n${row.label}` : ''}${row.preview ? `\n${row.preview}` : ''}`}
    >
      <span className="obj-type">{shortType(row.type)}</span>
      <HeldFromC row={row} />
      {row.heldAs && (
        <span className="obj-held" data-testid="obj-held">
          {row.heldAs}
        </span>
      )}
      {row.label !== '' && <span className="obj-label">{quoteLabel(row)}</span>}
      {row.preview && (
        <span className={`obj-preview ${row.heldAs ? 'minor' : ''}`} data-testid="obj-preview">
          {row.preview}
        </span>
      )}
      <span className="obj-addr">@{row.address}</span>
      {row.unreachable && <span className="badge garbage">garbage</span>}
    </span>
  );
}

/**
 * A small "C" after the type when C code also holds the object: a fact beside its Python owners,
 * which the row's name and its paths still show. Nothing when C holds no reference the dump misses.
 */
export function HeldFromC({ row }: { row: ObjectRow }) {
  const n = row.heldFromC ?? 0;
  if (n <= 0) return null;
  const text = heldFromCText(n);
  return (
    <span
      className="badge held-c"
      role="img"
      aria-label={text}
      title={`${text}\n${heldFromCExplanation(n)}`}
      data-testid="held-from-c"
    >
      C
    </span>
  );
}

export function EdgeName({ edge, weak }: { edge: EdgeLabel; weak: boolean }) {
  return (
    <span className={`edge edge-${edge.kind} ${weak ? 'weak' : ''}`} title={`${edge.kind} reference`}>
      {edgeText(edge)}
      {weak && <span className="badge weak">weak</span>}
    </span>
  );
}

export function edgeText(edge: EdgeLabel): string {
  if (edge.text !== '') return edge.text;
  return edge.kind === 'other' ? '→' : edge.kind;
}

/** Module-qualified names are long; the table shows the last part and the title the rest. */
export function shortType(type: string): string {
  const dot = type.lastIndexOf('.');
  return dot < 0 ? type : type.slice(dot + 1);
}

function quoteLabel(row: ObjectRow): string {
  return row.type === 'str' ? `'${row.label}'` : row.label;
}

/** One line naming an object, for paths copied as text. */
export function objectText(row: ObjectRow): string {
  if (row.kind !== 'object') return row.label || row.type;
  return row.label ? `${shortType(row.type)} ${row.label}` : `${shortType(row.type)} @${row.address}`;
}
