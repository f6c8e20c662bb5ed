// What INFO says about other threads during the read (docs/FORMAT.md, INFO): the reader keeps INFO as
// parsed JSON; this turns its two consistency keys into the one fact the CLI and the UI warn about.
import type { Consistency } from '../../shared/contract';

/** `walkExclusive` decides; `gilHeld` only matters when it is false. Anything else is 'unknown'. */
export function consistencyOf(info: Record<string, unknown> | null): Consistency {
  const exclusive = info?.walkExclusive;
  if (exclusive === true) return 'exclusive';
  if (exclusive !== false) return 'unknown'; // older dumps (no key) or a value out of spec
  const held = info?.gilHeld;
  if (held === true) return 'held';
  // A missing gilHeld with walkExclusive false cannot be told from a shared read: warn.
  return 'shared';
}
