// `heapscope serve --max-upload SIZE`: the upload cap of browser mode (electron/server/README.md).
import { describe, expect, it } from 'vitest';
import { CliError } from './args';
import { parseSize } from './serve';

describe('serve --max-upload', () => {
  it('reads bytes and binary units', () => {
    expect(parseSize(undefined)).toBeUndefined();
    expect(parseSize('1073741824')).toBe(1024 ** 3);
    expect(parseSize('512M')).toBe(512 * 1024 ** 2);
    expect(parseSize('2G')).toBe(2 * 1024 ** 3);
    expect(parseSize('1.5GiB')).toBe(1.5 * 1024 ** 3);
    expect(parseSize('64k')).toBe(65536);
  });

  it('refuses anything else in one line', () => {
    for (const bad of ['', '0', '-1', 'lots', '2X', '1e9']) {
      expect(() => parseSize(bad)).toThrow(CliError);
      expect(() => parseSize(bad)).toThrow(
        /^--max-upload: expected a size such as 512M, 2G or 1073741824, got /,
      );
    }
  });
});
