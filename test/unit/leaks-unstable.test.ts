// Leak suspects whose holder has no stable shape, on tiny hand-made heaps (the indexer's
// SnapshotBuilder): a holder reached through an unnamed edge in one snapshot and a named one in the
// next, two unrelated dicts held only from C, new objects that only C code holds (grouped by what they
// are), and the folding of repeated steps in signatures.
import { describe, expect, it } from 'vitest';
import { SnapshotDiff } from '../../electron/indexer/diff/diff';
import { SnapshotBuilder } from '../../electron/indexer/format/builder';
import { findLeaks } from '../../electron/indexer/leaks/index';
import { appendStep } from '../../electron/indexer/leaks/signature';
import { viewOfBytes } from './leaks-helpers';

const FLOOR = { bytes: 10_000, count: 10 };
const SLOTS = 400;

/** Positional addresses: every snapshot lays out the same slots, so an object survives when its slot keeps its type. */
function fill(g: SnapshotBuilder, holder: number, count: number, type: string, size: number, key: string) {
  for (let i = 0; i < SLOTS; i++) {
    if (i < count) g.edge(holder, g.node(type, size), 'dict-value', `'${key}-${i}'`);
    else g.node('filler', 1);
  }
}

function snapshot(build: (g: SnapshotBuilder, ns: number) => void, time: number): Uint8Array {
  const g = new SnapshotBuilder();
  const mod = g.node('module', 72, { label: 'app' });
  const ns = g.node('dict', 2000);
  g.root(mod, 'module', 'app').edge(mod, ns, 'internal', '__dict__');
  build(g, ns);
  return g.toBytes({ meta: { pid: 7, argv: ['app.py'], dumpTime: time } });
}

async function views(...bytes: Uint8Array[]) {
  return Promise.all(bytes.map((b, i) => viewOfBytes(b, `s${i + 1}`)));
}

function leaks(vs: Awaited<ReturnType<typeof views>>) {
  const diffs = vs.slice(1).map((v, i) => new SnapshotDiff(vs[i], v));
  return findLeaks(diffs, { floor: FLOOR });
}

describe('a holder whose path changes between snapshots', () => {
  it('is joined across intervals by its identity: unnamed edge first, named edge later', async () => {
    const shape = (cached: number, named: boolean) =>
      snapshot((g, ns) => {
        const wrapper = g.node('list', 100);
        g.edge(ns, wrapper, 'dict-value', "'_WRAP'");
        const registry = g.node('dict', 1000);
        g.edge(wrapper, registry); // an edge the dumper could not name
        if (named) g.edge(ns, registry, 'dict-value', "'_REGISTRY'");
        fill(g, registry, cached, 'app.Session', 500, 'req');
      }, 1000 + cached);
    const report = leaks(await views(shape(10, false), shape(110, false), shape(210, true)));
    const [top] = report.suspects;
    expect(top?.path).toBe("module app → ['_REGISTRY'] → dict");
    expect(top.intervals.map((iv) => iv.bytes)).toEqual([50_000, 50_000]);
    expect(top.explanation).toMatch(/dict `_REGISTRY` in module `app` gained 200 `Session` entries/);
  });
});

describe('held from C', () => {
  it('keeps two unrelated dicts held only from C apart, and says what holds them', async () => {
    const shape = (n: number) =>
      snapshot((g) => {
        // refcount 1 with no reference in the dump: each dict is held by C code only.
        const jobs = g.node('dict', 1000, { refcount: 1 });
        const tokens = g.node('dict', 1000, { refcount: 1 });
        fill(g, jobs, n, 'app.Job', 400, 'job');
        fill(g, tokens, n, 'app.Token', 300, 'tok');
      }, 1000 + n);
    const report = leaks(await views(shape(10), shape(110), shape(210)));
    const texts = report.suspects.map((s) => s.explanation);
    expect(texts).toHaveLength(2);
    expect(texts[0]).toMatch(
      /^a `dict` held only from C code — not referenced by any Python object: a C-level registry or a leaked reference, gained 200 `Job` entries/,
    );
    expect(texts[1]).toMatch(/gained 200 `Token` entries/);
    expect(report.suspects[0].signature).not.toBe(report.suspects[1].signature);
  });

  it('groups new objects only C holds by type and defining code', async () => {
    const shape = (n: number) =>
      snapshot((g) => {
        const code = g.node('code', 200, { label: 'handle.<locals>.<lambda> /srv/svc.py:13' });
        g.root(code, 'sys', 'code');
        for (let i = 0; i < SLOTS; i++) {
          if (i >= n) {
            g.node('filler', 1);
            g.node('filler', 1);
            continue;
          }
          const fn = g.node('function', 150, { label: 'handle.<locals>.<lambda>', refcount: 1 });
          g.edge(fn, code, 'internal', '__code__');
          g.node('app.Connection', 200, { refcount: 1 });
        }
      }, 1000 + n);
    const report = leaks(await views(shape(10), shape(110), shape(210)));
    const texts = report.suspects.map((s) => s.explanation);
    expect(texts).toHaveLength(2);
    // 100 new in each interval: 200 in all, each interval's count beside its bytes.
    expect(texts[0]).toMatch(
      /^200 new `Connection` objects held only from C code — not referenced by any Python object/,
    );
    expect(texts[0]).toMatch(
      /in every interval \(100 `Connection` \/ \+19\.5 KiB, then 100 `Connection` \/ \+19\.5 KiB\)$/,
    );
    expect(texts[1]).toMatch(
      /^200 new `function` `handle\.<locals>\.<lambda>` \(svc\.py:13\) objects held only from C code/,
    );
    expect(report.suspects[0].holderCount).toBe(200);
  });
});

describe('new threads', () => {
  it('counts the threads of every interval, and says how many came in each', async () => {
    // 30 more `worker-#` threads per snapshot, none exits; each keeps a 2 KB list on its stack.
    const shape = (n: number) =>
      snapshot((g) => {
        for (let i = 0; i < SLOTS; i++) {
          if (i >= n) {
            g.node('filler', 1);
            g.node('filler', 1);
            continue;
          }
          const frame = g.node('frame', 400, { label: 'worker /srv/pool.py:12' });
          g.root(frame, 'thread', `Thread worker-${i} (ident ${1000 + i}) · wait at pool.py:12`);
          g.edge(frame, g.node('list', 2000), 'local', 'state');
        }
      }, 1000 + n);
    const [, two, three] = await views(shape(10), shape(40), shape(70));
    const [s1] = await views(shape(10));
    const texts = (vs: Awaited<ReturnType<typeof views>>) => leaks(vs).suspects.map((s) => s.explanation);
    expect(texts([s1, two])).toEqual([
      expect.stringMatching(/^30 new threads `worker-\*` that have not exited, .* between snapshots$/),
    ]);
    expect(texts([s1, two, three])).toEqual([
      expect.stringMatching(
        /^60 new threads `worker-\*` that have not exited, with their stacks grew by \+141 KiB \(120 objects, mostly `frame`\) in every interval \(30 threads \/ \+70\.3 KiB, then 30 threads \/ \+70\.3 KiB\)$/,
      ),
    ]);
  });
});

describe('never silent', () => {
  it('reports thousands of surviving objects of one kind spread over holders each under the floor', async () => {
    // 200 holders with unrelated names (nothing to fold) each gain 10 `Node`s per interval: 3 KB
    // each, under the 10 KB floor, but 2,000 surviving Nodes per interval in all.
    const letters = (i: number) =>
      `k${String.fromCharCode(97 + (i % 26))}${String.fromCharCode(97 + Math.floor(i / 26))}`;
    const shape = (n: number) =>
      snapshot((g, ns) => {
        for (let h = 0; h < 200; h++) {
          const holder = g.node('dict', 500);
          g.edge(ns, holder, 'dict-value', `'${letters(h)}'`);
          for (let i = 0; i < 30; i++) {
            if (i < n) g.edge(holder, g.node('app.Node', 300), 'index', i);
            else g.node('filler', 1);
          }
        }
      }, 1000 + n);
    const vs = await views(shape(10), shape(20), shape(30));
    const report = leaks(vs);
    expect(report.suspects).toHaveLength(1);
    const [s] = report.suspects;
    expect(s.explanation).toMatch(
      /^4,000 new `Node` objects survived \(2,000 \/ \+586 KiB, then 2,000 \/ \+586 KiB in every interval\) with no single holder above the noise floor; held as far as the dump shows by 0\.5% under `k\w+` in module `app`, .*, the rest spread over 198 more$/,
    );
    expect(s.intervals.map((iv) => iv.count)).toEqual([2000, 2000]);
    // One interval cannot tell a warm-up from a leak: two snapshots stay quiet.
    expect(findLeaks([new SnapshotDiff(vs[0], vs[1])], { floor: FLOOR }).suspects).toEqual([]);
  });
});

describe('signature steps', () => {
  it('fold a repeated step and a repeated pair, so a chain that deepens keeps its signature', () => {
    const fold = (steps: string[]) => steps.reduce((p, s) => appendStep(p, s), 'module app');
    const chain = (n: number) => fold(['.head:Node', ...Array(n).fill('.next:Node')]);
    expect(chain(3)).toBe('module app › .head:Node › .next:Node+');
    expect(chain(5000)).toBe(chain(3));
    const pairs = (n: number) => fold(Array(n).fill(['.__dict__:dict', "['next']:Node"]).flat());
    expect(pairs(2)).toBe("module app › (.__dict__:dict ⁝ ['next']:Node)+");
    expect(pairs(700)).toBe(pairs(2));
    expect(fold(['.a:X', '.b:Y'])).toBe('module app › .a:X › .b:Y');
  });
});
