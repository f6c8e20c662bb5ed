// The `heapscope` command (built to out/main/cli.js, run by plain node, never Electron): dispatches
// to one module per sub-command. Every failure the user can fix is one line on stderr, exit code 2.
import { appVersion } from '../service/app-version';
import { CliError } from './commands/args';
import { runServe, SERVE_USAGE } from './commands/serve';
import { type CliIO, processIO } from './io';

type Command = (argv: string[], io: CliIO) => Promise<number>;

const notYet =
  (what: string): Command =>
  async (_argv, io) => {
    io.stderr(`heapscope: ${what} is not available yet\n`);
    return 2;
  };

const COMMANDS: Record<string, { run: Command; usage: string }> = {
  summary: { run: notYet('summary'), usage: 'heapscope summary FILE [options]   types by retained size' },
  paths: { run: notYet('paths'), usage: 'heapscope paths FILE QUERY [options]   why objects are alive' },
  // Comparison arrives with issue 6.
  diff: { run: notYet('diff'), usage: 'heapscope diff BASE TARGET   what grew between two snapshots' },
  leaks: { run: notYet('leaks'), usage: 'heapscope leaks BASE TARGET [FINAL]   leak suspects' },
  report: { run: notYet('report'), usage: 'heapscope report FILE… [--format html|md|json]' },
  serve: { run: runServe, usage: `${SERVE_USAGE.replace('usage: ', '')}   open the UI in a browser` },
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
  const message = err instanceof Error ? err.message : String(err);
  io.stderr(`heapscope ${command}: ${message.split('\n', 1)[0]}\n`);
  if (process.env.HEAPSCOPE_DEBUG && err instanceof Error && err.stack) io.stderr(`${err.stack}\n`);
  return err instanceof CliError ? err.exitCode : 1;
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
