import { describe, expect, it } from 'vitest';
import { processAccounting } from './accounting';

const MB = 1 << 20;

const META = {
  accounting: {
    os: { source: '/proc/self/status', rss: 100 * MB, anonymous: 80 * MB, file: 20 * MB, shmem: 0, swap: 0 },
    pymalloc: {
      source: 'sys._debugmallocstats',
      arenaBytes: 40 * MB,
      allocatedBlocks: 28 * MB,
      freeBlocks: 6 * MB,
      freePools: 4 * MB,
      overhead: 2 * MB,
    },
    malloc: {
      source: 'glibc mallinfo2',
      heap: 30 * MB,
      mmapped: 0,
      inUse: 22 * MB,
      free: 8 * MB,
      releasable: 0,
    },
    tracemalloc: { source: 'tracemalloc', tracing: false },
  },
};

describe('processAccounting', () => {
  it('splits the RSS into sourced parts that add up, with a verdict', () => {
    const a = processAccounting(META, 50 * MB)!;
    expect(a.rssBytes).toBe(100 * MB);
    expect(a.segments.map((s) => [s.key, s.bytes / MB])).toEqual([
      ['objects', 50],
      ['pymalloc-free', 10],
      ['malloc-free', 8],
      ['file-backed', 20],
      ['other', 12],
    ]);
    for (const s of a.segments) expect(s.source).not.toBe('');
    expect(a.verdict).toBe(
      '50 % of RSS is live Python objects; 18 % is free space the allocators keep (pymalloc 10 %, malloc 8 %) — ' +
        'fragmentation, reused but not returned to the OS; 20 % is file-backed (code and shared libraries); ' +
        '12 % is outside Python objects — native buffers, extension modules, the interpreter.',
    );
    expect(a.unmeasured).toEqual([]);
  });

  it('says what was not measured instead of guessing it', () => {
    const meta = {
      accounting: {
        os: META.accounting.os,
        pymalloc: { source: null, reason: 'pymalloc disabled' },
        malloc: { source: null, reason: 'no glibc mallinfo2' },
      },
    };
    const a = processAccounting(meta, 30 * MB)!;
    expect(a.segments.map((s) => s.key)).toEqual(['objects', 'file-backed', 'other']);
    expect(a.segments.at(-1)!.bytes).toBe(50 * MB);
    expect(a.unmeasured).toEqual([
      "pymalloc's free space: pymalloc disabled",
      "malloc's free space: no glibc mallinfo2",
    ]);
    expect(processAccounting({}, 1)).toBeNull();
  });

  it('scales parts that overlap past the RSS and says so', () => {
    const a = processAccounting(META, 90 * MB)!;
    expect(a.segments.reduce((s, x) => s + x.bytes, 0)).toBeCloseTo(100 * MB, -1);
    expect(a.segments.at(-1)!.bytes).toBeLessThan(MB);
    expect(a.unmeasured[0]).toMatch(/add up to 128 % of RSS/);
  });

  it("gives tracemalloc's traced total with its source, or says plainly why there is none", () => {
    const traced = {
      ...META,
      accounting: {
        ...META.accounting,
        tracemalloc: { source: 'tracemalloc', tracing: true, traced: 5 * MB, peak: 7 * MB },
      },
    };
    expect(processAccounting(traced, 50 * MB)!.tracemalloc).toEqual({
      tracing: true,
      tracedBytes: 5 * MB,
      peakBytes: 7 * MB,
      source: 'tracemalloc.get_traced_memory() when the dump started',
      note: '',
    });
    const off = processAccounting(META, 50 * MB)!.tracemalloc!;
    expect([off.tracing, off.tracedBytes]).toEqual([false, null]);
    expect(off.note).toMatch(/^tracemalloc off: /);
    const { tracemalloc: _, ...older } = META.accounting;
    const unknown = processAccounting({ accounting: older }, 50 * MB)!.tracemalloc!;
    expect([unknown.tracing, unknown.note]).toEqual([
      null,
      'tracemalloc: not recorded (dumped before the dumper recorded it)',
    ]);
  });
});
