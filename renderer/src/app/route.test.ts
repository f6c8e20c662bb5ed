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

describe('comparison routes (issue 17)', () => {
  it('round-trips the snapshots, interval, suspect, object and side pane', () => {
    const route = {
      snapshot: 's1',
      view: 'summary' as const,
      node: null,
      open: null,
      compare: {
        open: true,
        snapshots: ['s1', 's2', 's3'],
        interval: '2-3' as const,
        suspect: "module app → ['_CACHE'] → dict",
        object: { snapshot: 's3', node: 4321, change: 'new' as const, type: '__main__.Session' },
        side: 'inspector' as const,
      },
    };
    expect(parseRoute(formatRoute(route))).toEqual(route);
    const reached = {
      ...route.compare,
      object: { snapshot: 's:3', node: 7, change: null, type: null },
      open: false,
    };
    expect(parseRoute(formatRoute({ ...route, compare: reached })).compare).toEqual(reached);
  });

  it('ignores a comparison of fewer than two or more than three snapshots, and junk parts', () => {
    expect(parseRoute('#c=s1').compare).toBeUndefined();
    expect(parseRoute('#c=s1,s2,s3,s4').compare).toBeUndefined();
    expect(parseRoute('#c=s1,s2&ci=9-9&co=s2:x&cp=nope').compare).toEqual({
      open: false,
      snapshots: ['s1', 's2'],
      interval: null,
      suspect: null,
      object: null,
      side: null,
    });
  });
});
