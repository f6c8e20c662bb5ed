// What the RSS is made of: META.accounting (python-dumper/heapscope/_accounting.py) and the
// snapshot's own object total turned into one breakdown and a verdict sentence. Every segment
// names its source; what was not measured is listed, never guessed (its bytes stay in "other").
import type { AccountingSegment, ProcessAccounting, TracemallocTotal } from '../../shared/contract';

type Part = Record<string, unknown>;

const num = (p: Part | undefined, key: string): number | null =>
  p && typeof p[key] === 'number' && Number.isFinite(p[key]) ? (p[key] as number) : null;

const pct = (part: number, whole: number) => `${Math.round((100 * part) / whole)} %`;

export function processAccounting(
  meta: Record<string, unknown>,
  objectBytes: number,
): ProcessAccounting | null {
  const acc = (meta.accounting ?? {}) as Record<string, Part | undefined>;
  const os = acc.os;
  const rss = num(os, 'rss') ?? (typeof meta.rssBytes === 'number' ? meta.rssBytes : null);
  if (rss === null || rss <= 0) return null;
  const rssSource = num(os, 'rss') !== null ? String(os!.source) : 'META.rssBytes (before the dump)';
  const unmeasured: string[] = [];
  const segments: AccountingSegment[] = [
    {
      key: 'objects',
      label: 'live Python objects',
      bytes: objectBytes,
      source: 'sum of sys.getsizeof over the snapshot',
    },
  ];
  const pm = acc.pymalloc;
  const pmFree = num(pm, 'freeBlocks') !== null ? num(pm, 'freeBlocks')! + (num(pm, 'freePools') ?? 0) : null;
  if (pmFree !== null) {
    segments.push({
      key: 'pymalloc-free',
      label: "free space in pymalloc's arenas",
      bytes: pmFree,
      source: 'sys._debugmallocstats (free blocks + unused pools)',
    });
  } else
    unmeasured.push(`pymalloc's free space: ${reason(pm, 'no record (dumped before accounting existed)')}`);
  const mallocFree = num(acc.malloc, 'free');
  if (mallocFree !== null) {
    segments.push({
      key: 'malloc-free',
      label: 'free space held by malloc',
      bytes: mallocFree,
      source: 'glibc mallinfo2 (fordblks + fsmblks)',
    });
  } else unmeasured.push(`malloc's free space: ${reason(acc.malloc, 'no record')}`);
  const file = num(os, 'file');
  if (file !== null) {
    segments.push({
      key: 'file-backed',
      label: 'file-backed pages (code, shared libraries, mapped files)',
      bytes: file,
      source: `${os!.source} RssFile`,
    });
  } else unmeasured.push(`the file-backed part of RSS: ${reason(os, 'not recorded')}`);
  // getsizeof is not what the allocators hold (no malloc headers, untouched pages): parts may
  // overlap a little, so the remainder is clamped and the segments scaled to the RSS when over.
  const known = segments.reduce((s, x) => s + x.bytes, 0);
  if (known > rss) {
    unmeasured.push(
      `the measured parts add up to ${pct(known, rss)} of RSS (sizes are not resident bytes): shown scaled to the RSS`,
    );
    for (const s of segments) s.bytes = Math.round((s.bytes * rss) / known);
  }
  const other = Math.max(0, rss - segments.reduce((s, x) => s + x.bytes, 0));
  segments.push({
    key: 'other',
    label: 'outside Python objects: native buffers, extension modules, the interpreter',
    bytes: other,
    source: 'RSS − the parts above',
  });
  return {
    rssBytes: rss,
    rssSource,
    segments,
    verdict: verdict(rss, segments),
    unmeasured,
    tracemalloc: tracemallocTotal(acc.tracemalloc),
  };
}

/** The traced total and peak when tracing was on; otherwise a plain sentence on why there is none. */
export function tracemallocTotal(t: Part | undefined): TracemallocTotal {
  const source = 'tracemalloc.get_traced_memory() when the dump started';
  if (!t) {
    return {
      tracing: null,
      tracedBytes: null,
      peakBytes: null,
      source,
      note: 'tracemalloc: not recorded (dumped before the dumper recorded it)',
    };
  }
  const traced = num(t, 'traced');
  if (t.tracing === true && traced !== null) {
    return { tracing: true, tracedBytes: traced, peakBytes: num(t, 'peak'), source, note: '' };
  }
  return {
    tracing: false,
    tracedBytes: null,
    peakBytes: null,
    source,
    note: 'tracemalloc off: the process was not tracing, so there is no traced total (start it with python -X tracemalloc or PYTHONTRACEMALLOC=1)',
  };
}

function reason(p: Part | undefined, fallback: string): string {
  return p && typeof p.reason === 'string' ? p.reason : fallback;
}

function verdict(rss: number, segments: AccountingSegment[]): string {
  const get = (k: AccountingSegment['key']) => segments.find((s) => s.key === k)?.bytes ?? null;
  const parts = [`${pct(get('objects')!, rss)} of RSS is live Python objects`];
  const pm = get('pymalloc-free');
  const ma = get('malloc-free');
  if (pm !== null || ma !== null) {
    const free = (pm ?? 0) + (ma ?? 0);
    const which = [
      pm !== null ? `pymalloc ${pct(pm, rss)}` : null,
      ma !== null ? `malloc ${pct(ma, rss)}` : null,
    ]
      .filter(Boolean)
      .join(', ');
    parts.push(
      `${pct(free, rss)} is free space the allocators keep (${which}) — fragmentation, reused but not returned to the OS`,
    );
  }
  const file = get('file-backed');
  if (file !== null) parts.push(`${pct(file, rss)} is file-backed (code and shared libraries)`);
  parts.push(
    `${pct(get('other')!, rss)} is outside Python objects — native buffers, extension modules, the interpreter`,
  );
  return `${parts.join('; ')}.`;
}
