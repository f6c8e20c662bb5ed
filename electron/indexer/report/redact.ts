// Heap strings and command lines hold passwords, tokens and personal data, so reports withhold them
// unless the user asks (--include-values). The rule, documented in docs/LEAKS.md ("Redaction"):
// - labels of str/bytes/bytearray objects (their values) → ‹redacted›;
// - dict keys in paths → [‹str›], unless the key is a name of code (`_SESSION_CACHE`, `user_id`):
//   a Python identifier of at most 40 characters that does not look like a secret (`keepKey`);
// - the process's argv: the program name and option names stay, every other argument → ‹redacted›
//   (`--db-password=‹redacted›`, `--port ‹redacted›`, `KEY=‹redacted›`);
// - `KEY=value` and `--option=value` anywhere else in a path or label → `KEY=‹redacted›`.
// Type names, attribute names, edge labels and numbers stay: the paths are unreadable without them.
import type { LeakSuspect, ObjectRow, ProcessFacts } from '@shared/contract';
import { redactInsights } from './insights';
import type { ReportData, ReportDominator, ReportSnapshot } from './model';

const VALUE_TYPES = new Set(['str', 'bytes', 'bytearray']);
/** A Python identifier (ASCII; a non-ASCII key is withheld) of at most 40 characters. */
const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]{0,39}$/;
/** Prefixes of well-known credentials: payment, VCS, cloud and chat tokens. */
const SECRET_PREFIX =
  /^(sk|pk|rk)_(live|test)_|^(ghp|gho|ghu|ghs|ghr)_|^github_pat_|^(AKIA|ASIA)[0-9A-Z]{8}|^AIza|^xox[abprs]_/;
/**
 * A quoted key as the indexer renders dict edges: ['key'], ["key"], b'…' prefixes, backslash
 * escapes, and the `…` the dumper appends to a key it cut (its closing quote comes before it).
 */
const QUOTED_KEY = /\[([bBrRuU]{0,2})(['"])((?:\\.|(?!\2)[^\\])*)\2(…?)\]/g;
/** `KEY=value` / `--key=value` / `-k=value`: environment-like assignments and inline option values. */
const ASSIGNMENT = /(^|[\s'"([{,;])(-{0,2}[A-Za-z_][A-Za-z0-9_.-]*)=(?!‹redacted›)[^\s'"\]),;]+/g;

export const REDACTED_VALUE = '‹redacted›';

/**
 * Whether a dict key is a name of code, kept in redacted reports: a Python identifier of at most 40
 * characters, without a well-known credential prefix, none of whose `_`-separated parts looks
 * random (12 or more characters with at least 3 digits and 3 letters, or 16 or more hex digits).
 */
export function keepKey(key: string): boolean {
  if (!IDENTIFIER.test(key) || SECRET_PREFIX.test(key)) return false;
  return key.split('_').every((part) => !looksRandom(part));
}

function looksRandom(part: string): boolean {
  if (part.length >= 16 && /^[0-9a-fA-F]+$/.test(part) && /\d/.test(part)) return true;
  if (part.length < 12) return false;
  const digits = part.replace(/\D/g, '').length;
  return digits >= 3 && part.length - digits >= 3;
}

/** `module app → ._SESSION_CACHE → ['tok-8f2a'] → Session` → `… → [‹str›] → Session`. */
export function redactPathText(text: string): string {
  return text
    .replace(QUOTED_KEY, (whole, prefix: string, _q: string, key: string, cut: string) =>
      prefix === '' && cut === '' && keepKey(key) ? whole : '[‹str›]',
    )
    .replace(ASSIGNMENT, (_whole, before: string, name: string) => `${before}${name}=${REDACTED_VALUE}`);
}

/**
 * A command line with its values withheld: the program (argv[0]) and option names stay; option
 * values, positional arguments and `KEY=value` assignments are replaced. An option's value may be
 * the next argument (`--password hunter2`), so every argument that is not an option is withheld.
 */
export function redactArgv(argv: readonly string[]): string[] {
  return argv.map((arg, i) => {
    if (i === 0) return arg;
    if (arg === '--' || arg === '-') return arg;
    const eq = arg.indexOf('=');
    if (arg.startsWith('-')) {
      if (eq !== -1) return `${arg.slice(0, eq)}=${REDACTED_VALUE}`;
      // `-pSECRET`: a short option with its value attached.
      if (!arg.startsWith('--') && arg.length > 2) return `${arg.slice(0, 2)}${REDACTED_VALUE}`;
      return arg;
    }
    if (eq > 0 && /^[A-Za-z_][A-Za-z0-9_]*$/.test(arg.slice(0, eq)))
      return `${arg.slice(0, eq)}=${REDACTED_VALUE}`;
    return REDACTED_VALUE;
  });
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

function redactProcess(p: ProcessFacts): ProcessFacts {
  return { ...p, argv: redactArgv(p.argv) };
}

function redactSnapshot(s: ReportSnapshot): ReportSnapshot {
  return { ...s, process: redactProcess(s.process) };
}

export function redactReport(data: ReportData): ReportData {
  if (data.valuesIncluded) return data;
  return {
    ...data,
    snapshots: data.snapshots.map(redactSnapshot),
    warnings: data.warnings.map(redactPathText),
    suspects: data.suspects.map(redactSuspect),
    largeHolders: data.largeHolders.map(redactSuspect),
    dominators: data.dominators.map(redactDominator),
    insights: data.insights ? redactInsights(data.insights) : data.insights,
  };
}
