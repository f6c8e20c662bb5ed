// The "Open Recent" list: a small JSON file in the app's config folder (Electron's userData, or
// $XDG_CONFIG_HOME/heapscope in browser mode and the CLI). A broken file is treated as empty: the
// list is a convenience and must never stop the app from starting.
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { basename, join } from 'node:path';
import type { RecentFile } from '@shared/contract';

export const MAX_RECENT = 10;
const FILE_NAME = 'recent-files.json';

/** HEAPSCOPE_CONFIG_DIR wins (tests point it at a temp folder), then the platform's usual place. */
export function defaultConfigDir(env: NodeJS.ProcessEnv = process.env, platform = process.platform): string {
  if (env.HEAPSCOPE_CONFIG_DIR) return env.HEAPSCOPE_CONFIG_DIR;
  if (platform === 'win32' && env.APPDATA) return join(env.APPDATA, 'heapscope');
  if (platform === 'darwin') return join(homedir(), 'Library', 'Application Support', 'heapscope');
  return join(env.XDG_CONFIG_HOME || join(homedir(), '.config'), 'heapscope');
}

export class RecentFiles {
  private readonly file: string;
  // Serializes writes so two opens finishing together cannot interleave read-modify-write.
  private queue: Promise<unknown> = Promise.resolve();

  constructor(dir: string) {
    this.file = join(dir, FILE_NAME);
  }

  async list(): Promise<RecentFile[]> {
    try {
      const parsed: unknown = JSON.parse(await readFile(this.file, 'utf8'));
      return Array.isArray(parsed) ? parsed.filter(isRecentFile).slice(0, MAX_RECENT) : [];
    } catch {
      return [];
    }
  }

  /** Moves `path` to the top of the list. */
  add(path: string, now = Date.now()): Promise<RecentFile[]> {
    const next = this.queue.then(async () => {
      const rest = (await this.list()).filter((f) => f.path !== path);
      const files = [{ path, name: basename(path), openedAt: now }, ...rest].slice(0, MAX_RECENT);
      await this.write(files);
      return files;
    });
    this.queue = next.catch(() => undefined);
    return next;
  }

  private async write(files: RecentFile[]): Promise<void> {
    await mkdir(join(this.file, '..'), { recursive: true });
    const tmp = `${this.file}.${process.pid}.tmp`;
    await writeFile(tmp, `${JSON.stringify(files, null, 2)}\n`);
    await rename(tmp, this.file);
  }
}

function isRecentFile(value: unknown): value is RecentFile {
  if (typeof value !== 'object' || value === null) return false;
  const f = value as Record<string, unknown>;
  return typeof f.path === 'string' && typeof f.name === 'string' && typeof f.openedAt === 'number';
}
