// Heap strings hold passwords, tokens and personal data, so reports withhold them unless the user
// asks (--include-values). What is withheld: labels of str/bytes objects (their values) and dict keys
// in paths that are not identifier-like. Identifier-like keys (`_SESSION_CACHE`, `user_id`) are names
// in code — module globals, attributes, keyword arguments — and the paths are unreadable without them.
import type { LeakSuspect, ObjectRow } from '@shared/contract';
import type { ReportData, ReportDominator } from './model';

const VALUE_TYPES = new Set(['str', 'bytes', 'bytearray']);
const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]{0,63}$/;
/** A quoted key as the indexer renders dict edges: ['key'] or ["key"], backslash escapes allowed. */
const QUOTED_KEY = /\[(['"])((?:\\.|(?!\1)[^\\])*)\1\]/g;

export const REDACTED_VALUE = '‹redacted›';

/** `module app → ._SESSION_CACHE → ['tok-8f2a'] → Session` → `… → [‹str›] → Session`. */
export function redactPathText(text: string): string {
  return text.replace(QUOTED_KEY, (whole, _quote: string, key: string) =>
    IDENTIFIER.test(key) ? whole : '[‹str›]',
  );
}

export function redactLabel(type: string, label: string): string {
  if (label === '') return label;
  if (VALUE_TYPES.has(type)) return REDACTED_VALUE;
  return redactPathText(label);
}

function redactRow(row: ObjectRow): ObjectRow {
  return { ...row, label: redactLabel(row.type, row.label) };
}

export function redactSuspect(suspect: LeakSuspect): LeakSuspect {
  return {
    ...suspect,
    path: redactPathText(suspect.path),
    signature: redactPathText(suspect.signature),
    holder: redactRow(suspect.holder),
    explanation: redactPathText(suspect.explanation),
  };
}

function redactDominator(d: ReportDominator): ReportDominator {
  return { ...d, label: redactLabel(d.type, d.label), path: redactPathText(d.path) };
}

export function redactReport(data: ReportData): ReportData {
  if (data.valuesIncluded) return data;
  return {
    ...data,
    suspects: data.suspects.map(redactSuspect),
    largeHolders: data.largeHolders.map(redactSuspect),
    dominators: data.dominators.map(redactDominator),
  };
}
