// The one API contract between the renderer and whatever serves it (Electron IPC, the HTTP server of
// browser mode, the CLI). Imported by main, preload, renderer, server and service: change it here only.
// Only plain data crosses it (JSON-safe, plus Uint8Array for uploads); the renderer never receives the
// graph, only pages of rows ({start, end, total, rows}), as DevTools' heap snapshot worker does.

export const API_VERSION = 1;

/** Opaque id of an open snapshot, unique for the life of the serving process. */
export type SnapshotId = string;
/** Index of a node in one snapshot's arrays. 0 is the synthetic super-root. Stable while it is open. */
export type NodeIndex = number;

// ---------------------------------------------------------------------------------------------
// Snapshots and loading

/** Indexing stages, in order; each reports progress. */
export const STAGES = [
  'read',
  'edges',
  'retainers',
  'distances',
  'dominators',
  'retained',
  'aggregates',
  'insights',
] as const;
export type Stage = (typeof STAGES)[number];

export interface ProgressEvent {
  requestId: string;
  stage: Stage;
  /** 0-based position of `stage` in STAGES. */
  stageIndex: number;
  /**
   * Work done/total within the stage: bytes for `read`; after it, units of work (nodes, edges, or
   * both) that are not a count of anything to show (`counts` is).
   */
  done: number;
  total: number;
  /**
   * From the end of the `edges` stage: the objects and edges the header will show
   * (SnapshotTotals.objects, .edges: edges kept, references to objects not in the file dropped).
   */
  counts?: { objects: number; edges: number };
  /** Overall progress 0..100 across all stages. */
  percent: number;
  /**
   * `capture` only, before indexing starts (stage 'read' at 0 %): waiting for the target to reach a
   * safe point, then the dump child walking its heap (`bytes` written so far).
   */
  capture?: { stage: 'waiting' | 'walking'; bytes: number };
}

/** Facts about the dumped process, from the snapshot's META section. Absent facts are null. */
export interface ProcessFacts {
  pythonVersion: string | null;
  implementation: string | null;
  platform: string | null;
  hostname: string | null;
  pid: number | null;
  argv: string[];
  /** Seconds since the epoch. */
  dumpTime: number | null;
  processStartTime: number | null;
  rssBytes: number | null;
  threads: { ident: number; name: string }[];
  dumperVersion: string | null;
  /** Options the dump was taken with (collect, fork, redactStrings, tracemalloc, capture). */
  options: Record<string, boolean>;
  /**
   * Build facts (META python.freeThreaded / debugBuild; absent before dumper 0.1 capture support):
   * on a free-threaded build refcounts are biased per thread and on a debug build objects carry
   * extra fields, so refcount-derived facts (held from C) are less reliable.
   */
  freeThreaded?: boolean | null;
  debugBuild?: boolean | null;
}

export interface SnapshotTotals {
  objects: number;
  edges: number;
  /** Sum of shallow sizes of all objects in the file. */
  shallow: number;
  /** Shallow bytes reachable from the roots (= retained size of the super-root). */
  reachableShallow: number;
  /** Objects reachable from no root: cyclic garbage awaiting collection. Counted, never dropped. */
  unreachable: number;
  unreachableShallow: number;
  /** Objects made roots because their refcount exceeds the references found (held from C). */
  heldFromC: number;
  /** Edges whose target was not in the file (dropped). */
  danglingEdges: number;
}

export interface SnapshotInfo {
  id: SnapshotId;
  /** File name shown in tabs. */
  name: string;
  /** Absolute path when opened from disk; null for uploads. */
  path: string | null;
  fileBytes: number;
  formatVersion: string;
  process: ProcessFacts;
  totals: SnapshotTotals;
  hasTracebacks: boolean;
  indexSeconds: number;
  /** What the RSS is made of (docs/INSIGHTS.md); absent or null when the dump recorded no RSS. */
  accounting?: ProcessAccounting | null;
  /** Whether other threads could change the heap while it was read (INFO; docs/FORMAT.md). */
  consistency?: Consistency;
}

/**
 * From INFO.walkExclusive / gilHeld: 'exclusive' no other thread could run (none, or fork mode);
 * 'held' other threads were held off for the read (nearly consistent); 'shared' they ran during
 * it (expect dangling references and objects that look unreachable); 'unknown' older dumps.
 */
export type Consistency = 'exclusive' | 'held' | 'shared' | 'unknown';

// ---------------------------------------------------------------------------------------------
// Rows

export interface Range {
  start: number;
  end: number;
}

export interface Page<T> {
  start: number;
  end: number;
  total: number;
  rows: T[];
}

export type SortDir = 'asc' | 'desc';

export interface TypeRow {
  /** Index into the snapshot's type table (a type name may have several ids; rows merge by name). */
  typeKey: string;
  type: string;
  count: number;
  shallow: number;
  /** Retained size with nesting counted once (objects of this type inside another of it are not added again). */
  retained: number;
  /** The least distance from the roots of an object of this type; -1 when none is reachable. */
  distance: number;
}

/** One type among a search's matches. */
export interface SearchTypeRow {
  typeKey: string;
  type: string;
  /** Matches of this type. */
  count: number;
  /** The largest retained size among them (types are ranked by it). */
  retained: number;
}

export type NodeKind = 'object' | 'super-root' | 'root-group';

/** Why a node is a root. */
export type RootKind =
  | 'module'
  | 'thread'
  | 'sys'
  | 'held-from-c'
  | 'unreachable'
  | 'other'
  /** Immortal objects: the interpreter itself keeps them (static builtin types and the like). */
  | 'interpreter';

export interface ObjectRow {
  node: NodeIndex;
  kind: NodeKind;
  /** '0x7f3a…' for objects; '' for synthetic nodes. */
  address: string;
  type: string;
  /** Safe label from the dumper ('' when none); for root groups, the group's name. */
  label: string;
  shallow: number;
  retained: number;
  /** BFS depth from the super-root; -1 when unreachable. */
  distance: number;
  /** Number of children in the dominator tree (0 = leaf). */
  dominatedCount: number;
  unreachable: boolean;
  /**
   * "also held from C": the references the dump cannot see (refcount minus the strong references
   * found), when there are any. A fact beside the object's Python owners, which paths still name.
   */
  heldFromC?: number;
}

export type EdgeKind =
  | 'other'
  | 'attr'
  | 'dict-value'
  | 'dict-key'
  | 'index'
  | 'set-member'
  | 'closure'
  | 'local'
  | 'internal'
  | 'weak'
  | 'root';

export interface EdgeLabel {
  kind: EdgeKind;
  /** The raw name (attribute, key repr, index, variable); '' when the dumper could not name it. */
  name: string;
  /** Rendered as in text paths: `.x`, `['req-5']`, `[3]`, `local request`. */
  text: string;
}

/** One reference, seen from the object at the other end. */
export interface EdgeRow {
  edge: EdgeLabel;
  weak: boolean;
  node: ObjectRow;
}

export interface RetainerPathStep {
  node: ObjectRow;
  /** Edge from the previous step to this node; null for the first step (a root). */
  edge: EdgeLabel | null;
}

export interface RetainerPath {
  /** Root first, the requested object last. */
  steps: RetainerPathStep[];
  /** `module app → ['_SESSION_CACHE'] → ['req-5'] → Session` */
  text: string;
}

export interface TracebackFrame {
  file: string;
  line: number;
}

export interface ObjectDetails {
  row: ObjectRow;
  refcount: number;
  /** len() when the object has one; null otherwise. */
  length: number | null;
  gcTracked: boolean;
  immortal: boolean;
  redacted: boolean;
  labelTruncated: boolean;
  /** Root kinds and labels when the object is a root. */
  roots: { kind: RootKind; label: string }[];
  /** Immediate dominator; null for the super-root. */
  dominator: ObjectRow | null;
  referentCount: number;
  referrerCount: number;
  /** Allocation traceback, most recent call last; null when the snapshot has none for it. */
  traceback: TracebackFrame[] | null;
}

/** Nested retained-size tree for the treemap/icicle (d3-hierarchy input). */
export interface DominatorTreeNode {
  row: ObjectRow;
  /** Children shown; the rest are folded into `otherRetained`. */
  children: DominatorTreeNode[];
  otherRetained: number;
  otherCount: number;
}

// ---------------------------------------------------------------------------------------------
// Diff and leak suspects (issue 6). Algorithms and the JSON shape: docs/LEAKS.md.

export interface TypeDeltaRow {
  type: string;
  baseCount: number;
  targetCount: number;
  baseShallow: number;
  targetShallow: number;
  baseRetained: number;
  targetRetained: number;
  countDelta: number;
  shallowDelta: number;
  retainedDelta: number;
  /** Objects of this type new in the target (address and type not in the base), and their shallow bytes. */
  newCount: number;
  newBytes: number;
  /** Objects of this type in the base that are gone from the target, and their shallow bytes. */
  freedCount: number;
  freedBytes: number;
  /** Objects that survived and whose own (shallow) size grew, and by how many bytes in total. */
  grownCount: number;
  grownBytes: number;
}

/** Which objects of a type a diff row counts: new and grown ones are in the target, freed ones in the base. */
export type DiffChange = 'new' | 'freed' | 'grown';

/** One object behind a type-delta row (issue 17), in the snapshot `diffObjects` names. */
export interface DiffObjectRow {
  object: ObjectRow;
  /** Change of its own size: +shallow for a new object, −shallow for a freed one, the growth of a grown one. */
  sizeDelta: number;
}

export interface DiffInfo {
  base: SnapshotId;
  target: SnapshotId;
  /** Warnings the user must see (different pid or argv, target older than base). */
  warnings: string[];
  newObjects: number;
  freedObjects: number;
  grownObjects: number;
  newBytes: number;
  freedBytes: number;
  grownBytes: number;
  /** Seconds between the two dumps (target − base); null when a dump time is missing. */
  seconds: number | null;
}

export interface LeakSuspect {
  /** Retainer path as text with edge labels, root first: `module app → ._SESSION_CACHE`. */
  path: string;
  /** Stable signature the suspect was grouped by (indices, numeric keys and digit runs folded). */
  signature: string;
  /** The accumulation point: the object that gained what leaks (e.g. the dict `_SESSION_CACHE`). */
  holder: ObjectRow;
  /** Snapshot whose node index `holder.node` refers to (the newest snapshot compared). */
  holderSnapshot: SnapshotId;
  /** How many objects share this signature and grew (e.g. 1 dict, or 2,000 per-session lists). */
  holderCount: number;
  /** Net bytes gained under the holder(s) over the whole comparison (new − freed + own-size growth). */
  retainedGrowthBytes: number;
  /** Net objects gained under the holder(s) (new − freed). */
  countGrowth: number;
  /** Own (shallow) size growth of the holder(s): a BytesIO, bytearray, list or dict that got bigger. */
  ownGrowthBytes: number;
  /** Growth per interval: [base→target] or [base→target, target→final]. */
  intervals: { bytes: number; count: number }[];
  /** Types of the new objects directly under the holder(s) (the entries that accumulate), largest first. */
  /**
   * `name` (added with issue 14): the entries' most specific identity when their type does not say
   * it all — a function's `qualname (file.py:line)`, a bound method's `Class.method`, a class's name.
   */
  types: { type: string; name?: string; count: number; bytes: number }[];
  /** Where the new objects were allocated, when the snapshots carry tracebacks; largest first. */
  allocationSites: { traceback: TracebackFrame[]; count: number; bytes: number }[];
  explanation: string;
  /** 'growth' (diff-based) or 'dominator' (one holder ≥ 10% of a single snapshot). */
  kind: 'growth' | 'dominator';
  /** For 'dominator' suspects: the share of the reachable heap the holder retains (0..1). */
  heapFraction?: number;
}

export interface LeakReport {
  snapshots: SnapshotId[];
  /** Growth suspects, most likely first. Empty when nothing grew above the noise floor. */
  suspects: LeakSuspect[];
  /** MAT-style: holders retaining ≥ 10% of the newest snapshot. Informational, not a leak verdict. */
  largeHolders: LeakSuspect[];
  warnings: string[];
  /** The noise floor applied, in bytes and objects. */
  noiseFloor: { bytes: number; count: number };
}

// ---------------------------------------------------------------------------------------------
// Insights: where one snapshot wastes memory (electron/indexer/insights/, docs/INSIGHTS.md)

export const INSIGHT_KINDS = [
  'duplicate-values',
  'empty-collections',
  'overallocated-collections',
  'missing-slots',
  'dict-records',
  'boxed-numbers',
] as const;
export type InsightKind = (typeof INSIGHT_KINDS)[number];

/** What each kind is called wherever findings are shown (CLI, app, reports). */
export const INSIGHT_KIND_TITLES: Record<InsightKind, string> = {
  'duplicate-values': 'Duplicate strings and bytes',
  'empty-collections': 'Empty collections',
  'overallocated-collections': 'Over-allocated dicts',
  'missing-slots': 'Instances without __slots__',
  'dict-records': 'Dicts used as records',
  'boxed-numbers': 'Boxed numbers',
};

/** Who keeps a finding's objects: holders with one folded retainer path are one owner. */
export interface InsightOwner {
  /** The shortest retainer path to one holder, as in the Retainers panel. */
  path: string;
  /** That holder (the object referencing the wasted ones on their shortest path); null for roots. */
  holder: ObjectRow | null;
  /** Wasted objects this owner keeps, and the bytes a fix there would save. */
  count: number;
  wastedBytes: number;
  /** Up to 20 of those objects' addresses (`0x7f…`), for search and paths. */
  addresses: string[];
}

export interface InsightFinding {
  kind: InsightKind;
  /** One line: `'GET' (str, 52 B): 12,000 copies`. */
  title: string;
  /** The type the finding is about: `str`, `list`, `app.Point`. */
  type: string;
  /** Objects involved (copies, empty lists, instances, boxed numbers). */
  count: number;
  /** Bytes the remedy would save, by the formula in `estimate`. */
  wastedBytes: number;
  /** The formula with its numbers: `(12,000 − 1) × 52 B`. */
  estimate: string;
  /** What to change. */
  remedy: string;
  /** Largest first, at most 10 (page the rest with `insightOwners`); every object is attributed. */
  owners: InsightOwner[];
  /** Objects attributed to owners: all `count` of them. */
  ownersOf: number;
  /** The owners past `owners`, summed, so that owners add up to the finding. */
  otherOwners: { owners: number; count: number; wastedBytes: number };
  /** Up to 20 addresses of the finding's objects. */
  addresses: string[];
}

/** One part of the process's RSS; `source` names where the number came from. */
export interface AccountingSegment {
  key: 'objects' | 'pymalloc-free' | 'malloc-free' | 'file-backed' | 'other';
  label: string;
  bytes: number;
  source: string;
}

/** What the RSS is made of (from META.accounting, written by the dumper; docs/INSIGHTS.md). */
export interface ProcessAccounting {
  rssBytes: number;
  rssSource: string;
  /** In display order; they add up to rssBytes (`other` is the remainder, never negative). */
  segments: AccountingSegment[];
  verdict: string;
  /** What the platform or the dump could not measure, in sentences. */
  unmeasured: string[];
  /**
   * tracemalloc's traced total when the dump started (META.accounting.tracemalloc): not a part of
   * the bar (it overlaps the objects), shown beside it. Absent from results of older indexers.
   */
  tracemalloc?: TracemallocTotal;
}

/** tracedBytes/peakBytes are null when tracing was off or the dump did not record it (`note` says which). */
export interface TracemallocTotal {
  tracing: boolean | null;
  tracedBytes: number | null;
  peakBytes: number | null;
  source: string;
  /** One sentence for when there is no number: "tracemalloc off: …" or "not recorded: …"; '' when traced. */
  note: string;
}

export interface InsightReport {
  /** null when the snapshot records no RSS (older dumper, or a platform without one). */
  accounting: ProcessAccounting | null;
  pythonVersion: string | null;
  /** Every finding's bytes summed per kind (each object counted in one finding of a kind). */
  totals: { kind: InsightKind; findings: number; count: number; wastedBytes: number }[];
  /** Largest first, at most `limit` per kind (default 20). */
  findings: InsightFinding[];
  /** The size model and what each analysis leaves uncounted, in sentences. */
  assumptions: string[];
  notCounted: string[];
  seconds: number;
}

export type ReportFormat = 'html' | 'md' | 'json';

export interface ExportedReport {
  fileName: string;
  mime: string;
  content: string;
}

// ---------------------------------------------------------------------------------------------
// Environment

export interface RecentFile {
  path: string;
  name: string;
  /** Milliseconds since the epoch (Date.now()). */
  openedAt: number;
}

export interface Environment {
  transport: 'electron' | 'http';
  appVersion: string;
  apiVersion: number;
  platform: string;
  /** Whether the server can run Python to dump the demo program. */
  canOpenDemo: boolean;
  /** Electron only: native open/save dialogs. */
  nativeDialogs: boolean;
  /** Whether `capture` can run here (Linux, the dumper found; gdb and ptrace are checked per capture). */
  canCapture: boolean;
}

/** A Python process the serving user could capture (docs/CAPTURE.md). */
export interface PythonProcessRow {
  pid: number;
  cmdline: string[];
  /** "3.12" */
  python: string;
  rss: number | null;
  /** Seconds since the epoch. */
  startTime: number | null;
}

// ---------------------------------------------------------------------------------------------
// The method map. Every method takes one plain-object argument and returns a promise of plain data.
// [argument, result]. Transports are generic over this map; validators live in ./validate.ts and a
// Record<ApiMethod, …> there makes the compiler demand one for each method added here.

export interface ApiMethods {
  environment: [Record<string, never>, Environment];
  /** Open a snapshot from a path on the serving machine. Progress events carry `requestId`. */
  open: [{ requestId: string; path: string }, SnapshotInfo];
  /** Open a snapshot from bytes (drag-and-drop, upload). Over HTTP the bytes travel as the raw body. */
  openBytes: [{ requestId: string; name: string; bytes: Uint8Array }, SnapshotInfo];
  /** Dump the bundled leaky demo program with the Python dumper and open the result. */
  openDemo: [{ requestId: string }, SnapshotInfo];
  /** Python processes the serving user could capture (PID, command line, version, RSS, start). */
  captureList: [Record<string, never>, PythonProcessRow[]];
  /**
   * Snapshot a running Python process (docs/CAPTURE.md), then open it. Runs code in that process, so
   * browser mode keeps it behind the per-run token like every method. Progress events carry
   * `requestId` (with `capture` set until indexing starts); `cancel` stops it cleanly.
   */
  capture: [{ requestId: string; pid: number; fork: boolean; timeoutSeconds: number }, SnapshotInfo];
  /** Cancel an open in progress; its promise rejects with code 'cancelled'. */
  cancel: [{ requestId: string }, undefined];
  close: [{ snapshot: SnapshotId }, undefined];
  list: [Record<string, never>, SnapshotInfo[]];
  recentFiles: [Record<string, never>, RecentFile[]];

  summary: [
    {
      snapshot: SnapshotId;
      range: Range;
      /** By distance, -1 (no object reachable) sorts as the smallest, as in `instances`. */
      sort?: { key: 'type' | 'count' | 'shallow' | 'retained' | 'distance'; dir: SortDir };
      filter?: string;
    },
    Page<TypeRow>,
  ];
  instances: [
    {
      snapshot: SnapshotId;
      typeKey: string;
      range: Range;
      sort?: { key: 'retained' | 'shallow' | 'distance' | 'address'; dir: SortDir };
    },
    Page<ObjectRow>,
  ];
  /**
   * Where `node` is among `typeKey`'s instances in `instances`' order for `sort` (its row index),
   * or -1 if it is not one of them: a selection made elsewhere is revealed at any depth of the list.
   */
  instanceRank: [
    {
      snapshot: SnapshotId;
      typeKey: string;
      node: NodeIndex;
      sort?: { key: 'retained' | 'shallow' | 'distance' | 'address'; dir: SortDir };
    },
    number,
  ];
  /** Dominator-tree children of `node` (0 = super-root), by retained size descending. */
  dominatorChildren: [{ snapshot: SnapshotId; node: NodeIndex; range: Range }, Page<ObjectRow>];
  /** Nested subtree for charts: up to `depth` levels, children under `minFraction` of `node` folded. */
  dominatorSubtree: [
    { snapshot: SnapshotId; node: NodeIndex; depth: number; maxChildren: number; minFraction: number },
    DominatorTreeNode,
  ];
  /** Dominator chain from the super-root down to `node` (for breadcrumbs and tree reveal). */
  dominatorChain: [{ snapshot: SnapshotId; node: NodeIndex }, ObjectRow[]];
  referents: [{ snapshot: SnapshotId; node: NodeIndex; range: Range }, Page<EdgeRow>];
  referrers: [{ snapshot: SnapshotId; node: NodeIndex; range: Range }, Page<EdgeRow>];
  /** The k shortest retainer paths from the roots, skipping weak edges and the `ignore`d nodes. */
  retainerPaths: [
    { snapshot: SnapshotId; node: NodeIndex; k?: number; ignore?: NodeIndex[] },
    RetainerPath[],
  ];
  objectDetails: [{ snapshot: SnapshotId; node: NodeIndex }, ObjectDetails];
  /**
   * Search type names, labels and addresses ('0x7f…'); a query in double quotes ('"GET"') matches
   * whole labels and whole type names (or their part after the module) only. With `typeKey`, only
   * the matches of that type (a searchTypes row's).
   */
  search: [{ snapshot: SnapshotId; query: string; range: Range; typeKey?: string }, Page<ObjectRow>];
  /** The types of a search's matches with their counts, the type of the largest match first. */
  searchTypes: [{ snapshot: SnapshotId; query: string; range: Range }, Page<SearchTypeRow>];
  /**
   * A short preview per node, in order, for telling rows of one type apart: an instance's first
   * labelled fields (`rid=227 path='/api/…'`), a dict's first entries, a bound method's qualname;
   * '' when the file holds nothing. Asked for the rows of a page only (at most 1,000 nodes).
   */
  previews: [{ snapshot: SnapshotId; nodes: NodeIndex[] }, string[]];
  /**
   * How each node is held, in order, for naming dominator-tree rows: the reference from its dominator
   * (`['CATALOGUE']`, `.listeners`), else its shortest path's last step; "globals of module app" for
   * a module's dict; '' for labelled objects. For the rows of a page only (at most 1,000 nodes).
   */
  heldAs: [{ snapshot: SnapshotId; nodes: NodeIndex[] }, string[]];

  diff: [
    {
      base: SnapshotId;
      target: SnapshotId;
      range: Range;
      sort?: { key: 'type' | 'countDelta' | 'shallowDelta' | 'retainedDelta'; dir: SortDir };
      filter?: string;
    },
    { info: DiffInfo; page: Page<TypeDeltaRow> },
  ];
  leaks: [{ base: SnapshotId; target: SnapshotId; final?: SnapshotId }, LeakReport];
  /**
   * The objects behind one type-delta row, paged (DevTools' Comparison view expanded): `new` and
   * `grown` objects of `type` are in `target`, `freed` ones in `base`; `snapshot` says which, so
   * each row opens in the inspector with its path there. New and freed come largest retained first,
   * grown ones by growth.
   */
  diffObjects: [
    { base: SnapshotId; target: SnapshotId; type: string; change: DiffChange; range: Range },
    { snapshot: SnapshotId; page: Page<DiffObjectRow> },
  ];
  exportReport: [{ snapshots: SnapshotId[]; format: ReportFormat; includeValues: boolean }, ExportedReport];
  /** Waste analyses of one snapshot (duplicates, empty and over-allocated collections, …). */
  insights: [{ snapshot: SnapshotId; limit?: number }, InsightReport];
  /**
   * One kind's findings, largest saving first, a page at a time (`totals[].findings` of `insights`
   * says how many). Owners are not named here (`owners` empty, `ownersOf` 0): ask `insightOwners`.
   */
  insightFindings: [{ snapshot: SnapshotId; kind: InsightKind; range: Range }, Page<InsightFinding>];
  /**
   * The owners of one finding (`finding`: its index in insightFindings), largest first; they cover
   * all its objects. Without `finding`, the owners of every finding of the kind together: which
   * holders keep the most duplicate copies, empty collections, records… over all values.
   */
  insightOwners: [
    { snapshot: SnapshotId; kind: InsightKind; finding?: number; range: Range },
    Page<InsightOwner>,
  ];
  /** One finding's objects (every finding's without `finding`); with `owner` (its index in insightOwners) only that owner's. */
  insightObjects: [
    { snapshot: SnapshotId; kind: InsightKind; finding?: number; owner?: number; range: Range },
    Page<ObjectRow>,
  ];
}

export type ApiMethod = keyof ApiMethods;
export type ApiArgs<M extends ApiMethod> = ApiMethods[M][0];
export type ApiResult<M extends ApiMethod> = ApiMethods[M][1];

// ---------------------------------------------------------------------------------------------
// Errors: one line a user can act on, plus a machine-readable code. Transports carry {code, message}.

export type ApiErrorCode =
  | 'bad-argument'
  | 'not-found'
  | 'bad-snapshot'
  | 'cancelled'
  | 'unavailable'
  | 'internal';

export interface ApiErrorData {
  code: ApiErrorCode;
  message: string;
}

export class ApiError extends Error {
  constructor(
    readonly code: ApiErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'ApiError';
  }
  toData(): ApiErrorData {
    return { code: this.code, message: this.message };
  }
}

// ---------------------------------------------------------------------------------------------
// Events pushed to the renderer, and what the renderer sees of its transport.

/** Commands from the desktop shell (menus, second instance, drag-and-drop on the window). */
export type ShellEvent =
  | { type: 'open-path'; path: string }
  | { type: 'open-dialog' }
  | { type: 'compare' }
  | { type: 'capture' }
  | { type: 'export-report' }
  | { type: 'close-tab' };

/** What the renderer holds: window.heapscope in Electron, an HTTP client in browser mode. */
export interface HeapscopeClient {
  call<M extends ApiMethod>(method: M, args: ApiArgs<M>): Promise<ApiResult<M>>;
  onProgress(listener: (event: ProgressEvent) => void): () => void;
  onShellEvent(listener: (event: ShellEvent) => void): () => void;
  /** Electron only; browser mode returns null (the renderer offers an upload instead). */
  pickSnapshotPath?(): Promise<string | null>;
  saveFile?(suggestedName: string, content: string): Promise<string | null>;
}
