// Which classes the __slots__ analysis may advise, on hand-made graphs shaped like real dumps: a
// class's instances have a `__dict__` only if a class in its MRO has a `__dict__` descriptor, and a
// builtin base anywhere in the MRO (IntEnum's `int`, after two Python classes) leaves the layout
// untold — `int` takes no nonempty `__slots__`, so that advice would be impossible to follow.
import { describe, expect, it } from 'vitest';
import { SnapshotBuilder } from '../format/builder';
import { loadSnapshot } from '../index';
import { typeKinds } from './kinds';
import { layoutFor } from './layouts';
import { missingSlots } from './slots';

/** A class node `name` whose own dict has `keys`, and its MRO tuple (itself, then `bases`). */
function cls(g: SnapshotBuilder, name: string, keys: string[], bases: number[]): number {
  const c = g.node('type', 1072, { label: name });
  const dict = g.node('dict', 1200, { length: keys.length });
  for (const k of keys) g.edge(dict, g.node('getset_descriptor', 72), 'dict-value', `'${k}'`);
  g.edge(c, dict, 'internal', '__dict__');
  const mro = g.node('tuple', 40 + 8 * (bases.length + 1), { length: bases.length + 1 });
  g.edge(mro, c, 'index', 0);
  for (const [i, b] of bases.entries()) g.edge(mro, b, 'index', i + 1);
  g.edge(c, mro, 'internal', '__mro__');
  return c;
}

describe('missingSlots', () => {
  it('advises only classes whose instances have a __dict__ and whose every base could take __slots__', async () => {
    const g = new SnapshotBuilder();
    const holder = g.node('list', 100_000);
    g.root(holder, 'module', 'app');
    let i = 0;
    const object = g.node('type', 416, { label: 'object' });
    const int = g.node('type', 416, { label: 'int' });
    const plain = cls(g, 'app.Plain', ['__module__', '__init__', '__dict__', '__weakref__'], [object]);
    const slotted = cls(g, 'app.Slotted', ['__module__', '__slots__', 'a', 'b'], [object]);
    const enumCls = cls(g, 'enum.Enum', ['__module__', '__dict__', '__weakref__'], [object]);
    const intEnum = cls(g, 'enum.IntEnum', ['__module__', '__dict__'], [int, enumCls, object]);
    const status = cls(g, 'http.HTTPStatus', ['__module__', 'OK'], [intEnum, int, enumCls, object]);
    const pattern = cls(g, 're.Pattern', ['match', 'search', '__doc__'], [object]);
    // A C type with an instance dict declares `__dict__` only: no subclass's __slots__ removes it.
    const cached = cls(g, 'functools._lru_cache_wrapper', ['__call__', '__dict__', 'cache_info'], [object]);
    const instances = (type: string, c: number, n: number, fields: (v: number) => void) => {
      for (let k = 0; k < n; k++) {
        const v = g.node(type, 48);
        g.edge(holder, v, 'index', i++);
        g.edge(v, c, 'internal', '__class__');
        fields(v);
      }
    };
    const withDict = (v: number) => {
      const d = g.node('dict', 352, { length: 4 });
      for (const k of ['a', 'b', 'c', 'd']) g.edge(d, g.node('int', 28), 'dict-value', `'${k}'`);
      g.edge(v, d, 'internal', '__dict__');
    };
    instances('app.Plain', plain, 10, withDict);
    instances('app.Slotted', slotted, 10, (v) => g.edge(v, g.node('int', 28), 'attr', 'a'));
    instances('http.HTTPStatus', status, 10, withDict);
    instances('functools._lru_cache_wrapper', cached, 10, withDict);
    instances('re.Pattern', pattern, 10, (v) => {
      for (let k = 0; k < 3; k++) g.edge(v, g.node('str', 60), 'other');
    });
    const snap = await loadSnapshot({ bytes: g.toBytes(), name: 'slots.pyheap' });
    const layout = layoutFor({ python: { version: '3.10.13' } }).layout!;
    const result = missingSlots(snap.graph, typeKinds(snap.graph), layout);

    expect(result.candidates.map((c) => [c.type, c.count])).toEqual([['app.Plain', 10]]);
    expect(result.candidates[0]!.wastedBytes).toBe(10 * (48 + 352 - layout.slotted(4)));
    expect(result.unknownClasses).toBe(1); // HTTPStatus: int in its MRO, after two Python classes
    // The fix names the attributes to declare, read from the widest instance's __dict__.
    expect(result.candidates[0]!.remedy).toContain("__slots__ = ('a', 'b', 'c', 'd') on Plain");
  });

  it('names inline attributes (3.11+) in the fix, one attribute as a 1-tuple', async () => {
    const g = new SnapshotBuilder();
    const holder = g.node('list', 100_000);
    g.root(holder, 'module', 'app');
    const object = g.node('type', 416, { label: 'object' });
    const point = cls(g, 'app.Point', ['__module__', '__dict__', '__weakref__'], [object]);
    const one = cls(g, 'app.One', ['__module__', '__dict__', '__weakref__'], [object]);
    for (let k = 0; k < 6; k++) {
      const v = g.node('app.Point', 96);
      g.edge(holder, v, 'index', 2 * k);
      g.edge(v, point, 'internal', '__class__');
      // Instances set different attributes: the widest one decides the slots.
      for (const name of k === 3 ? ['x', 'y', 'z'] : ['x', 'y']) g.edge(v, g.node('float', 24), 'attr', name);
      if (k > 0) continue; // one instance of One
      const w = g.node('app.One', 96);
      g.edge(holder, w, 'index', 2 * k + 1);
      g.edge(w, one, 'internal', '__class__');
      g.edge(w, g.node('int', 28), 'attr', 'n');
    }
    const snap = await loadSnapshot({ bytes: g.toBytes(), name: 'inline.pyheap' });
    const layout = layoutFor({ python: { version: '3.12.1' } }).layout!;
    const byType = new Map(
      missingSlots(snap.graph, typeKinds(snap.graph), layout).candidates.map((c) => [c.type, c]),
    );
    expect(byType.get('app.Point')!.remedy).toContain("__slots__ = ('x', 'y', 'z') on Point");
    expect(byType.get('app.One')!.remedy).toContain("__slots__ = ('n',) on One");
    expect(byType.get('app.One')!.title).toBe('app.One: 1 instance without __slots__');
  });
});
