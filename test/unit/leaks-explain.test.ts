// How a suspect's holder is named from its path, for each way Python code holds things.
import { describe, expect, it } from 'vitest';
import { nameFromPath } from '../../electron/indexer/leaks/explain';

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
