// The report renderers are pure functions: feed them hostile heap strings and check nothing escapes
// its place (HTML element, Markdown table cell, code span or fence) and values are redacted by default.
import { describe, expect, it } from 'vitest';
import type { ReportData } from '../../electron/indexer/report/model';
import { redactPathText } from '../../electron/indexer/report/redact';
import { renderReport } from '../../electron/indexer/report/render';
import type { LeakSuspect, ObjectRow, ProcessFacts } from '../../electron/shared/contract';

const HOSTILE = '<img src=x onerror=alert(1)>`|**';

const holder: ObjectRow = {
  node: 9,
  kind: 'object',
  address: '0x10',
  type: 'str',
  label: `password=${HOSTILE}`,
  shallow: 100,
  retained: 100,
  distance: 3,
  dominatedCount: 0,
  unreachable: false,
};

const suspect: LeakSuspect = {
  path: `module app → ['_CACHE'] → ['${HOSTILE}'] → str`,
  signature: 'sig',
  holder,
  holderSnapshot: 's2',
  holderCount: 1,
  retainedGrowthBytes: 200_000,
  countGrowth: 100,
  ownGrowthBytes: 0,
  intervals: [{ bytes: 200_000, count: 100 }],
  types: [{ type: `app.${HOSTILE}`, count: 100, bytes: 200_000 }],
  allocationSites: [],
  explanation: `dict \`${HOSTILE}\` in module \`app\` gained 100 entries`,
  kind: 'growth',
};

const process: ProcessFacts = {
  pythonVersion: '3.12.1',
  implementation: 'cpython',
  platform: null,
  hostname: null,
  pid: 1,
  argv: ['app.py', HOSTILE],
  dumpTime: 1_700_000_000,
  processStartTime: null,
  rssBytes: null,
  threads: [],
  dumperVersion: null,
  options: {},
};

function data(valuesIncluded: boolean): ReportData {
  const totals = {
    objects: 10,
    edges: 10,
    shallow: 1000,
    reachableShallow: 1000,
    unreachable: 0,
    unreachableShallow: 0,
    heldFromC: 0,
    danglingEdges: 0,
  };
  return {
    format: 'heapscope-leak-report',
    version: 1,
    generatedAt: 1_700_000_100,
    snapshots: [
      { name: `a${HOSTILE}.pyheap`, process, totals, hasTracebacks: false },
      { name: 'b.pyheap', process, totals, hasTracebacks: false },
    ],
    warnings: [`warn ${HOSTILE}`],
    noiseFloor: { bytes: 65536, count: 32 },
    suspects: [suspect],
    largeHolders: [],
    types: [{ type: HOSTILE, count: 1, shallow: 1, retained: 1, countDelta: 1, retainedDelta: 1 }],
    dominators: [
      {
        label: `secret ${HOSTILE}`,
        type: 'str',
        path: "module app → ['x'] → str",
        retained: 1,
        fraction: 0.5,
      },
    ],
    valuesIncluded,
  };
}

describe('reports', () => {
  it('redact dict keys that are not names, keep identifier keys', () => {
    expect(redactPathText("module app → ['_SESSION_CACHE'] → ['tok-8f2a'] → [\"a b\"] → [3]")).toBe(
      "module app → ['_SESSION_CACHE'] → [‹str›] → [‹str›] → [3]",
    );
  });

  it('HTML: escapes every heap string and withholds values unless included', () => {
    const redacted = renderReport(data(false), 'html').content;
    expect(redacted).not.toContain('<img');
    expect(redacted).not.toContain('password=');
    expect(redacted).not.toContain('secret');
    expect(redacted).toContain('module app → [&#39;_CACHE&#39;] → [‹str›] → str');
    const included = renderReport(data(true), 'html').content;
    expect(included).not.toContain('<img');
    expect(included).toContain('&lt;img src=x onerror=alert(1)&gt;');
    expect(included).toContain('secret');
  });

  it('Markdown: a heap string cannot break a table row, a code span or the path fence', () => {
    const md = renderReport(data(true), 'md').content;
    const typeRow = md.split('\n').find((l) => l.startsWith('| `<img'))!;
    // Five cells: the pipe inside the type name is escaped.
    expect(typeRow.split(/(?<!\\)\|/).length - 2).toBe(5);
    expect(md).toContain('`<img src=x onerror=alert(1)>ˋ\\|**`');
    // The fence is longer than the longest backtick run of the path.
    expect(md).toMatch(
      /\n``+\nmodule app → \['_CACHE'\] → \['<img src=x onerror=alert\(1\)>`\|\*\*'\] → str\n``+\n/,
    );
    expect(md).not.toMatch(/^<img/m);
  });

  it('JSON: the report data verbatim, redacted', () => {
    const json = JSON.parse(renderReport(data(false), 'json').content);
    expect(json).toMatchObject({ format: 'heapscope-leak-report', version: 1, valuesIncluded: false });
    expect(json.suspects[0].path).toBe("module app → ['_CACHE'] → [‹str›] → str");
    expect(json.suspects[0].holder.label).toBe('‹redacted›');
  });
});
