// Growth the dump itself makes is not the program's: on hand-made heaps shaped like the dumper's
// output for suspended generators before 3.13, whose `f_locals` dicts the dumper materialises and
// whose size grows on the next dump (each read deletes and re-inserts the arguments held in cells).
import { describe, expect, it } from 'vitest';
import { SnapshotDiff } from '../../electron/indexer/diff/diff';
import { SnapshotBuilder } from '../../electron/indexer/format/builder';
import { findLeaks } from '../../electron/indexer/leaks/index';
import { viewOfBytes } from './leaks-helpers';

const FLOOR = { bytes: 10_000, count: 10 };
const STREAMS = 300;

/** 300 suspended generators in `_STREAMS`, their frames' `f_locals` dicts `localsSize` bytes each. */
function snapshot(localsSize: number, time: number): Uint8Array {
  const g = new SnapshotBuilder();
  const mod = g.node('module', 72, { label: 'app' });
  const ns = g.node('dict', 2000);
  g.root(mod, 'module', 'app').edge(mod, ns, 'internal', '__dict__');
  const streams = g.node('dict', 9000);
  g.edge(ns, streams, 'dict-value', "'_STREAMS'");
  for (let i = 0; i < STREAMS; i++) {
    const gen = g.node('generator', 200);
    const frame = g.node('frame', 400);
    const locals = g.node('dict', localsSize);
    const text = g.node('str', 3000);
    g.edge(streams, gen, 'dict-value', `'up-${i}'`).edge(gen, frame, 'internal', 'gi_frame');
    g.edge(frame, locals, 'internal', 'f_locals').edge(frame, text, 'local', 'text');
    g.edge(locals, text, 'dict-value', "'text'");
  }
  return g.toBytes({ meta: { pid: 7, argv: ['app.py'], dumpTime: time } });
}

describe("a frame's f_locals dict", () => {
  it('growing in its own size between dumps is no suspect', async () => {
    const vs = await Promise.all(
      [232, 360, 488].map((size, i) => viewOfBytes(snapshot(size, 1000 + i), `s${i + 1}`)),
    );
    const report = findLeaks([new SnapshotDiff(vs[0], vs[1]), new SnapshotDiff(vs[1], vs[2])], {
      floor: FLOOR,
    });
    expect(report.suspects.map((s) => s.explanation)).toEqual([]);
  });
});
