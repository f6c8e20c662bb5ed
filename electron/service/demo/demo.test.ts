import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { dumpDemoSnapshot, findDemoRoot } from '../demo';

const root = findDemoRoot();
const dumperReady = root !== null && existsSync(join(root, 'python-dumper', 'heapscope', '__main__.py'));

describe('dumpDemoSnapshot', () => {
  it('finds the demo program and the dumper from its own folder', () => {
    expect(root).not.toBeNull();
  });

  it.skipIf(!dumperReady)('dumps the leaky demo into a complete .pyheap file', async () => {
    const path = await dumpDemoSnapshot();
    const bytes = readFileSync(path);
    expect(bytes.subarray(0, 8)).toEqual(Buffer.from('\x89PYHEAP\n', 'latin1'));
    // Large enough to hold the 3000 leaked sessions, not just an empty interpreter.
    expect(bytes.length).toBeGreaterThan(100_000);
  });

  it('says in one line when python is missing', async () => {
    const saved = process.env.HEAPSCOPE_PYTHON;
    process.env.HEAPSCOPE_PYTHON = '/nonexistent/python3';
    try {
      await expect(dumpDemoSnapshot()).rejects.toMatchObject({
        code: 'unavailable',
        message: expect.stringMatching(/^Demo unavailable: \/nonexistent\/python3 was not found/),
      });
    } finally {
      if (saved === undefined) delete process.env.HEAPSCOPE_PYTHON;
      else process.env.HEAPSCOPE_PYTHON = saved;
    }
  });
});
