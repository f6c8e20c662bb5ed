import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { snapshotArgs } from './args';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'heapscope-args-'));
  await writeFile(join(dir, 'a.pyheap'), '');
});
afterEach(() => rm(dir, { recursive: true, force: true }));

describe('snapshotArgs', () => {
  it('keeps existing files resolved against the launch folder, skipping the app folder and switches', () => {
    const argv = ['/opt/electron', '.', '--inspect', 'a.pyheap', 'missing.pyheap'];
    expect(snapshotArgs(argv, dir)).toEqual([join(dir, 'a.pyheap')]);
  });
});
