// Performance marks the UI benchmark (test/bench/ui.mjs) reads back from Chromium. A mark is set
// once per name until the benchmark clears it, so steady re-renders do not move it.

const seen = new Set<string>();

export function benchMark(name: string): void {
  if (seen.has(name)) return;
  seen.add(name);
  performance.mark(`heapscope:${name}`);
}

/** Lets a mark be set again (the benchmark calls this between measurements). */
export function resetBenchMark(name: string): void {
  seen.delete(name);
}

declare global {
  interface Window {
    heapscopeBench?: { reset: (name: string) => void };
  }
}

if (typeof window !== 'undefined') window.heapscopeBench = { reset: resetBenchMark };
