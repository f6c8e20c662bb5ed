// Runs the heapscope CLI in-process with captured output, for the tests that check what a user reads.
import type { CliIO } from '../../electron/cli/io';
import { main } from '../../electron/cli/main';

export async function runCli(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  const io: CliIO & { out: string; err: string } = {
    out: '',
    err: '',
    isTTY: false,
    stdout: (s) => {
      io.out += s;
    },
    stderr: (s) => {
      io.err += s;
    },
  };
  const code = await main(argv, io);
  return { code, out: io.out, err: io.err };
}
