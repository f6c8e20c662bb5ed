// Runtime checks for every contract method's argument. Transports run these on whatever arrives from
// the renderer (IPC, HTTP) before the service sees it: a bad argument becomes one readable line with
// code 'bad-argument' instead of a crash deep in the indexer.
import { type ApiArgs, ApiError, type ApiMethod, type ApiMethods, INSIGHT_KINDS } from './contract';

/** Checks `value` (found at `at`, e.g. "range.start") and returns it typed, or throws ApiError. */
type Check<T> = (value: unknown, at: string) => T;

function bad(at: string, expected: string, value: unknown): never {
  throw new ApiError('bad-argument', `${at}: expected ${expected}, got ${describe(value)}`);
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'string') return value.length > 40 ? 'a long string' : JSON.stringify(value);
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return typeof value === 'object' ? 'an object' : typeof value;
}

const str: Check<string> = (v, at) => (typeof v === 'string' ? v : bad(at, 'a string', v));

const nonEmpty: Check<string> = (v, at) =>
  str(v, at) !== '' ? (v as string) : bad(at, 'a non-empty string', v);

const bool: Check<boolean> = (v, at) => (typeof v === 'boolean' ? v : bad(at, 'true or false', v));

/** Non-negative safe integers: indices, counts and range bounds. */
const count: Check<number> = (v, at) =>
  typeof v === 'number' && Number.isSafeInteger(v) && v >= 0 ? v : bad(at, 'a non-negative integer', v);

const fraction: Check<number> = (v, at) =>
  typeof v === 'number' && v >= 0 && v <= 1 ? v : bad(at, 'a number from 0 to 1', v);

// Cross-realm safe (IPC and worker_threads hand over Buffers and Uint8Arrays from other contexts).
const bytes: Check<Uint8Array> = (v, at) =>
  Object.prototype.toString.call(v) === '[object Uint8Array]' ? (v as Uint8Array) : bad(at, 'bytes', v);

function oneOf<const T extends string>(values: readonly T[]): Check<T> {
  return (v, at) => (values.includes(v as T) ? (v as T) : bad(at, `one of ${values.join(', ')}`, v));
}

function optional<T>(check: Check<T>): Check<T | undefined> {
  return (v, at) => (v === undefined ? undefined : check(v, at));
}

function list<T>(check: Check<T>, max: number): Check<T[]> {
  return (v, at) => {
    if (!Array.isArray(v)) return bad(at, 'an array', v);
    if (v.length > max) throw new ApiError('bad-argument', `${at}: at most ${max} items, got ${v.length}`);
    return v.map((item, i) => check(item, `${at}[${i}]`));
  };
}

type Shape<T> = { [K in keyof T]-?: Check<T[K]> };

/** A plain object with exactly these keys; unknown keys are refused so typos surface. */
function object<T>(shape: Shape<T>): Check<T> {
  return (v, at) => {
    if (typeof v !== 'object' || v === null || Array.isArray(v)) return bad(at, 'an object', v);
    const record = v as Record<string, unknown>;
    for (const key of Object.keys(record)) {
      if (!(key in shape)) throw new ApiError('bad-argument', `${at}: unknown field "${key}"`);
    }
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(shape) as (keyof T & string)[]) {
      const value = shape[key](record[key], at === '' ? key : `${at}.${key}`);
      if (value !== undefined) out[key] = value;
    }
    return out as T;
  };
}

const empty = object<Record<string, never>>({});

/** Largest page the renderer may ask for in one call; tables are virtualized and ask for windows. */
export const MAX_PAGE = 10_000;

const range: Check<{ start: number; end: number }> = (v, at) => {
  const r = object<{ start: number; end: number }>({ start: count, end: count })(v, at);
  if (r.end < r.start)
    throw new ApiError('bad-argument', `${at}: end (${r.end}) is before start (${r.start})`);
  if (r.end - r.start > MAX_PAGE) {
    throw new ApiError(
      'bad-argument',
      `${at}: at most ${MAX_PAGE} rows per request, asked for ${r.end - r.start}`,
    );
  }
  return r;
};

function sort<const K extends string>(keys: readonly K[]) {
  return optional(object<{ key: K; dir: 'asc' | 'desc' }>({ key: oneOf(keys), dir: oneOf(['asc', 'desc']) }));
}

/** The sort keys the contract gives method M. */
type SortKeyOf<M extends ApiMethod> =
  NonNullable<ApiArgs<M> extends { sort?: infer S } ? S : never> extends {
    key: infer K extends string;
  }
    ? K
    : never;

/**
 * `sort` for method M, its keys given as an object: a key the contract adds and this misses (or
 * the reverse) is a compile error. (A list was not checked: a validator that accepts fewer keys
 * than the contract still type-checks, and a new sort key was refused at run time.)
 */
function sortFor<M extends ApiMethod>(keys: Record<SortKeyOf<M>, true>) {
  return sort(Object.keys(keys) as SortKeyOf<M>[]);
}

/** A process id: a positive safe integer (never text that could reach a command line). */
const positiveInt: Check<number> = (v, at) =>
  typeof v === 'number' && Number.isSafeInteger(v) && v > 0 ? v : bad(at, 'a positive integer', v);

const seconds: Check<number> = (v, at) =>
  typeof v === 'number' && v > 0 && v <= 3600 ? v : bad(at, 'seconds from 0 to 3600', v);

const snapshot = nonEmpty;
const requestId = nonEmpty;
const node = count;
const atNode = object({ snapshot, node });
const pageAt = object({ snapshot, node, range });

type Validators = { [M in ApiMethod]: Check<ApiArgs<M>> };

// A mapped type over ApiMethod: adding a method to the contract without a validator here is a
// compile error.
const VALIDATORS: Validators = {
  environment: empty,
  open: object({ requestId, path: nonEmpty }),
  openBytes: object({ requestId, name: nonEmpty, bytes }),
  openDemo: object({ requestId }),
  captureList: empty,
  capture: object({ requestId, pid: positiveInt, fork: bool, timeoutSeconds: seconds }),
  cancel: object({ requestId }),
  close: object({ snapshot }),
  list: empty,
  recentFiles: empty,
  summary: object({
    snapshot,
    range,
    sort: sortFor<'summary'>({ type: true, count: true, shallow: true, retained: true, distance: true }),
    filter: optional(str),
  }),
  instances: object({
    snapshot,
    typeKey: str,
    range,
    sort: sortFor<'instances'>({ retained: true, shallow: true, distance: true, address: true }),
  }),
  instanceRank: object({
    snapshot,
    typeKey: str,
    node,
    sort: sortFor<'instanceRank'>({ retained: true, shallow: true, distance: true, address: true }),
  }),
  dominatorChildren: pageAt,
  dominatorSubtree: object({
    snapshot,
    node,
    depth: count,
    maxChildren: count,
    minFraction: fraction,
  }),
  dominatorChain: atNode,
  referents: pageAt,
  referrers: pageAt,
  retainerPaths: object({ snapshot, node, k: optional(count), ignore: optional(list(count, 100_000)) }),
  objectDetails: atNode,
  search: object({ snapshot, query: str, range, typeKey: optional(str) }),
  searchTypes: object({ snapshot, query: str, range }),
  previews: object({ snapshot, nodes: list(count, 1_000) }),
  heldAs: object({ snapshot, nodes: list(count, 1_000) }),
  diff: object({
    base: snapshot,
    target: snapshot,
    range,
    sort: sortFor<'diff'>({ type: true, countDelta: true, shallowDelta: true, retainedDelta: true }),
    filter: optional(str),
  }),
  leaks: object({ base: snapshot, target: snapshot, final: optional(snapshot) }),
  diffObjects: object({
    base: snapshot,
    target: snapshot,
    type: str,
    change: oneOf(['new', 'freed', 'grown']),
    range,
  }),
  insights: object({ snapshot, limit: optional(count) }),
  insightFindings: object({ snapshot, kind: oneOf(INSIGHT_KINDS), range }),
  insightOwners: object({ snapshot, kind: oneOf(INSIGHT_KINDS), finding: optional(count), range }),
  insightObjects: object({
    snapshot,
    kind: oneOf(INSIGHT_KINDS),
    finding: optional(count),
    owner: optional(count),
    range,
  }),
  exportReport: object({
    snapshots: list(snapshot, 16),
    format: oneOf(['html', 'md', 'json']),
    includeValues: bool,
  }),
};

export const API_METHODS = Object.keys(VALIDATORS) as ApiMethod[];

export function isApiMethod(name: unknown): name is ApiMethod {
  return typeof name === 'string' && Object.hasOwn(VALIDATORS, name);
}

/** Returns `args` checked and typed for `method`, or throws ApiError('bad-argument', one line). */
export function validateArgs<M extends ApiMethod>(method: M, args: unknown): ApiMethods[M][0] {
  if (!isApiMethod(method)) throw new ApiError('bad-argument', `unknown method ${describe(method)}`);
  return (VALIDATORS[method] as Check<ApiArgs<M>>)(args === undefined ? {} : args, method);
}
