// The environment every process that indexes snapshots is started with (the CLI, browser mode,
// the desktop app from `npm start`, the benchmark's children).
//
// On Linux it asks glibc to back large allocations with transparent huge pages
// (`glibc.malloc.hugetlb=1`: malloc madvises its mmap'd chunks, glibc ≥ 2.35; older ones ignore
// the tunable). The indexer touches ~2 GB of fresh typed arrays for 10M objects, at random: with
// 4 KiB pages that is ~550k page faults and as many TLB misses. On a VM where a fault costs ~13 µs
// (measured: this project's 2-core build machine, 2026-12) huge pages took a 10M-object load from
// 15.1 s to 7.3 s; docs/PERFORMANCE.md has both measurements and the one machine where they did
// not pay. glibc reads tunables only at process start, so this has to be in the environment of
// the process, not set from inside it. HEAPSCOPE_HUGE_PAGES=0 turns it off.
//
// Not covered: the packaged desktop app when the OS starts it (a file manager, the .pyheap file
// association): nothing sets its environment. Electron's main process would have to relaunch
// itself, or run the indexer in a utility process started with this environment; that belongs
// with the installers, which cannot be built or run here.

const TUNABLE = 'glibc.malloc.hugetlb';

/** `env` with the huge-page tunable added, unless turned off, already set, or not on Linux. */
export function indexerEnv(env = process.env, platform = process.platform) {
  if (platform !== 'linux' || env.HEAPSCOPE_HUGE_PAGES === '0') return env;
  const tunables = env.GLIBC_TUNABLES ?? '';
  if (tunables.includes(`${TUNABLE}=`)) return env; // the user's own choice stands
  return { ...env, GLIBC_TUNABLES: tunables ? `${tunables}:${TUNABLE}=1` : `${TUNABLE}=1` };
}
