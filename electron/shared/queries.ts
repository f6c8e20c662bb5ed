// The per-snapshot half of the contract: what one indexed snapshot answers. The indexer's snapshot
// class implements it; the service routes a contract call to the snapshot named by `args.snapshot`.
import type { ApiArgs, ApiResult } from './contract';

export const SNAPSHOT_QUERIES = [
  'summary',
  'instances',
  'instanceRank',
  'dominatorChildren',
  'dominatorSubtree',
  'dominatorChain',
  'referents',
  'referrers',
  'retainerPaths',
  'objectDetails',
  'search',
  'searchTypes',
  'insights',
  'insightFindings',
  'insightOwners',
  'insightObjects',
  'previews',
  'heldAs',
] as const;
export type SnapshotQuery = (typeof SNAPSHOT_QUERIES)[number];

export type SnapshotQueries = {
  [M in SnapshotQuery]: (args: Omit<ApiArgs<M>, 'snapshot'>) => ApiResult<M>;
};
