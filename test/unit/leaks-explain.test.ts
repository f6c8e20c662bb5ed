// How a suspect's holder is named from its path, for each way Python code holds things.
import { describe, expect, it } from 'vitest';
import { describeGrowth, nameFromPath } from '../../electron/indexer/leaks/explain';
import { HELD_ONLY_FROM_C, NEW_MODULES, NEW_THREADS } from '../../electron/indexer/leaks/new-roots';
import { SIG_SEPARATOR } from '../../electron/indexer/leaks/signature';
import type { LeakSuspect } from '../../electron/shared/contract';

describe('nameFromPath', () => {
  it.each([
    ["module app → ['_SESSION_CACHE'] → dict", 'dict', 'module `app`', '_SESSION_CACHE'],
    ["module app → ['bus'] → ._listeners → list", 'list', 'module `app`', 'bus._listeners'],
    ["module app → ['Connection'] → .registry → list", 'list', 'module `app`', 'Connection.registry'],
    [
      "module app → ['remember'] → .__defaults__ → [0] → list",
      'list',
      'module `app`',
      'remember.__defaults__[0]',
    ],
    [
      "module app → ['audit'] → .__closure__ → closure history → closure history → list",
      'list',
      'module `app`',
      'audit.<closure history>',
    ],
    [
      "module app → ['audit'] → closure history of make.<locals>.audit → list",
      'list',
      'module `app`',
      'audit.<closure history>',
    ],
    [
      'frame serve /srv/app.py:8 → local pending → list',
      'list',
      'the running frame of `serve` (app.py:8)',
      'pending',
    ],
    ["dict (held from C) → ['_X'] → dict", 'dict', 'a `dict` held from C', '_X'],
  ])('%s', (path, type, owner, name) => {
    expect(nameFromPath(path, type)).toMatchObject({ owner, name });
  });

  it('reads an unnamed last step as "inside", and a module namespace as its globals', () => {
    expect(nameFromPath("module app → ['render'] → <dict> → dict", 'dict')).toMatchObject({
      name: 'render',
      inside: true,
    });
    expect(nameFromPath('module app → .__dict__ → dict', 'dict')).toMatchObject({ globals: true });
  });
});

/** A suspect whose growth hangs from `holders` new roots of one kind, over two intervals. */
function rootSuspect(holders: number, types: LeakSuspect['types'], countGrowth: number): LeakSuspect {
  return {
    path: 'dict (held from C)',
    signature: '',
    holder: {
      node: 5,
      kind: 'object',
      address: '0x10',
      type: 'dict',
      label: '',
      shallow: 64,
      retained: 640,
      distance: 1,
      dominatedCount: 1,
      unreachable: false,
    },
    holderSnapshot: 's2',
    holderCount: holders,
    retainedGrowthBytes: 4096,
    countGrowth,
    ownGrowthBytes: 0,
    intervals: [
      { bytes: 2048, count: countGrowth },
      { bytes: 2048, count: countGrowth },
    ],
    types,
    allocationSites: [],
    explanation: '',
    kind: 'growth',
  };
}

describe('describeGrowth counts', () => {
  it('says one root, thread, module, object or entry in the singular', () => {
    const heldFromC = describeGrowth(rootSuspect(1, [], 1), () => [], {
      rootKind: HELD_ONLY_FROM_C,
      signature: `${HELD_ONLY_FROM_C}${SIG_SEPARATOR}dict`,
      roots: [1, 0],
    });
    expect(heldFromC).toMatch(/^1 new `dict` object held only from C/);
    expect(heldFromC).toContain(
      '(1 object) in every interval (1 `dict` / +2.0 KiB, then 0 `dict` / +2.0 KiB)',
    );
    const thread = describeGrowth(rootSuspect(1, [], 2), () => [], {
      rootKind: NEW_THREADS,
      signature: `${NEW_THREADS}${SIG_SEPARATOR}worker-#`,
      roots: [1, 1],
    });
    expect(thread).toMatch(/^1 new thread `worker-\*` that has not exited, with its stack grew by/);
    expect(thread).toContain('(1 thread / +2.0 KiB, then 1 thread / +2.0 KiB)');
    const modules = describeGrowth(rootSuspect(2, [], 2), () => [], {
      rootKind: NEW_MODULES,
      signature: `${NEW_MODULES}${SIG_SEPARATOR}plugin_#`,
      roots: [1, 1],
    });
    expect(modules).toMatch(/^2 new modules `plugin_\*`/);
    expect(modules).toContain('(1 module / +2.0 KiB, then 1 module / +2.0 KiB)');
    const entry = {
      ...rootSuspect(1, [{ type: 'app.Session', count: 1, bytes: 90 }], 1),
      path: "module app → ['CACHE'] → dict",
    };
    expect(describeGrowth(entry)).toContain('gained 1 `Session` entry (+4.0 KiB, 1 object)');
  });
});
