// Test data: one well-formed argument per contract method. A mapped type over ApiMethod, so adding a
// method to the contract without a sample here is a compile error, and every transport test covers it.
import type { ApiArgs, ApiMethod } from './contract';
export const VALID_ARGS: { [M in ApiMethod]: ApiArgs<M> } = {
  environment: {},
  open: { requestId: 'r-open', path: '/tmp/app.pyheap' },
  openBytes: { requestId: 'r-bytes', name: 'upload.pyheap', bytes: new Uint8Array([1, 2, 3]) },
  openDemo: { requestId: 'r-demo' },
  cancel: { requestId: 'r-none' },
  close: { snapshot: 's1' },
  list: {},
  recentFiles: {},
  summary: {
    snapshot: 's1',
    range: { start: 0, end: 10 },
    sort: { key: 'retained', dir: 'desc' },
    filter: 'di',
  },
  instances: { snapshot: 's1', typeKey: '0', range: { start: 0, end: 10 } },
  dominatorChildren: { snapshot: 's1', node: 0, range: { start: 0, end: 10 } },
  dominatorSubtree: { snapshot: 's1', node: 0, depth: 3, maxChildren: 20, minFraction: 0.01 },
  dominatorChain: { snapshot: 's1', node: 1 },
  referents: { snapshot: 's1', node: 1, range: { start: 0, end: 10 } },
  referrers: { snapshot: 's1', node: 1, range: { start: 0, end: 10 } },
  retainerPaths: { snapshot: 's1', node: 1, k: 3, ignore: [2] },
  objectDetails: { snapshot: 's1', node: 1 },
  search: { snapshot: 's1', query: 'dict', range: { start: 0, end: 10 } },
  previews: { snapshot: 's1', nodes: [1, 2] },
  heldAs: { snapshot: 's1', nodes: [1, 2] },
  diff: { base: 's1', target: 's2', range: { start: 0, end: 10 } },
  leaks: { base: 's1', target: 's2' },
  insights: { snapshot: 's1', limit: 5 },
  exportReport: { snapshots: ['s1'], format: 'html', includeValues: false },
};
