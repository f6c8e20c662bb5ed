// End-to-end truth on snapshots written by the real Python dumper (python-dumper/).
import { describe, expect, it } from 'vitest';
import { dumpPython, havePython } from '../../test/unit/python-dump';
import { EDGE_KIND, OBJ_FLAG } from './format/spec';
import { FIRST_OBJECT } from './graph/layout';
import { type HeapSnapshot, loadSnapshot } from './index';

const LEAKY = `
class Session:
    def __init__(self, i):
        self.payload = bytearray(1000 + i)
        self.user = "user-%d" % i

_SESSION_CACHE = {}

def handle(i):
    _SESSION_CACHE["req-%d" % i] = Session(i)

for i in range(300):
    handle(i)
`;

/**
 * Objects reachable over strong references from ROOT records, held-from-C objects and immortal
 * objects (the interpreter's root group), computed here.
 */
function reachableShallow(snap: HeapSnapshot): number {
  const g = snap.graph;
  const n = g.nodeCount;
  const strongIn = new Uint32Array(n);
  for (let e = 0; e < g.edgeTarget.length; e++)
    if (g.edgeKind[e] !== EDGE_KIND.WEAK) strongIn[g.edgeTarget[e]!]++;
  const seen = new Uint8Array(n);
  const stack: number[] = [...g.rootRecordNode];
  for (let v = FIRST_OBJECT; v < n; v++) {
    if (g.flags[v]! & OBJ_FLAG.IMMORTAL || g.refcount[v]! > strongIn[v]!) stack.push(v);
  }
  let total = 0;
  while (stack.length) {
    const v = stack.pop()!;
    if (seen[v]) continue;
    seen[v] = 1;
    total += g.size[v]!;
    for (let e = g.firstEdge[v]!; e < g.firstEdge[v + 1]!; e++) {
      if (g.edgeKind[e] !== EDGE_KIND.WEAK && !seen[g.edgeTarget[e]!]) stack.push(g.edgeTarget[e]!);
    }
  }
  return total;
}

describe.skipIf(!havePython())('real dumps from the Python dumper', () => {
  it('root retained size equals the total reachable shallow size', async () => {
    const snap = await loadSnapshot({ path: dumpPython(LEAKY) });
    const totals = snap.info('r', 'r', null).totals;
    expect(totals.objects).toBeGreaterThan(1000);
    expect(snap.graph.retained[0]).toBe(reachableShallow(snap));
    expect(totals.reachableShallow + totals.unreachableShallow).toBe(totals.shallow);
    // Every dominator-tree node retains its own size plus its children's.
    const g = snap.graph;
    for (let v = 0; v < g.nodeCount; v += 97) {
      let children = 0;
      for (let c = g.tree.domFirst[v]!; c < g.tree.domFirst[v + 1]!; c++) {
        const child = g.tree.domChildren[c]!;
        if (child !== 6) children += g.retained[child]!;
      }
      expect(g.retained[v]).toBe(g.size[v]! * (v >= FIRST_OBJECT ? 1 : 0) + children);
    }
  });

  it("shows a leak's holder in the retainer paths and the summary", async () => {
    const snap = await loadSnapshot({ path: dumpPython(LEAKY) });
    const sessions = snap.instances({ typeKey: '__main__.Session', range: { start: 0, end: 1 } });
    expect(sessions.total).toBe(300);
    // The largest session is the last one (bytearray(1299)) and the cache dict holds it.
    const biggest = sessions.rows[0]!;
    const paths = snap.retainerPaths({ node: biggest.node, k: 3 }).map((p) => p.text);
    expect(paths[0]).toBe("module __main__ → ['_SESSION_CACHE'] → ['req-299'] → __main__.Session");
    expect(biggest.retained).toBeGreaterThan(1299);
    const cache = snap.dominatorChain({ node: biggest.node }).at(-2)!;
    expect(cache.type).toBe('dict');
    expect(cache.retained).toBeGreaterThan(300 * 1000);
    const row = snap.summary({ range: { start: 0, end: 500 }, filter: '__main__.Session' }).rows[0]!;
    expect(row).toMatchObject({ count: 300 });
    expect(row.retained).toBeGreaterThan(300 * 1000);
  });

  it('names the module key of a dict that C also holds (warnings._onceregistry, held by _warnings)', async () => {
    const path = dumpPython('import warnings\nwarnings.warn("once", UserWarning)\n');
    const snap = await loadSnapshot({ path });
    const g = snap.graph;
    // The dict whose module key is '_onceregistry' in `warnings`: found through the module's globals.
    const [hit] = snap
      .search({ query: 'warnings', range: { start: 0, end: 50 } })
      .rows.filter((r) => r.type === 'module' && r.label === 'warnings');
    expect(hit).toBeDefined();
    const globals = snap
      .referents({ node: hit!.node, range: { start: 0, end: 100 } })
      .rows.find((r) => r.edge.name === '__dict__')!.node.node;
    const registry = snap
      .referents({ node: globals, range: { start: 0, end: 10_000 } })
      .rows.find((r) => r.edge.kind === 'dict-value' && r.edge.name === "'_onceregistry'")!.node;
    // C's module state holds it too: before roots of last resort its only path was `dict (held from C)`.
    expect(registry.heldFromC ?? 0).toBeGreaterThan(0);
    const paths = snap.retainerPaths({ node: registry.node, k: 5 });
    expect(paths[0]!.text).toMatch(/^module _?warnings → \['_onceregistry'\] → dict$/);
    for (const p of paths) expect(p.text).not.toMatch(/held from C/);
    expect(g.distance[registry.node]).toBeGreaterThan(2);
  });

  it('indexes a reference chain 200,000 deep without recursion', async () => {
    const program = `
class Node:
    __slots__ = ("next",)
    def __init__(self, nxt):
        self.next = nxt

HEAD = None
for _ in range(200000):
    HEAD = Node(HEAD)
`;
    const snap = await loadSnapshot({ path: dumpPython(program) });
    const nodes = snap.instances({ typeKey: '__main__.Node', range: { start: 0, end: 1 } });
    expect(nodes.total).toBe(200000);
    const head = nodes.rows[0]!;
    expect(head.retained).toBe(200000 * head.shallow);
    const chain = snap.dominatorChain({ node: head.node });
    expect(chain[0]!.kind).toBe('super-root');
    expect(chain.at(-1)!.node).toBe(head.node);
    const tail = snap.instances({ typeKey: '__main__.Node', range: { start: 199999, end: 200000 } }).rows[0]!;
    expect(tail.shallow).toBe(tail.retained);
    expect(tail.distance - head.distance).toBe(199999);
  });

  it('reads allocation tracebacks when tracemalloc was tracing', async () => {
    const program = 'BUFFERS = [bytearray(5000 + i) for i in range(3)]';
    const snap = await loadSnapshot({ path: dumpPython(program, { tracemalloc: true }) });
    expect(snap.info('t', 't', null).hasTracebacks).toBe(true);
    const b = snap.instances({ typeKey: 'bytearray', range: { start: 0, end: 1 } }).rows[0]!;
    const tb = snap.objectDetails({ node: b.node }).traceback;
    expect(tb?.at(-1)).toMatchObject({ line: 2 }); // most recent call last: the comprehension's line
  }, 180_000); // tracemalloc makes the dumper slow
});
