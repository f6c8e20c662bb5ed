// Test-only stand-ins for the indexer: a HeapSnapshot that answers every query with canned rows and
// a loader that reports progress and honours cancellation. Never imported by production code.
import type { ObjectRow, Page, SnapshotId, SnapshotInfo } from '@shared/contract';
import type { LoadedSnapshot, Loader, LoadSource } from './host';

export const ROW: ObjectRow = {
  node: 1,
  kind: 'object',
  address: '0x1000',
  type: 'dict',
  label: '',
  shallow: 64,
  retained: 128,
  distance: 1,
  dominatedCount: 0,
  unreachable: false,
};

function page<T>(rows: T[], range: { start: number; end: number }): Page<T> {
  const slice = rows.slice(range.start, range.end);
  return { start: range.start, end: range.start + slice.length, total: rows.length, rows: slice };
}

export function fakeInfo(id: SnapshotId, name: string, path: string | null): SnapshotInfo {
  return {
    id,
    name,
    path,
    fileBytes: 100,
    formatVersion: '1.0',
    process: {
      pythonVersion: '3.12.1',
      implementation: 'cpython',
      platform: 'linux',
      hostname: null,
      pid: 1,
      argv: [],
      dumpTime: null,
      processStartTime: null,
      rssBytes: null,
      threads: [],
      dumperVersion: null,
      options: {},
    },
    totals: {
      objects: 1,
      edges: 0,
      shallow: 64,
      reachableShallow: 64,
      unreachable: 0,
      unreachableShallow: 0,
      heldFromC: 0,
      danglingEdges: 0,
    },
    hasTracebacks: false,
    indexSeconds: 0,
  };
}

/** Records every query it answers so tests can check what reached the snapshot. */
export class FakeSnapshot implements LoadedSnapshot {
  readonly calls: { method: string; args: unknown }[] = [];
  info = fakeInfo;

  private answer<T>(method: string, args: unknown, value: T): T {
    this.calls.push({ method, args });
    return value;
  }

  summary: LoadedSnapshot['summary'] = (a) =>
    this.answer(
      'summary',
      a,
      page([{ typeKey: '0', type: 'dict', count: 1, shallow: 64, retained: 128, distance: 2 }], a.range),
    );
  instances: LoadedSnapshot['instances'] = (a) => this.answer('instances', a, page([ROW], a.range));
  instanceRank: LoadedSnapshot['instanceRank'] = (a) => this.answer('instanceRank', a, 0);
  dominatorChildren: LoadedSnapshot['dominatorChildren'] = (a) =>
    this.answer('dominatorChildren', a, page([ROW], a.range));
  dominatorSubtree: LoadedSnapshot['dominatorSubtree'] = (a) =>
    this.answer('dominatorSubtree', a, { row: ROW, children: [], otherRetained: 0, otherCount: 0 });
  dominatorChain: LoadedSnapshot['dominatorChain'] = (a) => this.answer('dominatorChain', a, [ROW]);
  referents: LoadedSnapshot['referents'] = (a) =>
    this.answer(
      'referents',
      a,
      page([{ edge: { kind: 'attr', name: 'x', text: '.x' }, weak: false, node: ROW }], a.range),
    );
  referrers: LoadedSnapshot['referrers'] = (a) => this.answer('referrers', a, page([], a.range));
  retainerPaths: LoadedSnapshot['retainerPaths'] = (a) =>
    this.answer('retainerPaths', a, [{ steps: [{ node: ROW, edge: null }], text: 'dict' }]);
  objectDetails: LoadedSnapshot['objectDetails'] = (a) =>
    this.answer('objectDetails', a, {
      row: ROW,
      refcount: 1,
      length: 0,
      gcTracked: true,
      immortal: false,
      redacted: false,
      labelTruncated: false,
      roots: [],
      dominator: null,
      referentCount: 0,
      referrerCount: 0,
      traceback: null,
    });
  search: LoadedSnapshot['search'] = (a) => this.answer('search', a, page([ROW], a.range));
  searchTypes: LoadedSnapshot['searchTypes'] = (a) =>
    this.answer(
      'searchTypes',
      a,
      page([{ typeKey: ROW.type, type: ROW.type, count: 1, retained: ROW.retained }], a.range),
    );
  insights: LoadedSnapshot['insights'] = (a) =>
    this.answer('insights', a, {
      accounting: null,
      pythonVersion: null,
      totals: [],
      findings: [],
      assumptions: [],
      notCounted: [],
      seconds: 0,
    });
  insightFindings: LoadedSnapshot['insightFindings'] = (a) =>
    this.answer('insightFindings', a, page([], a.range));
  insightOwners: LoadedSnapshot['insightOwners'] = (a) => this.answer('insightOwners', a, page([], a.range));
  insightObjects: LoadedSnapshot['insightObjects'] = (a) =>
    this.answer('insightObjects', a, page([ROW], a.range));
  heldAs: LoadedSnapshot['heldAs'] = (a) =>
    this.answer(
      'heldAs',
      a,
      a.nodes.map(() => ''),
    );
  previews: LoadedSnapshot['previews'] = (a) =>
    this.answer(
      'previews',
      a,
      a.nodes.map(() => ''),
    );
}

export interface FakeLoader {
  load: Loader;
  loaded: FakeSnapshot[];
  sources: LoadSource[];
  /** Loads wait for this before finishing (tests of cancellation hold it shut). */
  gate: Promise<void>;
  release(): void;
}

/** A loader that fails for paths containing "bad" and waits on `gate` for paths containing "slow". */
export function fakeLoader(): FakeLoader {
  let release = () => {};
  const fake: FakeLoader = {
    loaded: [],
    sources: [],
    gate: new Promise<void>((r) => {
      release = r;
    }),
    release: () => release(),
    load: async (source, options) => {
      fake.sources.push(source);
      const name = 'path' in source ? source.path : source.name;
      options.onProgress?.({ stage: 'read', stageIndex: 0, done: 1, total: 2, percent: 5 });
      if (name.includes('bad')) throw new Error(`${name}: not a .pyheap file (bad magic)`);
      if (name.includes('slow')) {
        await new Promise<void>((resolve, reject) => {
          options.signal?.addEventListener('abort', () => reject(new DOMException('aborted', 'AbortError')));
          fake.gate.then(resolve);
        });
      }
      const snapshot = new FakeSnapshot();
      fake.loaded.push(snapshot);
      return snapshot;
    },
  };
  return fake;
}

export { VALID_ARGS } from '@shared/validate-samples';
