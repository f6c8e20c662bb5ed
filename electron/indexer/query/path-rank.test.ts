// Path ranking (paths.ts header): among paths of equal length, named edges beat unnamed ones and user
// modules beat the interpreter's (stdlib modules, code objects); a much shorter path still comes first.
// In each graph the path that should lose is built first, so a search by length alone returns it.
import { describe, expect, it } from 'vitest';
import { SnapshotBuilder } from '../format/builder';
import { FIRST_OBJECT } from '../graph/layout';
import { loadSnapshot } from '../index';
import { isInterpreterModule, isStdlibFile } from './paths';

async function pathTexts(g: SnapshotBuilder, target: number, k = 2): Promise<string[]> {
  const snap = await loadSnapshot({ bytes: g.toBytes(), name: 'rank.pyheap' });
  return snap.retainerPaths({ node: FIRST_OBJECT + target, k }).map((p) => p.text);
}

describe('retainer path ranking', () => {
  it('puts a path of named edges before an equally long one of unnamed edges', async () => {
    const g = new SnapshotBuilder();
    const anon = g.node('app.Registry', 64, { label: 'anon' });
    const box = g.node('list', 56);
    const named = g.node('app.Registry', 64, { label: 'named' });
    const cache = g.node('dict', 232);
    const target = g.node('app.Session', 100);
    g.edge(anon, box).edge(box, target);
    g.edge(named, cache, 'attr', 'cache').edge(cache, target, 'dict-value', "'req-5'");
    g.root(anon, 'module', 'app').root(named, 'module', 'app');
    expect(await pathTexts(g, target)).toEqual([
      "app.Registry named → .cache → ['req-5'] → app.Session",
      'app.Registry anon → <list> → <app.Session> → app.Session',
    ]);
  });

  it('puts a path through a user module before an equally long one through a stdlib module', async () => {
    const g = new SnapshotBuilder();
    const json = g.node('module', 72, { label: 'json' });
    const app = g.node('module', 72, { label: 'app' });
    const target = g.node('app.Session', 100);
    g.edge(json, target, 'attr', 'last');
    g.edge(app, target, 'attr', 'current');
    g.root(json, 'module', 'json').root(app, 'module', 'app');
    expect(await pathTexts(g, target)).toEqual([
      'module app → .current → app.Session',
      'module json → .last → app.Session',
    ]);
  });

  it("puts a module key before an equally long path through a code object's co_consts", async () => {
    const g = new SnapshotBuilder();
    const mod = g.node('module', 72, { label: 'app' });
    const fn = g.node('function', 136, { label: 'app.handler' });
    const code = g.node('code', 200, { label: 'handler' });
    const consts = g.node('tuple', 64);
    const globals = g.node('dict', 1000);
    const holder = g.node('app.Holder', 56);
    const slot = g.node('list', 56);
    const target = g.node('app.Config', 100);
    g.edge(mod, fn, 'attr', 'handler').edge(fn, code, 'internal', '__code__');
    g.edge(code, consts, 'internal', 'co_consts').edge(consts, target, 'index', 1);
    g.edge(mod, globals, 'internal', '__dict__').edge(globals, holder, 'dict-value', "'HOLDER'");
    g.edge(holder, slot, 'attr', 'items').edge(slot, target, 'index', 0);
    g.root(mod, 'module', 'app');
    expect(await pathTexts(g, target)).toEqual([
      "module app → ['HOLDER'] → .items → [0] → app.Config",
      'module app → .handler → .__code__ → .co_consts → [1] → app.Config',
    ]);
  });

  it('still puts a much shorter unnamed path through stdlib before a longer named one', async () => {
    const g = new SnapshotBuilder();
    const app = g.node('module', 72, { label: 'app' });
    const a = g.node('app.A', 56);
    const b = g.node('app.B', 56);
    const json = g.node('module', 72, { label: 'json.decoder' });
    const box = g.node('list', 56);
    const target = g.node('app.Session', 100);
    g.edge(app, a, 'attr', 'a').edge(a, b, 'attr', 'b').edge(b, target, 'attr', 'session');
    g.edge(json, box).edge(box, target);
    g.root(app, 'module', 'app').root(json, 'module', 'json.decoder');
    // Unnamed, through stdlib, 2 steps (cost 20) before named, user, 3 steps (cost 24).
    expect(await pathTexts(g, target)).toEqual([
      'module json.decoder → <list> → <app.Session> → app.Session',
      'module app → .a → .b → .session → app.Session',
    ]);
  });

  it("puts a thread's frame running user code before its frames running stdlib code", async () => {
    // A worker thread: threading's `_bootstrap` and `_bootstrap_inner` hold `self` as the worker's
    // own `run` does; the outermost frame comes first in the file.
    const g = new SnapshotBuilder();
    const lib = '/usr/lib/python3.13/threading.py';
    const boot = g.node('frame', 400, { label: `_bootstrap ${lib}:1012` });
    const inner = g.node('frame', 400, { label: `_bootstrap_inner ${lib}:1041` });
    const run = g.node('frame', 400, { label: 'run /srv/app/worker.py:19' });
    const worker = g.node('app.Worker', 56);
    const target = g.node('collections.deque', 600);
    g.edge(boot, worker, 'local', 'self')
      .edge(inner, worker, 'local', 'self')
      .edge(run, worker, 'local', 'self');
    g.edge(worker, target, 'attr', 'history');
    for (const f of [boot, inner, run]) g.root(f, 'thread', 'Thread job-worker');
    expect((await pathTexts(g, target, 1))[0]).toBe(
      'frame run /srv/app/worker.py:19 → local self → .history → collections.deque',
    );
  });

  it('chooses among equally good roots by their names, not by node order', async () => {
    // `SESSIONS` defined in `state` and imported by `handlers`: two equal paths, whose order in the
    // file differs between captures. Either order gives the same first path.
    const firsts: string[] = [];
    for (const order of [
      ['state', 'handlers'],
      ['handlers', 'state'],
    ]) {
      const g = new SnapshotBuilder();
      const globals = order.map((name) => {
        const mod = g.node('module', 72, { label: name });
        const ns = g.node('dict', 1000);
        g.root(mod, 'module', name).edge(mod, ns, 'internal', '__dict__');
        return ns;
      });
      const sessions = g.node('dict', 232);
      const target = g.node('app.Session', 100);
      for (const ns of globals) g.edge(ns, sessions, 'dict-value', "'SESSIONS'");
      g.edge(sessions, target, 'dict-value', "'user-1'");
      const paths = await pathTexts(g, target, 2);
      expect(paths).toHaveLength(2);
      firsts.push(paths.join('\n'));
    }
    expect(firsts[0]).toBe(firsts[1]);
    expect(firsts[0].split('\n')[0]).toBe("module handlers → ['SESSIONS'] → ['user-1'] → app.Session");
  });

  it("puts a module's globals before a running frame's `.f_globals`, the same dict", async () => {
    const g = new SnapshotBuilder();
    const frame = g.node('frame', 400, { label: '<module> /srv/app/main.py:40' });
    const mod = g.node('module', 72, { label: '__main__' });
    const ns = g.node('dict', 1000);
    const target = g.node('dict', 232);
    g.edge(frame, ns, 'internal', 'f_globals').edge(mod, ns, 'internal', '__dict__');
    g.edge(ns, target, 'dict-value', "'_AUDIT'");
    g.root(frame, 'thread', 'Thread MainThread').root(mod, 'module', '__main__');
    expect((await pathTexts(g, target, 1))[0]).toBe("module __main__ → ['_AUDIT'] → dict");
  });

  it('tells stdlib files from user files and site-packages', () => {
    for (const f of [
      '/usr/lib/python3.13/threading.py',
      '/root/.pyenv/versions/3.8.18/lib/python3.8/asyncio/events.py',
      'C:\\Python313\\Lib\\concurrent\\futures\\thread.py',
    ])
      expect(isStdlibFile(f)).toBe(true);
    for (const f of [
      '/srv/app/worker.py',
      '/usr/lib/python3.13/site-packages/requests/api.py',
      '/srv/app/lib/worker.py',
      '<string>',
    ])
      expect(isStdlibFile(f)).toBe(false);
  });

  it("counts stdlib and '_'-prefixed modules as the interpreter's, __main__ and user packages not", () => {
    for (const m of ['json', 'json.decoder', 'sys', 'importlib._bootstrap', '_frozen_importlib', 'distutils'])
      expect(isInterpreterModule(m)).toBe(true);
    for (const m of ['__main__', 'app', 'app.json', 'jsonschema', 'requests'])
      expect(isInterpreterModule(m)).toBe(false);
  });
});
