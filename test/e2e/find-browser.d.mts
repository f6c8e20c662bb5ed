// Types for find-browser.mjs (plain JS so run.mjs can use it before anything is built).
export const PATH_NAMES: readonly string[];
export const APT_COMMAND: string;

export interface Machine {
  env: Record<string, string | undefined>;
  platform: string;
  home?: string;
  isExecutable(path: string): boolean;
}
export interface Candidate {
  path: string;
  from: string;
}
export interface Found {
  path?: string;
  from?: string;
  error?: string;
}
export interface InstallFacts {
  platform: string;
  uid: number | undefined;
  osRelease: string | undefined;
  hasAptGet: boolean;
  passwordlessSudo: boolean;
}
export type InstallPlan = { run: string[][]; message?: undefined } | { message: string; run?: undefined };

export function browserCandidates(machine: Omit<Machine, 'isExecutable'>): Candidate[];
export function findBrowser(machine: Machine): Found;
export function isDebianLike(osRelease: string): boolean;
export function installPlan(facts: InstallFacts): InstallPlan;
export function locateBrowser(options?: { install?: boolean; log?: (line: string) => void }): Found;
