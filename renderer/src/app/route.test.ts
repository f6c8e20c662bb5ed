import { describe, expect, it } from 'vitest';
import { formatRoute, parseRoute } from './route';

describe('routes', () => {
  it('round-trips a selection', () => {
    const route = { snapshot: 's2', view: 'dominators' as const, node: 1234, open: null };
    expect(formatRoute(route)).toBe('#s=s2&v=dominators&n=1234');
    expect(parseRoute(formatRoute(route))).toEqual(route);
    const insights = { snapshot: 's1', view: 'insights' as const, node: null, open: null };
    expect(parseRoute(formatRoute(insights))).toEqual(insights);
  });
  it('falls back to the summary and ignores junk nodes', () => {
    expect(parseRoute('#s=a&v=nope&n=12x')).toEqual({
      snapshot: 'a',
      view: 'summary',
      node: null,
      open: null,
    });
    expect(parseRoute('')).toEqual({ snapshot: null, view: 'summary', node: null, open: null });
  });
  it('carries a path to open, escaped', () => {
    const hash = formatRoute({ snapshot: null, view: 'summary', node: null, open: '/tmp/a b.pyheap' });
    expect(parseRoute(hash).open).toBe('/tmp/a b.pyheap');
  });
});
