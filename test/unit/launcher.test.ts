// The "is out/ current?" logic shared by `npm start`, the heapscope bin and the e2e harness.
import { mkdir, mkdtemp, rm, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { staleReason } from '../../electron/launcher/ensure-built.mjs';
import { indexerEnv } from '../../electron/launcher/memory-env.mjs';

const OUTPUTS = [
  'out/main/index.js',
  'out/main/cli.js',
  'out/main/indexer-worker.js',
  'out/preload/index.js',
  'out/renderer/index.html',
];

let root: string;
async function touch(path: string, seconds: number) {
  const file = join(root, path);
  await mkdir(dirname(file), { recursive: true });
  await writeFile(file, '');
  await utimes(file, seconds, seconds);
}

beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'heapscope-launcher-'));
});
afterEach(() => rm(root, { recursive: true, force: true }));

describe('staleReason', () => {
  it('wants a build when an output is missing', async () => {
    await touch('electron/main/index.ts', 1000);
    expect(staleReason(root)).toBe('out/main/index.js is missing');
  });

  it('is satisfied when every output is newer than every source', async () => {
    await touch('electron/main/index.ts', 1000);
    await touch('renderer/src/app.tsx', 1000);
    for (const output of OUTPUTS) await touch(output, 2000);
    expect(staleReason(root)).toBeNull();
  });

  it('wants a build when a source changed, but not for tests or docs', async () => {
    for (const output of OUTPUTS) await touch(output, 2000);
    await touch('electron/service/x.test.ts', 3000);
    await touch('renderer/README.md', 3000);
    expect(staleReason(root)).toBeNull();
    await touch('renderer/src/view.tsx', 3000);
    expect(staleReason(root)).toBe('sources changed since the last build');
  });
});

describe('indexerEnv', () => {
  it('asks glibc for huge pages on Linux, keeping the tunables a user set', () => {
    expect(indexerEnv({ PATH: '/bin' }, 'linux')).toEqual({
      PATH: '/bin',
      GLIBC_TUNABLES: 'glibc.malloc.hugetlb=1',
    });
    expect(indexerEnv({ GLIBC_TUNABLES: 'glibc.malloc.arena_max=2' }, 'linux').GLIBC_TUNABLES).toBe(
      'glibc.malloc.arena_max=2:glibc.malloc.hugetlb=1',
    );
  });

  it('leaves the environment alone when turned off, chosen already, or not on Linux', () => {
    for (const [env, platform] of [
      [{ HEAPSCOPE_HUGE_PAGES: '0' }, 'linux'],
      [{ GLIBC_TUNABLES: 'glibc.malloc.hugetlb=0' }, 'linux'],
      [{}, 'darwin'],
      [{}, 'win32'],
    ] as const) {
      expect(indexerEnv(env, platform)).toBe(env);
    }
  });
});
