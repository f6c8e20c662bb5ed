// Which command-line arguments are snapshots to open. Electron's argv carries the binary, in
// development the app folder, and Chromium switches; a second instance hands over its argv and cwd.
import { statSync } from 'node:fs';
import { resolve } from 'node:path';

export function snapshotArgs(argv: string[], cwd: string): string[] {
  const out: string[] = [];
  for (const arg of argv.slice(1)) {
    if (arg.startsWith('-')) continue;
    const path = resolve(cwd, arg);
    try {
      if (statSync(path).isFile()) out.push(path);
    } catch {
      // Not a file (the app folder, a URL, a typo): nothing to open.
    }
  }
  return out;
}
