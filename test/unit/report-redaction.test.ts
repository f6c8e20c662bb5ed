// Reports are redacted by default (issue 15): command lines keep the program and option names,
// dict keys in paths are kept only when they are names of code, `KEY=value` loses its value; and
// Markdown cannot be made to fetch a remote image. The rule is docs/LEAKS.md's "Redaction".
import { describe, expect, it } from 'vitest';
import { escapeMarkdownText } from '../../electron/indexer/report/escape';
import type { ReportData } from '../../electron/indexer/report/model';
import { keepKey, redactArgv, redactPathText } from '../../electron/indexer/report/redact';
import { renderReport } from '../../electron/indexer/report/render';
import type { ProcessFacts, SnapshotTotals } from '../../electron/shared/contract';

const SECRETS = [
  'TopSecret123',
  'hunter2',
  'p4ssw0rd',
  'S3cretValue',
  'sk_live_4eC39HqLyjWDarjtT1zdp7dc',
  '8f2a9c3e1b7d4f60a9c3',
];

const ARGV = [
  '/srv/app/bin/app.py',
  '--db-password=TopSecret123',
  '--password',
  'hunter2',
  'DB_URL=postgres://u:p4ssw0rd@db/app',
  '-pS3cretValue',
  '--verbose',
];

const totals: SnapshotTotals = {
  objects: 10,
  edges: 10,
  shallow: 1000,
  reachableShallow: 1000,
  unreachable: 0,
  unreachableShallow: 0,
  heldFromC: 0,
  danglingEdges: 0,
};

const process: ProcessFacts = {
  pythonVersion: '3.12.1',
  implementation: 'cpython',
  platform: null,
  hostname: null,
  pid: 1,
  argv: ARGV,
  dumpTime: 1_700_000_000,
  processStartTime: null,
  rssBytes: null,
  threads: [],
  dumperVersion: null,
  options: {},
};

function report(valuesIncluded: boolean, name = 'app.pyheap'): ReportData {
  return {
    format: 'heapscope-leak-report',
    version: 1,
    generatedAt: 1_700_000_100,
    snapshots: [{ name, process, totals, hasTracebacks: false }],
    warnings: [],
    noiseFloor: { bytes: 65536, count: 32 },
    suspects: [],
    largeHolders: [],
    types: [],
    dominators: [
      {
        label: 'DB_PASSWORD=hunter2',
        type: 'app.Config',
        path: "module billing → ._KEYS → ['sk_live_4eC39HqLyjWDarjtT1zdp7dc'] → ['8f2a9c3e1b7d4f60a9c3'] → dict",
        retained: 1,
        fraction: 0.5,
      },
    ],
    valuesIncluded,
  };
}

describe('redaction, by default', () => {
  it('no secret of the command line, the keys or the labels reaches HTML, Markdown or JSON', () => {
    for (const format of ['html', 'md', 'json'] as const) {
      const content = renderReport(report(false), format).content;
      for (const secret of SECRETS) expect(content, `${format}: ${secret}`).not.toContain(secret);
      expect(content).toContain('app.py');
      expect(content).toContain('--db-password=‹redacted›');
    }
    // The Markdown title: the program and the option names.
    const md = renderReport(report(false), 'md').content;
    expect(md.split('\n')[0]).toMatch(
      /^# Heapscope leak report — app\.py --db-password=‹redacted› --password ‹redacted› DB\\_URL=‹redacted› -p‹/,
    );
    // Included on request.
    expect(renderReport(report(true), 'json').content).toContain('TopSecret123');
  });

  it('argv: the program and option names stay; values, positionals and assignments go', () => {
    expect(redactArgv(ARGV)).toEqual([
      '/srv/app/bin/app.py',
      '--db-password=‹redacted›',
      '--password',
      '‹redacted›',
      'DB_URL=‹redacted›',
      '-p‹redacted›',
      '--verbose',
    ]);
    expect(redactArgv(['app.py', '--', '-'])).toEqual(['app.py', '--', '-']);
  });

  it('keys: names of code stay, secrets and values go', () => {
    for (const kept of [
      '_SESSION_CACHE',
      'user_id',
      'sha256',
      'getUserAccountSettings',
      'x86_64',
      'req_12345',
    ]) {
      expect(keepKey(kept), kept).toBe(true);
    }
    for (const withheld of [
      'sk_live_4eC39HqLyjWDarjtT1zdp7dc', // a payment key (identifier-like: it was kept)
      'sk_test_abc',
      'ghp_abcdefghijklmnop',
      'AKIAIOSFODNN7EXAMPLE',
      'token_8f2a9c3e1b7d4f60', // a hex run
      'Xy7pQ2mN9vB4kL1', // random letters and digits
      'a'.repeat(41), // longer than a name
      'tok-8f2a',
      'a b',
      'café',
    ]) {
      expect(keepKey(withheld), withheld).toBe(false);
    }
  });

  it('paths: a cut key, a bytes key and a KEY=value assignment are withheld too', () => {
    expect(redactPathText("dict → ['session_cache_for_user_12…'…] → [b'secret'] → ['ok'] → [3]")).toBe(
      "dict → [‹str›] → [‹str›] → ['ok'] → [3]",
    );
    expect(redactPathText('frame main app.py:3 → local env → DB_PASSWORD=hunter2')).toBe(
      'frame main app.py:3 → local env → DB_PASSWORD=‹redacted›',
    );
  });
});

describe('Markdown escaping', () => {
  it('a file name cannot become a remote image or a link', () => {
    const name = '![t](https://evil.example/x.png)[l](https://evil.example).pyheap';
    const md = renderReport(report(true, name), 'md').content;
    expect(md).not.toMatch(/(?<!\\)!(?<!\\)\[[^\]]*(?<!\\)\]\(/);
    expect(md).not.toMatch(/(?<!\\)\[[^\]]*(?<!\\)\]\(/);
    expect(md).toContain('\\!\\[t\\](https://evil.example/x.png)');
  });

  it('prose keeps HTML entities whole (an apostrophe is &#39;, not &\\#39;)', () => {
    expect(escapeMarkdownText("# it's")).toBe('\\# it&#39;s');
  });
});
