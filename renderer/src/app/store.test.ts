import {
  ApiError,
  type ApiMethod,
  type HeapscopeClient,
  type ProgressEvent,
  type SnapshotInfo,
} from '@shared/contract';
import { describe, expect, it } from 'vitest';
import { AppStore } from './store';

function info(id: string): SnapshotInfo {
  return {
    id,
    name: `${id}.pyheap`,
    path: `/tmp/${id}.pyheap`,
    fileBytes: 1,
    formatVersion: '1.0',
    process: {
      pythonVersion: null,
      implementation: null,
      platform: null,
      hostname: null,
      pid: null,
      argv: [],
      dumpTime: null,
      processStartTime: null,
      rssBytes: null,
      threads: [],
      dumperVersion: null,
      options: {},
    },
    totals: {
      objects: 0,
      edges: 0,
      shallow: 0,
      reachableShallow: 0,
      unreachable: 0,
      unreachableShallow: 0,
      heldFromC: 0,
      danglingEdges: 0,
    },
    hasTracebacks: false,
    indexSeconds: 0,
  };
}

/** A client whose `open` is answered by the test: resolve with a snapshot, or reject. */
function fakeClient() {
  const progress = new Set<(e: ProgressEvent) => void>();
  const pending: {
    path: string;
    requestId: string;
    resolve: (i: SnapshotInfo) => void;
    reject: (e: unknown) => void;
  }[] = [];
  const calls: ApiMethod[] = [];
  const client: HeapscopeClient = {
    call: ((method: ApiMethod, args: { requestId: string; path: string }) => {
      calls.push(method);
      if (method === 'open') {
        return new Promise((resolve, reject) => pending.push({ ...args, resolve, reject }));
      }
      return Promise.resolve(undefined);
    }) as HeapscopeClient['call'],
    onProgress: (l) => {
      progress.add(l);
      return () => progress.delete(l);
    },
    onShellEvent: () => () => {},
  };
  const emit = (e: ProgressEvent) => {
    for (const l of progress) l(e);
  };
  return { client, pending, calls, emit };
}

describe('AppStore', () => {
  it('shows a load with its progress, then a tab for the snapshot', async () => {
    const { client, pending, emit } = fakeClient();
    const store = new AppStore(client);
    const opened = store.openPath('/data/a.pyheap');
    expect(store.state.jobs).toMatchObject([{ name: 'a.pyheap', progress: null }]);
    const { requestId } = pending[0];
    emit({ requestId, stage: 'edges', stageIndex: 1, done: 5, total: 10, percent: 20 });
    emit({ requestId: 'someone-else', stage: 'read', stageIndex: 0, done: 1, total: 2, percent: 5 });
    expect(store.state.jobs[0].progress?.percent).toBe(20);
    pending[0].resolve(info('s1'));
    await opened;
    expect(store.state.jobs).toEqual([]);
    expect(store.state.tabs.map((t) => t.info.id)).toEqual(['s1']);
    expect(store.state.active).toBe('s1');
  });

  it('turns a failed open into the one-line error, and a cancel into nothing', async () => {
    const { client, pending } = fakeClient();
    const store = new AppStore(client);
    const bad = store.openPath('/data/bad.pyheap');
    pending[0].reject(new ApiError('bad-snapshot', 'bad.pyheap: truncated at byte 12 (OBJS section)'));
    await bad;
    expect(store.state.error).toBe('bad.pyheap: truncated at byte 12 (OBJS section)');
    store.dismissError();
    const cancelled = store.openPath('/data/big.pyheap');
    pending[1].reject(new ApiError('cancelled', 'cancelled'));
    await cancelled;
    expect(store.state.error).toBeNull();
    expect(store.state.tabs).toEqual([]);
  });

  it('records selections per tab and walks back and forward', async () => {
    const { client, pending } = fakeClient();
    const store = new AppStore(client);
    const a = store.openPath('/a.pyheap');
    pending[0].resolve(info('a'));
    await a;
    store.select({ node: 10 });
    store.select({ view: 'dominators' });
    store.select({ node: 11 });
    store.back();
    expect(store.activeTab()?.selection).toEqual({ view: 'dominators', node: 10 });
    store.back();
    expect(store.activeTab()?.selection).toEqual({ view: 'summary', node: 10 });
    expect(store.activeTab()?.canForward).toBe(true);
    store.forward();
    store.forward();
    expect(store.activeTab()?.selection).toEqual({ view: 'dominators', node: 11 });
    expect(store.activeTab()?.canForward).toBe(false);
  });

  it('activates a neighbour when the active tab closes', async () => {
    const { client, pending, calls } = fakeClient();
    const store = new AppStore(client);
    for (const [i, id] of ['a', 'b', 'c'].entries()) {
      const p = store.openPath(`/${id}.pyheap`);
      pending[i].resolve(info(id));
      await p;
    }
    store.activate('b');
    await store.close('b');
    expect(store.state.tabs.map((t) => t.info.id)).toEqual(['a', 'c']);
    expect(store.state.active).toBe('c');
    expect(calls).toContain('close');
  });
});
