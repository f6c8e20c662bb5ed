// Reports of one real snapshot carry the accounting and insights sections (HTML with the stacked
// bar, Markdown, JSON), and withhold heap values in them unless asked.
import { describe, expect, it } from 'vitest';
import { Comparisons } from '../../electron/indexer/diff/comparisons';
import { viewOfFile } from './leaks-helpers';
import { dumpPython, havePython } from './python-dump';

const SECRET = 'tok-8f2a-secret';

const PROGRAM = `
TOKENS = ["".join(["${SECRET.slice(0, 4)}", "${SECRET.slice(4)}"]) for _ in range(500)]
SPARE = ["".join(["${SECRET.slice(0, 4)}", "${SECRET.slice(4)}"]) for _ in range(100)]
ROWS = [{"id": i, "name": "n", "${SECRET}": i} for i in range(300)]
`;

describe.skipIf(!havePython())('reports: accounting and insights', () => {
  it('has both sections in every format, values withheld by default', async () => {
    const view = await viewOfFile(dumpPython(PROGRAM), 'one');
    const comparisons = new Comparisons(() => view);
    const report = (format: 'html' | 'md' | 'json', includeValues = false) =>
      comparisons.exportReport({ snapshots: ['one'], format, includeValues }).content;

    const md = report('md');
    expect(md).toContain('## Process memory');
    expect(md).toMatch(/\d+ % of RSS is live Python objects/);
    expect(md).toContain('## Where memory could be saved (newest snapshot)');
    expect(md).toContain('### Duplicate strings and bytes');
    expect(md).toContain('‹redacted› (str, ');
    // The copies' other holder is counted, so the line adds up to the finding.
    const held =
      /: (\d+) copies — [^\n]*\n {2}- 500 held by `module __main__ → \['TOKENS'\] → list → \[\*\]`; (\d+) more by \d+ other holders?\n/.exec(
        md,
      );
    expect(held, md).not.toBeNull();
    expect(Number(held![2])).toBe(Number(held![1]) - 500);
    expect(md).toContain('### Dicts used as records');
    expect(md).not.toContain(SECRET);
    // The process was not tracing: said plainly rather than left out.
    expect(md).toContain('- tracemalloc off: the process was not tracing');

    const html = report('html');
    expect(html).toContain('id="accounting-bar"');
    expect(html).toContain('Where memory could be saved');
    expect(html).not.toContain(SECRET);
    expect(html).toMatch(/<div id="tracemalloc">tracemalloc off: /);

    const json = JSON.parse(report('json'));
    expect(json.insights.accounting.segments[0].key).toBe('objects');
    expect(json.insights.accounting.tracemalloc).toMatchObject({ tracing: false, tracedBytes: null });
    expect(json.insights.findings.some((f: { kind: string }) => f.kind === 'duplicate-values')).toBe(true);
    expect(JSON.stringify(json)).not.toContain(SECRET);

    expect(report('md', true)).toContain(SECRET);
  }, 60_000);
});
