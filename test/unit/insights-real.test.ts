// Waste analyses against real programs on every CPython found (3.8–3.13): test/fixtures/insights/
// waste.py builds known waste and measures the answer itself — exact sizes where Heapscope must match
// to the byte (duplicates, empty lists, shrunk dicts), tracemalloc measurements of the real
// alternative (a slotted class, an array) where the estimate must come within 10 %.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { InsightFinding, InsightReport } from '@shared/contract';
import { afterAll, describe, expect, it } from 'vitest';
import { loadSnapshot } from '../../electron/indexer/index';

const FIXTURE = resolve(__dirname, '../fixtures/insights/waste.py');
const DUMPER = resolve(__dirname, '../../python-dumper');

/** Every pyenv CPython 3.8–3.13 here, else python3 (CI images without pyenv). */
function interpreters(): string[] {
  const root = join(homedir(), '.pyenv/versions');
  const found = existsSync(root)
    ? readdirSync(root)
        .filter((v) => /^3\.(8|9|10|11|12|13)\.\d+$/.test(v))
        .map((v) => join(root, v, 'bin/python'))
        .filter(existsSync)
    : [];
  return found.length > 0 ? found : ['python3'];
}

interface Expected {
  python: string;
  duplicates: { value: string; copies: number; wasted: number }[];
  longValue: string;
  dupBytes: { copies: number; wasted: number };
  emptyLists: { count: number; bytes: number };
  shrunk: { count: number; wasted: number };
  slots: { count: number; saving: number };
  records: { count: number; saving: number };
  boxed: { count: number; saving: number };
}

const out = mkdtempSync(join(tmpdir(), 'heapscope-insights-'));
afterAll(() => rmSync(out, { recursive: true, force: true }));

async function run(python: string): Promise<{ expected: Expected; report: InsightReport }> {
  const dir = join(out, python.replace(/\W+/g, '_'));
  execFileSync(python, [FIXTURE, dir], { env: { ...process.env, PYTHONPATH: DUMPER }, stdio: 'pipe' });
  const expected = JSON.parse(readFileSync(join(dir, 'expected.json'), 'utf-8')) as Expected;
  const snap = await loadSnapshot({ path: join(dir, 'waste.pyheap') });
  return { expected, report: snap.insights({ limit: 50 }) };
}

function ownerAt(f: InsightFinding | undefined, name: string) {
  return f?.owners.find((o) => o.path.includes(name));
}

const within10 = (got: number, want: number) => Math.abs(got - want) <= 0.1 * Math.abs(want);

describe.each(interpreters())('%s', (python) => {
  it('matches the measured waste of each kind', async () => {
    const { expected: x, report } = await run(python);
    expect(report.pythonVersion).toBe(x.python.split('.').slice(0, 2).join('.'));
    const of = (kind: string) => report.findings.filter((f) => f.kind === kind);

    for (const d of x.duplicates) {
      const f = of('duplicate-values').find((g) => g.title.includes(JSON.stringify(d.value)));
      expect(f, d.value).toBeDefined();
      expect([f!.count, f!.wastedBytes]).toEqual([d.copies, d.wasted]);
      expect(ownerAt(f, 'DUPLICATES')?.count).toBe(d.copies);
    }
    const bytes = of('duplicate-values').find(
      (f) => f.type === 'bytes' && f.title.includes('same-bytes-value'),
    );
    expect([bytes?.count, bytes?.wastedBytes]).toEqual([x.dupBytes.copies, x.dupBytes.wasted]);
    // Longer than a label: the snapshot does not hold the value, so it is not counted — and said so.
    expect(of('duplicate-values').some((f) => f.count === 400)).toBe(false);
    expect(report.notCounted.join(' ')).toMatch(/longer than the dump's labels/);

    const empty = ownerAt(
      of('empty-collections').find((f) => f.type === 'list'),
      'EMPTY_HOLDER',
    );
    expect([empty?.count, empty?.wastedBytes]).toEqual([x.emptyLists.count, x.emptyLists.bytes]);

    const shrunk = ownerAt(of('overallocated-collections')[0], 'SHRUNK');
    expect([shrunk?.count, shrunk?.wastedBytes]).toEqual([x.shrunk.count, x.shrunk.wasted]);

    const plain = of('missing-slots').find((f) => f.type === '__main__.Plain');
    expect(plain?.count).toBe(x.slots.count);
    expect(plain!.wastedBytes, plain!.estimate).toSatisfy((b: number) => within10(b, x.slots.saving));
    expect(of('missing-slots').some((f) => f.type === '__main__.Twin')).toBe(false);

    const rows = of('dict-records').find((f) => f.title.includes('name') && f.title.includes('score'));
    expect(rows?.count).toBe(x.records.count);
    expect(rows!.wastedBytes, rows!.estimate).toSatisfy((b: number) => within10(b, x.records.saving));

    const floats = ownerAt(
      of('boxed-numbers').find((f) => f.type === 'float'),
      'FLOATS',
    );
    expect(floats?.count).toBe(x.boxed.count);
    expect(floats!.wastedBytes).toSatisfy((b: number) => within10(b, x.boxed.saving));
  }, 120_000);
});
