// What a new root is, as a stable signature: growth that hangs from no pre-existing object is grouped
// by the kind of root it hangs from and by what that root is — modules by name pattern (`plugin_#`),
// threads by name pattern (`worker-#`), objects only C code holds by type plus defining code (a
// function's qualname and file:line, a class name). The same root kind in two snapshots has the same
// signature, so new roots net against freed ones (a thread pool replacing its threads stays quiet).
import type { GraphView } from '../diff/view';
import { describeObject } from './identity';
import { foldDigits, SIG_SEPARATOR } from './signature';

export const NEW_MODULES = 'new modules in sys.modules';
export const NEW_THREADS = 'new threads';
export const HELD_ONLY_FROM_C = 'held only from C';
export const NEW_ROOTS = 'new roots';

const ROOT_KINDS = [NEW_MODULES, NEW_THREADS, HELD_ONLY_FROM_C, NEW_ROOTS];
const ROOT_KIND_PREFIXES = ROOT_KINDS.map((kind) => `${kind}${SIG_SEPARATOR}`);

/** `new threads › worker-#`: the group a new root's growth is charged to. */
export function rootSignature(view: GraphView, root: number): string {
  const kinds = view.rootKinds(root);
  if (kinds.includes('module')) return `${NEW_MODULES}${SIG_SEPARATOR}${foldDigits(view.label(root))}`;
  if (kinds.includes('thread')) {
    // Thread frames are roots each; the thread's name (from the root record) groups them.
    const record = view.rootRecordLabel(root) ?? '';
    const name = /^Thread (.+?) \(ident/.exec(record)?.[1] ?? record;
    return `${NEW_THREADS}${SIG_SEPARATOR}${foldDigits(name)}`;
  }
  if (kinds.length === 1 && kinds[0] === 'held-from-c')
    return `${HELD_ONLY_FROM_C}${SIG_SEPARATOR}${describeObject(view, root)}`;
  return `${NEW_ROOTS}${SIG_SEPARATOR}${foldDigits(view.rootLabel(root) ?? '')}`;
}

// `Thread worker-3 (ident 1407…)`: a thread's name and ident, the same in every frame's root record.
const THREAD_RECORD = /^(Thread .+? \(ident \d+\))/;

/** What one root counts as: a thread (all its frames are roots), or the root object itself. */
export function rootUnit(view: GraphView, root: number): string {
  const thread = THREAD_RECORD.exec(view.rootRecordLabel(root) ?? '');
  return thread ? thread[1] : `node ${root}`;
}

const threadsByView = new WeakMap<GraphView, Set<string>>();

/**
 * Whether `unit` (from rootUnit) is a thread that also runs in `other`. A thread that was running
 * already is no new thread even when its stack has a new frame (a worker dumped before it reached its
 * wait has a frame more in the next snapshot), and a thread still running was not freed.
 */
export function threadRunsIn(other: GraphView, unit: string): boolean {
  let threads = threadsByView.get(other);
  if (!threads) {
    threads = new Set();
    for (const label of other.rootRecordLabels()) {
      const thread = THREAD_RECORD.exec(label);
      if (thread) threads.add(thread[1]);
    }
    threadsByView.set(other, threads);
  }
  return threads.has(unit);
}

/** The root kind a signature was built for, or null for an ordinary holder's signature. */
export function rootKindOf(signature: string): string | null {
  for (let i = 0; i < ROOT_KINDS.length; i++)
    if (signature.startsWith(ROOT_KIND_PREFIXES[i])) return ROOT_KINDS[i];
  return null;
}

/** The part after the kind: `plugin_#`, `worker-#`, `function handle.<locals>.<lambda> (svc.py:13)`. */
export function rootWhat(signature: string): string {
  const at = signature.indexOf(SIG_SEPARATOR);
  return at < 0 ? signature : signature.slice(at + SIG_SEPARATOR.length);
}
