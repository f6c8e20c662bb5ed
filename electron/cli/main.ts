// The `heapscope` command (built to out/main/cli.js, run by plain node, never Electron): dispatches
// to one module per sub-command. Every failure the user can fix is one line on stderr, exit code 2.
import { appVersion } from '../service/app-version';
import { toErrorData } from '../service/errors';
import { CliError } from './commands/args';
import { CAPTURE_USAGE, RECORD_USAGE, runCapture, runRecord } from './commands/capture';
import { DIFF_USAGE, runDiff } from './commands/diff';
import { INSIGHTS_USAGE, runInsights } from './commands/insights';
import { LEAKS_USAGE, runLeaks } from './commands/leaks';
import { PATHS_USAGE, runPaths } from './commands/paths';
import { REPORT_USAGE, runReport } from './commands/report';
import { runServe, SERVE_USAGE } from './commands/serve';
import { runSummary, SUMMARY_USAGE } from './commands/summary';
import { type CliIO, processIO } from './io';

type Command = (argv: string[], io: CliIO) => Promise<number>;

const strip = (usage: string) => usage.replace(/^usage: /, '');

const COMMANDS: Record<string, { run: Command; usage: string }> = {
  summary: { run: runSummary, usage: `${strip(SUMMARY_USAGE)}   types by retained size` },
  paths: { run: runPaths, usage: `${strip(PATHS_USAGE)}   why an object is alive` },
  diff: { run: runDiff, usage: `${strip(DIFF_USAGE)}   what changed between two snapshots` },
  leaks: { run: runLeaks, usage: `${strip(LEAKS_USAGE)}   leak suspects` },
  insights: { run: runInsights, usage: `${strip(INSIGHTS_USAGE)}   where memory is wasted, and the fix` },
  report: { run: runReport, usage: `${strip(REPORT_USAGE)}   a leak report file` },
  serve: { run: runServe, usage: `${strip(SERVE_USAGE)}   open the UI in a browser` },
  capture: { run: runCapture, usage: `${strip(CAPTURE_USAGE)}   snapshot a running Python process` },
  record: { run: runRecord, usage: `${strip(RECORD_USAGE)}   a series of captures, then leak suspects` },
};

export function usage(): string {
  const lines = Object.values(COMMANDS).map((c) => `  ${c.usage}`);
  return [
    'usage: heapscope COMMAND [ARGS…]',
    '',
    ...lines,
    '  heapscope --version',
    '  heapscope --help',
    '',
  ].join('\n');
}

export async function main(argv: string[], io: CliIO): Promise<number> {
  const [command, ...rest] = argv;
  if (command === undefined || command === '--help' || command === '-h' || command === 'help') {
    io[command === undefined ? 'stderr' : 'stdout'](usage());
    return command === undefined ? 2 : 0;
  }
  if (command === '--version' || command === '-v') {
    io.stdout(`heapscope ${appVersion()}\n`);
    return 0;
  }
  const entry = Object.hasOwn(COMMANDS, command) ? COMMANDS[command] : undefined;
  if (!entry) {
    io.stderr(`heapscope: unknown command "${command}"; run \`heapscope --help\` for the list\n`);
    return 2;
  }
  try {
    return await entry.run(rest, io);
  } catch (err) {
    return reportFailure(command, err, io);
  }
}

function reportFailure(command: string, err: unknown, io: CliIO): number {
  // File-system and indexer errors become the same one-liners the UI shows ("x.pyheap: no such file").
  const data = err instanceof CliError ? { code: 'bad-argument', message: err.message } : toErrorData(err);
  io.stderr(`heapscope ${command}: ${oneLine(data.message)}\n`);
  if (process.env.HEAPSCOPE_DEBUG && err instanceof Error && err.stack) io.stderr(`${err.stack}\n`);
  if (err instanceof CliError) return err.exitCode;
  // Problems with the user's input exit 2, like usage errors; anything else is our failure.
  return data.code === 'internal' ? 1 : 2;
}

/**
 * The message on one line whatever it holds: a file name may contain a newline or a terminal escape,
 * so control characters are shown escaped (`\n`, `\x1b`) rather than cut at or obeyed.
 */
function oneLine(message: string): string {
  return message.replace(/\p{Cc}/gu, (c) =>
    c === '\n' ? '\\n' : c === '\t' ? '\\t' : `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`,
  );
}

// Run only when executed as the bundle entry, not when imported by tests.
if (require.main === module) {
  main(process.argv.slice(2), processIO).then(
    (code) => {
      process.exitCode = code;
    },
    (err: unknown) => {
      process.stderr.write(`heapscope: ${String(err)}\n`);
      process.exitCode = 1;
    },
  );
}
