// `heapscope report A [B [C]] -o report.html|.md|.json [--include-values]`: the leak report as a file.
// HTML is self-contained (opens from disk, no network); heap string values are redacted unless
// --include-values.
import { writeFile } from 'node:fs/promises';
import type { ReportFormat } from '../../shared/contract';
import type { CliIO } from '../io';
import { CliError, parseArgs } from './args';
import { openComparison } from './diff';

export const REPORT_USAGE =
  'usage: heapscope report A [B [C]] -o FILE.html|.md|.json [--format html|md|json] [--include-values]';

const EXTENSIONS: Record<string, ReportFormat> = {
  html: 'html',
  htm: 'html',
  md: 'md',
  markdown: 'md',
  json: 'json',
};

export async function runReport(argv: string[], io: CliIO): Promise<number> {
  // `-o FILE` is the conventional spelling; the shared parser knows only long options.
  const normalized = argv.map((a) =>
    a === '-o' ? '--output' : a.startsWith('-o=') ? `--output=${a.slice(3)}` : a,
  );
  const args = parseArgs(
    normalized,
    { output: 'value', format: 'value', 'include-values': 'flag' },
    REPORT_USAGE,
  );
  const n = args.positional.length;
  if (n < 1 || n > 3)
    throw new CliError(`expected 1 to 3 snapshots, oldest first, got ${n}; ${REPORT_USAGE}`);
  const output = args.options.output;
  if (!output) throw new CliError(`-o FILE is required; ${REPORT_USAGE}`);
  const format = reportFormat(output, args.options.format);
  const { comparisons, ids } = await openComparison(args.positional, io);
  const report = comparisons.exportReport({
    snapshots: ids,
    format,
    includeValues: args.flags.has('include-values'),
  });
  try {
    await writeFile(output, report.content);
  } catch (err) {
    const reason = (err as NodeJS.ErrnoException).code ?? String(err);
    throw new CliError(`cannot write ${output} (${reason}); check that the folder exists and is writable`);
  }
  // Bytes as written (UTF-8), not UTF-16 code units: heap strings and the report's own ‹›, →, ≥ are multi-byte.
  const bytes = Buffer.byteLength(report.content, 'utf8');
  io.stdout(`wrote ${output} (${format}, ${bytes.toLocaleString('en-US')} bytes)\n`);
  return 0;
}

function reportFormat(output: string, given: string | undefined): ReportFormat {
  if (given !== undefined) {
    if (!Object.hasOwn(EXTENSIONS, given) || given !== EXTENSIONS[given]) {
      throw new CliError(`--format must be html, md or json; ${REPORT_USAGE}`);
    }
    return given as ReportFormat;
  }
  const ext = /\.([A-Za-z]+)$/.exec(output)?.[1]?.toLowerCase();
  if (ext === undefined || !Object.hasOwn(EXTENSIONS, ext)) {
    throw new CliError(
      `cannot tell the format from "${output}": name it .html, .md or .json, or pass --format`,
    );
  }
  return EXTENSIONS[ext];
}
