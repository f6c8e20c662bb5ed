// Previews tell rows of one type apart from what the file holds: an instance's first labelled
// fields (inline or in its __dict__), a dict's first entries, a bound method's function.
import { describe, expect, it } from 'vitest';
import { SnapshotBuilder } from '../format/builder';
import { FIRST_OBJECT } from '../graph/layout';
import { loadSnapshot } from '../index';

async function service() {
  const g = new SnapshotBuilder();
  const mod = g.node('module', 72, { label: 'app' });
  const globals = g.node('dict', 1200);
  g.edge(mod, globals, 'internal', '__dict__').root(mod, 'module', 'app');
  const hold = (name: string, v: number) => g.edge(globals, v, 'dict-value', `'${name}'`);
  // 3.11+: attributes are edges of the instance itself; __class__ and unlabelled targets say nothing.
  const req = g.node('app.Request', 48);
  const cls = g.node('type', 900, { label: 'app.Request' });
  const headers = g.node('dict', 184);
  const rid = g.node('int', 28, { label: '227' });
  const path = g.node('str', 80, { label: '/api/orders/227/items/with/a/long/tail' });
  g.edge(req, cls, 'internal', '__class__')
    .edge(req, headers, 'attr', 'headers')
    .edge(req, rid, 'attr', 'rid')
    .edge(req, path, 'attr', 'path');
  hold('REQ', req);
  // Before 3.11: the attributes live in the instance's __dict__.
  const old = g.node('app.Old', 48);
  const oldDict = g.node('dict', 104);
  g.edge(old, oldDict, 'internal', '__dict__').edge(oldDict, rid, 'dict-value', "'rid'");
  hold('OLD', old);
  // A bound method binds a function whose label is its qualname.
  const fn = g.node('function', 160, { label: 'AuditHandler.on_commit' });
  const method = g.node('method', 48);
  g.edge(method, fn, 'internal', '__func__').edge(method, req, 'internal', '__self__');
  hold('M', method);
  const small = g.node('dict', 184);
  g.edge(small, rid, 'dict-value', "'limit'").edge(small, path, 'dict-value', "'url'");
  hold('SMALL', small);
  const bare = g.node('app.Empty', 16);
  hold('E', bare);
  const snap = await loadSnapshot({ bytes: g.toBytes(), name: 'p.pyheap' });
  const o = (i: number) => FIRST_OBJECT + i;
  return {
    snap,
    ids: {
      req: o(req),
      old: o(old),
      method: o(method),
      bare: o(bare),
      small: o(small),
      globals: o(globals),
      path: o(path),
      mod: o(mod),
    },
  };
}

describe('previews', () => {
  it("shows an instance's first labelled fields, strings quoted and long values cut", async () => {
    const { snap, ids } = await service();
    const [req] = snap.previews({ nodes: [ids.req] });
    expect(req).toBe("rid=227 path='/api/orders/227/items/w…'");
  });

  it("reads the fields from the instance's __dict__ when that is where they are", async () => {
    const { snap, ids } = await service();
    expect(snap.previews({ nodes: [ids.old] })).toEqual(['rid=227']);
  });

  it("names a bound method by its function's qualname", async () => {
    const { snap, ids } = await service();
    expect(snap.previews({ nodes: [ids.method] })).toEqual(['AuditHandler.on_commit']);
  });

  it("shows a dict's first labelled entries, and nothing for labelled or fieldless objects", async () => {
    const { snap, ids } = await service();
    expect(snap.previews({ nodes: [ids.small] })).toEqual([
      "'limit': 227, 'url': '/api/orders/227/items/w…'",
    ]);
    expect(snap.previews({ nodes: [ids.globals, ids.path, ids.mod, ids.bare, 0, 1] })).toEqual([
      '',
      '',
      '',
      '',
      '',
      '',
    ]);
  });

  it('refuses nodes that are not in the snapshot', async () => {
    const { snap } = await service();
    expect(() => snap.previews({ nodes: [1e9] })).toThrow(/no node/);
  });
});
