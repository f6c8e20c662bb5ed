// Progress and cancellation as a worker host sees them: stages in order, percent never going back,
// and an abort mid-load rejecting with code 'cancelled'.
import { describe, expect, it } from 'vitest';
import { ApiError, STAGES } from '../shared/contract';
import { SnapshotBuilder } from './format/builder';
import { writeSyntheticHeap } from './format/synthetic-heap';
import { memorySink } from './format/writer';
import { loadSnapshot, type StageProgress } from './index';

function synthetic(objects: number): Uint8Array {
  const out = memorySink();
  writeSyntheticHeap(out.sink, { objects, compress: true });
  return out.bytes();
}

describe('loadSnapshot progress and cancellation', () => {
  it('reports every stage in order with monotone percent, ending at 100', async () => {
    const events: StageProgress[] = [];
    const snap = await loadSnapshot(
      { bytes: synthetic(50_000), name: 's' },
      { onProgress: (p) => events.push(p) },
    );
    const stages = [...new Set(events.map((e) => e.stage))];
    expect(stages).toEqual([...STAGES]);
    for (let i = 1; i < events.length; i++) {
      expect(events[i]!.percent).toBeGreaterThanOrEqual(events[i - 1]!.percent);
      expect(events[i]!.stageIndex).toBe(STAGES.indexOf(events[i]!.stage));
    }
    expect(events.at(-1)!.percent).toBe(100);
    const totals = snap.info('s', 's', null).totals;
    expect(totals.objects).toBe(50_000);
    expect(totals.unreachable).toBe(150); // the generator's 0.3% of unreachable cycles
    expect(totals.reachableShallow + totals.unreachableShallow).toBe(totals.shallow);
  });

  it('stops with code "cancelled" when aborted during a stage', async () => {
    const bytes = synthetic(400_000);
    const controller = new AbortController();
    let seen: string | null = null;
    const load = loadSnapshot(
      { bytes, name: 'big' },
      {
        signal: controller.signal,
        onProgress: (p) => {
          if (p.stage === 'retainers' && !seen) {
            seen = p.stage;
            controller.abort();
          }
        },
      },
    );
    const err = await load.catch((e: unknown) => e);
    expect(seen).toBe('retainers');
    expect(err).toBeInstanceOf(ApiError);
    expect((err as ApiError).code).toBe('cancelled');
  });

  it("says the header's object and edge counts once the edges stage has kept them, never the file's edge records", async () => {
    // Two references to an object not in the file: the file has 5 edge records, the header shows 3.
    const g = new SnapshotBuilder();
    const mod = g.node('module', 72, { label: 'app' });
    g.root(mod, 'module', 'app');
    const a = g.node('dict', 64);
    const b = g.node('list', 56);
    g.edge(mod, a, 'attr', 'a').edge(mod, b, 'attr', 'b').edge(a, b, 'dict-value', "['b']");
    g.danglingEdge(a, 0xdead0).danglingEdge(b, 0xdead8);
    const events: StageProgress[] = [];
    const snap = await loadSnapshot({ bytes: g.toBytes(), name: 'd' }, { onProgress: (p) => events.push(p) });
    const totals = snap.info('d', 'd', null).totals;
    expect(totals.danglingEdges).toBe(2);
    const afterEdges = STAGES.indexOf('edges');
    for (const e of events) {
      if (e.stageIndex > afterEdges)
        expect(e.counts, e.stage).toEqual({ objects: totals.objects, edges: totals.edges });
      if (e.stageIndex < afterEdges) expect(e.counts, e.stage).toBeUndefined();
    }
    expect(events.at(-1)!.counts).toEqual({ objects: 3, edges: 3 });
  });
});
