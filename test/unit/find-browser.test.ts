// The e2e runner's browser finder, run against fake machines: which binary it picks, and what it
// does (install, or print one command) when there is none.
import { describe, expect, it } from 'vitest';
import { findBrowser, installPlan, isDebianLike } from '../e2e/find-browser.mjs';

function machine(platform: string, env: Record<string, string>, files: string[], home?: string) {
  const present = new Set(files);
  return { env, platform, home, isExecutable: (p: string) => present.has(p) };
}

describe('findBrowser', () => {
  it('takes HEAPSCOPE_CHROMIUM first, over anything on PATH', () => {
    const m = machine('linux', { HEAPSCOPE_CHROMIUM: '/opt/c/chrome', PATH: '/usr/bin' }, [
      '/opt/c/chrome',
      '/usr/bin/chromium',
    ]);
    expect(findBrowser(m)).toEqual({ path: '/opt/c/chrome', from: 'HEAPSCOPE_CHROMIUM' });
  });

  it('fails with one line when HEAPSCOPE_CHROMIUM names a missing file, rather than taking another', () => {
    const m = machine('linux', { HEAPSCOPE_CHROMIUM: '/nope', PATH: '/usr/bin' }, ['/usr/bin/chromium']);
    const found = findBrowser(m);
    expect(found.path).toBeUndefined();
    expect(found.error).toMatch(/HEAPSCOPE_CHROMIUM=\/nope/);
    expect(found.error).not.toContain('\n');
  });

  it('finds each PATH name, preferring chromium over chrome and earlier names over later directories', () => {
    for (const name of ['chromium', 'chromium-browser', 'google-chrome', 'google-chrome-stable', 'chrome']) {
      const m = machine('linux', { PATH: '/a:/home/u/bin' }, [`/home/u/bin/${name}`]);
      expect(findBrowser(m).path).toBe(`/home/u/bin/${name}`);
    }
    const both = machine('linux', { PATH: '/a:/b' }, ['/a/google-chrome', '/b/chromium']);
    expect(findBrowser(both).path).toBe('/b/chromium');
  });

  it('finds the macOS app bundles, system-wide and per user', () => {
    const chrome = '/Applications/Google Chrome.app/Contents/MacOS/Google Chrome';
    expect(findBrowser(machine('darwin', { PATH: '/usr/bin' }, [chrome])).path).toBe(chrome);
    const mine = '/Users/u/Applications/Chromium.app/Contents/MacOS/Chromium';
    expect(findBrowser(machine('darwin', { PATH: '/usr/bin' }, [mine], '/Users/u')).path).toBe(mine);
  });

  it('finds Chrome under Program Files and LocalAppData on Windows, and chrome.exe on PATH', () => {
    const env = {
      Path: 'C:\\Windows;C:\\tools',
      PROGRAMFILES: 'C:\\Program Files',
      'PROGRAMFILES(X86)': 'C:\\Program Files (x86)',
      LOCALAPPDATA: 'C:\\Users\\u\\AppData\\Local',
    };
    const x86 = 'C:\\Program Files (x86)\\Google\\Chrome\\Application\\chrome.exe';
    expect(findBrowser(machine('win32', env, [x86])).path).toBe(x86);
    const local = 'C:\\Users\\u\\AppData\\Local\\Chromium\\Application\\chrome.exe';
    expect(findBrowser(machine('win32', env, [local])).path).toBe(local);
    expect(findBrowser(machine('win32', env, ['C:\\tools\\chrome.exe'])).path).toBe('C:\\tools\\chrome.exe');
  });

  it('finds nothing on a machine without a browser', () => {
    expect(findBrowser(machine('linux', { PATH: '/usr/bin:/bin' }, ['/usr/bin/firefox']))).toEqual({});
  });
});

describe('installPlan', () => {
  const debian = 'PRETTY_NAME="Debian GNU/Linux 12"\nID=debian\n';
  const ubuntu = 'NAME="Ubuntu"\nID=ubuntu\nID_LIKE=debian\n';
  const fedora = 'NAME="Fedora Linux"\nID=fedora\n';

  it('recognises Debian and its derivatives only', () => {
    expect(isDebianLike(debian)).toBe(true);
    expect(isDebianLike(ubuntu)).toBe(true);
    expect(isDebianLike('ID=linuxmint\nID_LIKE="ubuntu debian"\n')).toBe(true);
    expect(isDebianLike(fedora)).toBe(false);
  });

  it('installs chromium with apt-get as root, and with sudo -n when sudo needs no password', () => {
    const root = installPlan({
      platform: 'linux',
      uid: 0,
      osRelease: debian,
      hasAptGet: true,
      passwordlessSudo: false,
    });
    expect(root.run?.at(-1)).toEqual([
      'env',
      'DEBIAN_FRONTEND=noninteractive',
      'apt-get',
      'install',
      '-y',
      '-qq',
      'chromium',
    ]);
    const sudo = installPlan({
      platform: 'linux',
      uid: 1000,
      osRelease: ubuntu,
      hasAptGet: true,
      passwordlessSudo: true,
    });
    expect(sudo.run?.every((argv) => argv[0] === 'sudo' && argv[1] === '-n')).toBe(true);
  });

  it('prints the exact command in one line when it may not install', () => {
    const cases = [
      [
        { platform: 'linux', uid: 1000, osRelease: debian, hasAptGet: true, passwordlessSudo: false },
        'sudo apt-get update && sudo apt-get install -y chromium',
      ],
      [
        { platform: 'darwin', uid: 501, osRelease: undefined, hasAptGet: false, passwordlessSudo: false },
        'brew install --cask chromium',
      ],
      [
        {
          platform: 'win32',
          uid: undefined,
          osRelease: undefined,
          hasAptGet: false,
          passwordlessSudo: false,
        },
        'winget install Google.Chrome',
      ],
      [
        { platform: 'linux', uid: 0, osRelease: fedora, hasAptGet: false, passwordlessSudo: false },
        'HEAPSCOPE_CHROMIUM',
      ],
    ] as const;
    for (const [facts, command] of cases) {
      const plan = installPlan(facts);
      expect(plan.run).toBeUndefined();
      expect(plan.message).toContain(command);
      expect(plan.message).not.toContain('\n');
    }
  });
});
