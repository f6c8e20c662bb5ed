import { describe, expect, it } from 'vitest';
import { ApiError, type ApiMethod } from './contract';
import { API_METHODS, isApiMethod, MAX_PAGE, validateArgs } from './validate';
import { VALID_ARGS } from './validate-samples';

function rejection(method: string, args: unknown): ApiError {
  try {
    validateArgs(method as ApiMethod, args);
  } catch (err) {
    expect(err).toBeInstanceOf(ApiError);
    return err as ApiError;
  }
  throw new Error(`${method} accepted ${JSON.stringify(args)}`);
}

describe('validateArgs', () => {
  it('has a validator for every contract method and accepts well-formed arguments', () => {
    expect([...API_METHODS].sort()).toEqual(Object.keys(VALID_ARGS).sort());
    for (const method of API_METHODS) {
      expect(validateArgs(method, VALID_ARGS[method])).toEqual(VALID_ARGS[method]);
    }
  });

  it('treats a missing argument as {} for methods that take none', () => {
    expect(validateArgs('list', undefined)).toEqual({});
  });

  it('names the field, what was expected and what came', () => {
    const err = rejection('summary', { snapshot: 's1', range: { start: -1, end: 2 } });
    expect(err.code).toBe('bad-argument');
    expect(err.message).toBe('summary.range.start: expected a non-negative integer, got -1');
  });

  it('refuses every kind of malformed input with one line', () => {
    const cases: [string, unknown][] = [
      ['open', { requestId: 'r', path: '' }],
      ['open', { requestId: 'r' }],
      ['open', 'path'],
      ['openBytes', { requestId: 'r', name: 'x', bytes: [1, 2] }],
      ['summary', { snapshot: 's1', range: { start: 5, end: 1 } }],
      ['summary', { snapshot: 's1', range: { start: 0, end: MAX_PAGE + 1 } }],
      ['summary', { snapshot: 's1', range: { start: 0, end: 1 }, sort: { key: 'nope', dir: 'asc' } }],
      ['summary', { snapshot: 's1', range: { start: 0.5, end: 1 } }],
      ['instances', { snapshot: 's1', typeKey: '0', range: { start: 0, end: 1 }, extra: true }],
      ['dominatorSubtree', { snapshot: 's1', node: 0, depth: 1, maxChildren: 1, minFraction: 2 }],
      ['retainerPaths', { snapshot: 's1', node: 1, ignore: 'x' }],
      ['exportReport', { snapshots: ['s1'], format: 'pdf', includeValues: false }],
      ['list', null],
      ['list', []],
    ];
    for (const [method, args] of cases) {
      const err = rejection(method, args);
      expect(err.code).toBe('bad-argument');
      expect(err.message).not.toContain('\n');
      expect(err.message.startsWith(method)).toBe(true);
    }
  });

  it('refuses unknown methods, including inherited property names', () => {
    expect(isApiMethod('summary')).toBe(true);
    expect(isApiMethod('toString')).toBe(false);
    expect(isApiMethod('__proto__')).toBe(false);
    expect(rejection('toString', {}).message).toBe('unknown method "toString"');
  });

  it('accepts Node Buffers as bytes (HTTP uploads arrive as Buffer)', () => {
    const args = { requestId: 'r', name: 'x.pyheap', bytes: Buffer.from([1, 2]) };
    expect(validateArgs('openBytes', args).bytes).toBe(args.bytes);
  });
});
