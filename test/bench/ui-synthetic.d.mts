// Types for ui-synthetic.mjs, which the e2e tests also use for a snapshot big enough to cancel.
/** Path of a cached synthetic snapshot with about `n` objects (written on first use). */
export function syntheticSnapshot(n: number): Promise<string>;
