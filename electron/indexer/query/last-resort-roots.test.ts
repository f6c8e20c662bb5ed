// Held from C is a fact, not a wall: an object that a module's globals and C code both hold is named
// by its module key; C's hold still counts for dominators. Immortal objects nothing else reaches sit
// under the interpreter's group, not in cyclic garbage.
import { describe, expect, it } from 'vitest';
import { SnapshotBuilder } from '../format/builder';
import { OBJ_FLAG } from '../format/spec';
import { FIRST_OBJECT, GROUP_HELD_FROM_C, GROUP_INTERPRETER, GROUP_UNREACHABLE } from '../graph/layout';
import { loadSnapshot } from '../index';

describe('roots of last resort', () => {
  it('names the module key of a dict also held from C; the dominator still counts C', async () => {
    const g = new SnapshotBuilder();
    const mod = g.node('module', 72, { label: 'json.decoder' });
    const globals = g.node('dict', 1000);
    // refcount 3 with two references in the file: C code holds the third.
    const cache = g.node('dict', 500, { refcount: 3 });
    const entry = g.node('str', 60);
    // A list that only C holds also refers to the cache: a shorter path, through a C-held root.
    const cList = g.node('list', 80, { refcount: 1 });
    g.edge(mod, globals, 'internal', '__dict__');
    g.edge(globals, cache, 'dict-value', "'_scanner_cache'");
    g.edge(cache, entry, 'dict-value', "'k'");
    g.edge(cList, cache, 'index', 3);
    g.root(mod, 'module', 'json.decoder');
    const snap = await loadSnapshot({ bytes: g.toBytes(), name: 'c.pyheap' });
    const v = FIRST_OBJECT + cache;
    const [first, ...rest] = snap.retainerPaths({ node: v, k: 5 });
    expect(first!.text).toBe("module json.decoder → ['_scanner_cache'] → dict");
    for (const p of rest) expect(p.text).not.toMatch(/held from C/);
    expect(snap.retainerPaths({ node: FIRST_OBJECT + entry, k: 1 })[0]!.text).toBe(
      "module json.decoder → ['_scanner_cache'] → ['k'] → str",
    );
    // Freeing the module's globals would not free the cache: C holds it too.
    expect(snap.graph.nodeIdx2Dominator[v]).toBeLessThan(FIRST_OBJECT);
    expect(snap.objectDetails({ node: v }).roots.map((r) => r.kind)).toEqual(['held-from-c']);
    // The fact beside the path: one reference the dump cannot see.
    expect(first!.steps.at(-1)!.node.heldFromC).toBe(1);
    expect(snap.objectDetails({ node: FIRST_OBJECT + entry }).row.heldFromC).toBeUndefined();
    // The list only C holds is a root of its own, reached at distance 2.
    expect(snap.retainerPaths({ node: FIRST_OBJECT + cList, k: 1 })[0]!.text).toBe('list (held from C)');
    expect(snap.graph.nodeIdx2Dominator[FIRST_OBJECT + cList]).toBe(GROUP_HELD_FROM_C);
  });

  it('puts an immortal static type and its dict under the interpreter, not in garbage', async () => {
    const g = new SnapshotBuilder();
    const type = g.node('type', 400, { label: 'method-wrapper', flags: OBJ_FLAG.IMMORTAL, refcount: 1 });
    const dict = g.node('dict', 600);
    const descr = g.node('wrapper_descriptor', 48, { flags: OBJ_FLAG.IMMORTAL, refcount: 1 });
    g.edge(type, dict, 'internal', '__dict__');
    g.edge(dict, descr, 'dict-value', "'__call__'");
    g.edge(descr, type, 'internal', '__objclass__');
    // An immortal object a module reaches keeps its real path.
    const mod = g.node('module', 72, { label: 'app' });
    const none = g.node('NoneType', 16, { flags: OBJ_FLAG.IMMORTAL });
    g.edge(mod, none, 'attr', 'x');
    g.root(mod, 'module', 'app');
    const snap = await loadSnapshot({ bytes: g.toBytes(), name: 'i.pyheap' });
    const info = snap.info('i', 'i', null);
    expect(info.totals.unreachable).toBe(0);
    expect(snap.graph.retained[GROUP_UNREACHABLE]).toBe(0);
    // None is also the module's: not the interpreter group's alone.
    expect(snap.graph.retained[GROUP_INTERPRETER]).toBe(400 + 600 + 48);
    expect(snap.dominatorChain({ node: FIRST_OBJECT + dict }).map((r) => r.node)).toEqual([
      0,
      GROUP_INTERPRETER,
      FIRST_OBJECT + type,
      FIRST_OBJECT + dict,
    ]);
    expect(snap.retainerPaths({ node: FIRST_OBJECT + dict, k: 1 })[0]!.text).toBe(
      'type method-wrapper (kept by the interpreter) → .__dict__ → dict',
    );
    expect(snap.retainerPaths({ node: FIRST_OBJECT + none, k: 1 })[0]!.text).toBe(
      'module app → .x → NoneType',
    );
  });
});
