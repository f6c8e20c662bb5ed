// A tiny argv parser shared by the CLI commands: positionals plus `--name value` / `--flag` options.
// Unknown options are errors with the command's usage line, never silently ignored.

/** An error the user caused: printed as one line on stderr, exit code 2, no stack trace. */
export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode = 2,
  ) {
    super(message);
    this.name = 'CliError';
  }
}

export type OptionSpec = Record<string, 'flag' | 'value'>;

export interface ParsedArgs {
  positional: string[];
  options: Record<string, string | undefined>;
  flags: Set<string>;
}

export function parseArgs(argv: string[], spec: OptionSpec, usage: string): ParsedArgs {
  const parsed: ParsedArgs = { positional: [], options: {}, flags: new Set() };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--') {
      parsed.positional.push(...argv.slice(i + 1));
      break;
    }
    if (!arg.startsWith('--') || arg === '-') {
      parsed.positional.push(arg);
      continue;
    }
    const [name, inline] = splitOption(arg.slice(2));
    const kind = spec[name];
    if (kind === undefined) throw new CliError(`unknown option --${name}; ${usage}`);
    if (kind === 'flag') {
      if (inline !== undefined) throw new CliError(`--${name} takes no value; ${usage}`);
      parsed.flags.add(name);
      continue;
    }
    const value = inline ?? argv[++i];
    if (value === undefined) throw new CliError(`--${name} needs a value; ${usage}`);
    parsed.options[name] = value;
  }
  return parsed;
}

function splitOption(text: string): [string, string | undefined] {
  const eq = text.indexOf('=');
  return eq === -1 ? [text, undefined] : [text.slice(0, eq), text.slice(eq + 1)];
}
