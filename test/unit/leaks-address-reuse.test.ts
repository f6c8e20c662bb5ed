// Address reuse across roles, on tiny hand-made heaps (the indexer's SnapshotBuilder, whose addresses
// are positional: node i has the same address in every snapshot). On Python 3.8–3.10 an instance's
// `__dict__` is a separate object from the dict free list, so the dict at one address is a
// `Connection`'s in one snapshot and a `Node`'s in the next. Matched by address and type alone, the
// Connection dicts gain new buffers with no frees to net against and bounded churn reads as a leak.
import { describe, expect, it } from 'vitest';
import { SnapshotDiff } from '../../electron/indexer/diff/diff';
import { SnapshotBuilder } from '../../electron/indexer/format/builder';
import { findLeaks } from '../../electron/indexer/leaks/index';
import { moduleGlobals, viewOfBytes } from './leaks-helpers';

const FLOOR = { bytes: 10_000, count: 10 };
/** Instance dicts at fixed addresses, half of them a Connection's and half a Node's, swapping each snapshot. */
const DICTS = 200;
const LEAK_SLOTS = 300;

/**
 * Snapshot `s`: the dicts keep their addresses; their owners and values are new every snapshot (they
 * alternate between two regions, the other one filled with objects of another type). `leaked`:
 * `Session`s in `_LEAK`, which only grows.
 */
function build(s: number, leaked: number): Uint8Array {
  const g = new SnapshotBuilder();
  const ns = moduleGlobals(g);
  const open = g.node('list', 2000);
  const history = g.node('list', 2000);
  const leak = g.node('list', 4000);
  g.edge(ns, open, 'dict-value', "'_OPEN'")
    .edge(ns, history, 'dict-value', "'_HISTORY'")
    .edge(ns, leak, 'dict-value', "'_LEAK'");
  const dicts = Array.from({ length: DICTS }, () => g.node('dict', 232));
  for (let region = 0; region < 2; region++) {
    for (let i = 0; i < DICTS; i++) {
      if (region !== s % 2) {
        g.node('filler', 1);
        g.node('filler', 1);
        continue;
      }
      const connection = (i + s) % 2 === 0;
      const owner = g.node(connection ? 'app.Connection' : 'app.Node', 48);
      g.edge(connection ? open : history, owner, 'index', i).edge(owner, dicts[i], 'internal', '__dict__');
      const value = g.node(connection ? 'bytearray' : 'str', 300);
      g.edge(dicts[i], value, 'dict-value', connection ? "'buffer'" : "'payload'");
    }
  }
  for (let i = 0; i < LEAK_SLOTS; i++) {
    if (i < leaked) g.edge(leak, g.node('app.Session', 400), 'index', i);
    else g.node('filler', 1);
  }
  return g.toBytes({ meta: { pid: 7, argv: ['app.py'], dumpTime: 1000 + s } });
}

async function diffs(leaked: number[]): Promise<SnapshotDiff[]> {
  const vs = await Promise.all(leaked.map((n, s) => viewOfBytes(build(s, n), `s${s + 1}`)));
  return vs.slice(1).map((v, i) => new SnapshotDiff(vs[i], v));
}

describe('an address reused by an object of another role', () => {
  it('is another object: a dict whose owner changed class counts as freed and new', async () => {
    const [d] = await diffs([0, 0]);
    expect(d.rows.find((r) => r.type === 'dict')).toMatchObject({ newCount: DICTS, freedCount: DICTS });
    // The namespace and the lists keep their owners: still the same objects.
    expect(d.rows.find((r) => r.type === 'list')).toMatchObject({ newCount: 0, freedCount: 0 });
  });

  it('keeps churn that swaps roles at reused addresses quiet, and still finds the leak beside it', async () => {
    expect(findLeaks(await diffs([0, 0, 0]), { floor: FLOOR }).suspects).toEqual([]);
    const report = findLeaks(await diffs([0, 100, 200]), { floor: FLOOR });
    expect(report.suspects.map((s) => s.path)).toEqual(["module app → ['_LEAK'] → list"]);
    expect(report.suspects[0].explanation).toMatch(/gained 200 `Session` entries/);
  });
});
