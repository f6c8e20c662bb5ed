// `npm run dist` cannot run here (it downloads Electron), so check its configuration is well-formed.
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = join(__dirname, '..', '..');
// js-yaml is electron-builder's own YAML parser; resolving it through electron-builder keeps us on
// the exact parser that will read the file.
const requireFromBuilder = createRequire(require.resolve('app-builder-lib/package.json'));
const yaml = requireFromBuilder('js-yaml') as { load(text: string): unknown };

interface BuilderConfig {
  appId: string;
  productName: string;
  directories: { output: string; buildResources: string };
  files: string[];
  extraResources: { from: string; to: string }[];
  fileAssociations: { ext: string; name: string; mimeType?: string }[];
  linux: { target: string[]; icon: string; mimeTypes?: string[] };
  mac: { target: string[]; icon: string };
  win: { target: string[]; icon: string };
}

const config = yaml.load(readFileSync(join(ROOT, 'build', 'electron-builder.yml'), 'utf8')) as BuilderConfig;

function pngSize(path: string): { width: number; height: number } {
  const png = readFileSync(join(ROOT, path));
  expect(png.subarray(1, 4).toString()).toBe('PNG');
  return { width: png.readUInt32BE(16), height: png.readUInt32BE(20) };
}

describe('electron-builder configuration', () => {
  it('names the app and ships only the build output', () => {
    expect(config.appId).toMatch(/^[\w.]+$/);
    expect(config.productName).toBe('Heapscope');
    expect(config.files).toContain('out/**/*');
    expect(config.files).toContain('package.json');
    const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {
      main: string;
      scripts: Record<string, string>;
    };
    expect(pkg.main.startsWith('out/')).toBe(true);
    expect(pkg.scripts.dist).toContain('build/electron-builder.yml');
  });

  it('ships the Python dumper and the demo program outside the asar, where demo.ts looks', () => {
    for (const dir of ['python-dumper/heapscope', 'electron/service/demo']) {
      const entry = config.extraResources.find((e) => e.from === dir);
      expect(entry?.to).toBe(dir);
      expect(existsSync(join(ROOT, dir))).toBe(true);
    }
    expect(existsSync(join(ROOT, 'python-dumper/heapscope/__init__.py'))).toBe(true);
    expect(existsSync(join(ROOT, 'electron/service/demo/leaky_service.py'))).toBe(true);
  });

  it('targets AppImage and deb, dmg, and NSIS', () => {
    expect(config.linux.target).toEqual(['AppImage', 'deb']);
    expect(config.mac.target).toEqual(['dmg']);
    expect(config.win.target).toEqual(['nsis']);
  });

  it('associates .pyheap files with the app', () => {
    expect(config.fileAssociations).toEqual([
      expect.objectContaining({ ext: 'pyheap', mimeType: 'application/x-pyheap' }),
    ]);
    expect(config.linux.mimeTypes).toContain('application/x-pyheap');
  });

  it('points every platform at an icon that exists and is large enough', () => {
    for (const icon of [config.linux.icon, config.mac.icon, config.win.icon]) {
      expect(pngSize(icon)).toEqual({ width: 512, height: 512 });
    }
  });
});
