// Types for memory-env.mjs, so TypeScript callers (the benchmark, tests) can import it.
export declare function indexerEnv(env?: NodeJS.ProcessEnv, platform?: NodeJS.Platform): NodeJS.ProcessEnv;
