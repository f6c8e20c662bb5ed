// The one explanation of a snapshot's consistency (INFO.walkExclusive / gilHeld, docs/FORMAT.md),
// shared so the CLI's warning line and the app's header badge say the same thing.
import type { Consistency } from './contract';

const FORK_ADVICE = 'dump in fork mode (heapscope.dump(path, fork=True)) for a consistent snapshot';

/**
 * Why the graph may not be one state of the heap, or null when it is (or the dump does not say:
 * older dumps lack the keys, and warning on all of them would teach readers to ignore the warning).
 */
export function consistencyNote(c: Consistency | undefined, danglingEdges: number): string | null {
  if (c === 'shared') {
    return (
      'other threads ran while this snapshot was read; expect ' +
      `${danglingEdges.toLocaleString('en-US')} dangling references and objects that look unreachable; ` +
      FORK_ADVICE
    );
  }
  if (c === 'held') {
    return (
      'other threads were held off while this snapshot was read, though one may have run briefly ' +
      `at its start; nearly, not certainly, consistent; ${FORK_ADVICE}`
    );
  }
  return null;
}
