// A fuzz test of the reader (issue 15): mutants of small builder-made snapshots — bit flips,
// truncations, edited counts and lengths, compressed-size lies, section tag swaps — each either
// loads (and then answers queries) or is refused with the reader's one-line SnapshotFormatError.
// Never a RangeError, a TypeError, a hang or a runaway allocation. Seeded: a failure prints the
// seed and the mutant; HEAPSCOPE_FUZZ_SEED=<seed> reproduces it (HEAPSCOPE_FUZZ_MUTANTS=<n> runs more).
import { crc32 } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { FIRST_OBJECT } from '../graph/layout';
import { loadSnapshot, SnapshotFormatError } from '../index';
import { SnapshotBuilder } from './builder';
import { EDGE_KIND_COUNT, OBJ_FLAGS_KNOWN, TAG } from './spec';

const SEED = Number(process.env.HEAPSCOPE_FUZZ_SEED ?? Math.floor(Math.random() * 2 ** 31));
const MUTANTS = Number(process.env.HEAPSCOPE_FUZZ_MUTANTS ?? 1500);
/**
 * One mutant of a ~40-object file loads in milliseconds; ten seconds (room for a loaded machine
 * starting a helper thread) means something loops.
 */
const MUTANT_MS = 10_000;
/** Memory a mutant may leave in array buffers: the real files hold a few KiB. */
const ARRAY_BUFFER_BYTES = 512 << 20;

/** mulberry32: small, fast, and the same sequence on every machine for a seed. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Every section kind, in chunks, with tracebacks, weak and index edges and a dangling one. */
function base(compress: boolean): Uint8Array {
  const g = new SnapshotBuilder();
  const mod = g.node('module', 72, { label: 'app' });
  const ns = g.node('dict', 640);
  g.root(mod, 'module', 'app').edge(mod, ns, 'internal', '__dict__');
  const list = g.node('list', 120, { length: 12 });
  g.edge(ns, list, 'dict-value', "'items'");
  for (let i = 0; i < 12; i++) {
    const item = g.node('app.Item', 48, { traceback: [{ file: 'app.py', line: 10 + i }] });
    g.edge(list, item, 'index', i).edge(item, g.node('str', 60, { label: `item-${i}` }), 'attr', 'name');
    if (i % 3 === 0) g.edge(item, mod, 'weak');
  }
  g.danglingEdge(ns, 0xdead0);
  const frame = g.node('frame', 400, { label: 'main app.py:3' });
  g.root(frame, 'thread', 'Thread MainThread').edge(frame, list, 'local', 'items');
  return g.toBytes({ compress, chunk: 7, meta: { pid: 1, argv: ['app.py', '--x'] } });
}

interface Section {
  offset: number;
  tag: string;
  stored: number;
}

function sections(bytes: Uint8Array): Section[] {
  const v = new DataView(bytes.buffer, bytes.byteOffset, bytes.length);
  const out: Section[] = [];
  for (let at = 16; at + 24 <= bytes.length; ) {
    const stored = v.getUint32(at + 8, true);
    out.push({ offset: at, tag: new TextDecoder('latin1').decode(bytes.subarray(at, at + 4)), stored });
    at += 24 + stored;
  }
  return out;
}

/** Values that find off-by-ones and overflows. */
function interesting(rand: () => number, near: number): number {
  const choices = [
    0,
    1,
    7,
    8,
    near - 1,
    near,
    near + 1,
    near * 2,
    0x7fffffff,
    0x80000000,
    0xfffffff0,
    0xffffffff,
  ];
  return choices[Math.floor(rand() * choices.length)]! >>> 0;
}

type Mutation = (bytes: Uint8Array, rand: () => number) => { bytes: Uint8Array; what: string };

const pick = <T>(rand: () => number, items: T[]): T => items[Math.floor(rand() * items.length)]!;

const MUTATIONS: Mutation[] = [
  function bitFlips(b, rand) {
    const out = b.slice();
    const flips = 1 + Math.floor(rand() * 4);
    const at: number[] = [];
    for (let i = 0; i < flips; i++) {
      const pos = Math.floor(rand() * out.length);
      out[pos]! ^= 1 << Math.floor(rand() * 8);
      at.push(pos);
    }
    return { bytes: out, what: `bit flips at ${at.join(',')}` };
  },
  function truncate(b, rand) {
    const cut = Math.floor(rand() * b.length);
    return { bytes: b.slice(0, cut), what: `truncated to ${cut}` };
  },
  function editCount(b, rand) {
    // The `u32 count` (or the reserved word, TBAK's frame total) at the start of a payload.
    const s = pick(
      rand,
      sections(b).filter((x) => x.stored >= 8 && x.tag !== TAG.META && x.tag !== TAG.INFO),
    );
    const out = b.slice();
    const v = new DataView(out.buffer);
    const field = s.offset + 24 + (rand() < 0.8 ? 0 : 4);
    const value = interesting(rand, v.getUint32(field, true));
    v.setUint32(field, value, true);
    return { bytes: out, what: `${s.tag} count word at ${field} = ${value}` };
  },
  function editLength(b, rand) {
    const s = pick(rand, sections(b));
    const out = b.slice();
    const v = new DataView(out.buffer);
    const field = s.offset + pick(rand, [8, 16, 12, 20]);
    const value = interesting(rand, v.getUint32(field, true));
    v.setUint32(field, value, true);
    return { bytes: out, what: `${s.tag} length field at ${field} = ${value}` };
  },
  function compressedSizeLie(b, rand) {
    // The raw length of a section only: for a compressed one, a lie about what it inflates to.
    const s = pick(rand, sections(b));
    const out = b.slice();
    const v = new DataView(out.buffer);
    const value = interesting(rand, v.getUint32(s.offset + 16, true));
    v.setUint32(s.offset + 16, value, true);
    return { bytes: out, what: `${s.tag} raw length = ${value}` };
  },
  function editEndCount(b, rand) {
    const out = b.slice();
    const v = new DataView(out.buffer);
    const field = out.length - 40 + 8 * Math.floor(rand() * 4);
    const value = interesting(rand, v.getUint32(field, true));
    v.setUint32(field, value, true);
    return { bytes: out, what: `END count at ${field} = ${value}` };
  },
  function swapTags(b, rand) {
    const all = sections(b);
    const x = pick(rand, all);
    const out = b.slice();
    if (rand() < 0.5) {
      const y = pick(rand, all);
      out.set(b.subarray(y.offset, y.offset + 4), x.offset);
      out.set(b.subarray(x.offset, x.offset + 4), y.offset);
      return { bytes: out, what: `tags of ${x.tag}@${x.offset} and ${y.tag}@${y.offset} swapped` };
    }
    const tag = pick(rand, [...Object.values(TAG), 'ZZZZ']);
    out.set(new TextEncoder().encode(tag), x.offset);
    return { bytes: out, what: `${x.tag}@${x.offset} retagged ${tag}` };
  },
  function editFlags(b, rand) {
    const s = pick(rand, sections(b));
    const out = b.slice();
    const value = pick(rand, [0, 1, 2, 3, 0x80000001]);
    new DataView(out.buffer).setUint32(s.offset + 4, value, true);
    return { bytes: out, what: `${s.tag} flags = ${value}` };
  },
];

/** Half the mutants get a CRC that matches again, so they reach past the CRC into every stage. */
function fixCrc(bytes: Uint8Array): void {
  if (bytes.length < 16 + 64) return;
  const end = bytes.length - 64;
  if (new TextDecoder('latin1').decode(bytes.subarray(end, end + 4)) !== TAG.END) return;
  new DataView(bytes.buffer, bytes.byteOffset).setUint32(
    bytes.length - 8,
    crc32(bytes.subarray(0, end)),
    true,
  );
}

/**
 * A loaded mutant holds only in-spec values (docs/FORMAT.md, "Out-of-spec values": a 1.0 file's
 * reserved bits are refused, a later minor's unknown edge kinds read as OTHER) and answers the
 * queries the UI makes first.
 */
function exercise(snap: Awaited<ReturnType<typeof loadSnapshot>>, minor: number, label: string): void {
  const g = snap.graph;
  for (let e = 0; e < g.edgeKind.length; e++) {
    if (g.edgeKind[e]! >= EDGE_KIND_COUNT) throw new Error(`${label}: loaded an edge kind ${g.edgeKind[e]}`);
  }
  if (minor === 0) {
    for (let v = 0; v < g.flags.length; v++) {
      if (g.flags[v]! & ~OBJ_FLAGS_KNOWN)
        throw new Error(`${label}: loaded reserved object flags ${g.flags[v]}`);
    }
  }
  const range = { start: 0, end: 50 };
  snap.info('f', 'f', null);
  for (const row of snap.summary({ range }).rows) {
    if (row.type === '') throw new Error(`${label}: loaded a type without a name`);
  }
  snap.dominatorChildren({ node: 0, range });
  const total = snap.info('f', 'f', null).totals.objects;
  for (let v = FIRST_OBJECT; v < FIRST_OBJECT + Math.min(total, 5); v++) {
    snap.objectDetails({ node: v });
    snap.retainerPaths({ node: v });
    snap.referents({ node: v, range });
    snap.referrers({ node: v, range });
  }
  snap.search({ query: 'item', range });
}

describe('reader fuzz', () => {
  it(`every mutant loads or is refused in one line (seed ${SEED})`, { timeout: 60_000 }, async () => {
    console.log(`reader fuzz: seed ${SEED}, ${MUTANTS} mutants (HEAPSCOPE_FUZZ_SEED=${SEED} reproduces)`);
    const rand = prng(SEED);
    const bases = [base(false), base(true)];
    const outcomes = { loaded: 0, refused: 0 };
    for (let i = 0; i < MUTANTS; i++) {
      const from = bases[i % 2]!;
      const mutation = MUTATIONS[Math.floor(rand() * MUTATIONS.length)]!;
      const { bytes, what } = mutation(from, rand);
      if (rand() < 0.5) fixCrc(bytes);
      const label = `seed ${SEED}, mutant ${i} (${i % 2 ? 'compressed' : 'plain'}): ${what}`;
      const started = performance.now();
      try {
        const snap = await loadSnapshot(
          { bytes, name: 'fuzz.pyheap' },
          { parallelMinObjects: i % 97 === 0 ? 0 : undefined },
        );
        exercise(snap, bytes.length >= 12 ? bytes[10]! | (bytes[11]! << 8) : 0, label);
        outcomes.loaded++;
      } catch (err) {
        if (!(err instanceof SnapshotFormatError)) {
          if (err instanceof Error && err.message.startsWith(label)) throw err; // an invariant above
          throw new Error(
            `${label}: threw ${err instanceof Error ? `${err.name}: ${err.message}` : String(err)}`,
          );
        }
        expect(err.message, label).toMatch(/^fuzz\.pyheap: /);
        expect(err.message, label).not.toContain('\n');
        outcomes.refused++;
      }
      const ms = performance.now() - started;
      if (ms > MUTANT_MS) throw new Error(`${label}: took ${Math.round(ms)} ms`);
      if (i % 100 === 0) {
        const held = process.memoryUsage().arrayBuffers;
        if (held > ARRAY_BUFFER_BYTES) throw new Error(`${label}: ${held} bytes of array buffers held`);
      }
    }
    console.log(`reader fuzz: ${outcomes.loaded} loaded, ${outcomes.refused} refused`);
    // Both outcomes happen, or the mutations are not reaching the reader's checks.
    expect(outcomes.refused).toBeGreaterThan(MUTANTS / 4);
    expect(outcomes.loaded).toBeGreaterThan(0);
  });
});
