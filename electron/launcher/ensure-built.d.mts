// Types for ensure-built.mjs, so TypeScript callers (the e2e harness) can import it.
export declare const ROOT: string;
export declare function staleReason(root?: string): string | null;
export declare function ensureBuilt(options?: { root?: string; quiet?: boolean }): boolean;
