// One sentence per suspect, in the words of the path: "dict `_SESSION_CACHE` in module `app` gained
// 2,000 `Session` entries (+4.1 MB) between snapshots".
import type { LeakSuspect } from '@shared/contract';
import { formatBytes, formatBytesDelta, formatCount, formatPercent } from '../report/format';
import { HELD_ONLY_FROM_C, NEW_MODULES, NEW_THREADS, rootWhat } from './new-roots';

export const PATH_SEPARATOR = ' → ';

/** What "held only from C" means, said once wherever it is the holder. */
export const HELD_FROM_C_ONLY_TEXT =
  'held only from C code — not referenced by any Python object: a C-level registry or a leaked reference';

/** A step repeated many times in a row (a linked list's `.next`) reads once with its count. */
export function foldPathText(path: string): string {
  const segments = path.split(PATH_SEPARATOR);
  const out: string[] = [];
  for (let i = 0; i < segments.length; ) {
    let j = i + 1;
    while (j < segments.length - 1 && segments[j] === segments[i]) j++;
    const run = j - i;
    out.push(run > 2 ? `${segments[i]} (×${formatCount(run)})` : segments.slice(i, j).join(PATH_SEPARATOR));
    i = j;
  }
  return out.join(PATH_SEPARATOR);
}

/** Where the holder lives, from its path text: the root's module or thread, and an expression for it. */
export function nameFromPath(
  path: string,
  holderType: string,
): { owner: string; name: string; inside: boolean; globals: boolean } {
  const segments = path.split(PATH_SEPARATOR);
  const root = segments[0] ?? '';
  let rest = segments.slice(1);
  // Paths end with the type of the object they lead to; it is not part of the name.
  const lastSeg = rest[rest.length - 1];
  if (lastSeg !== undefined && (lastSeg === holderType || holderType.endsWith(`.${lastSeg}`)))
    rest = rest.slice(0, -1);
  const module = /^module (\S+)/.exec(root);
  const thread = /^Thread ([^ (·]+)/.exec(root);
  const heldFromC = /^(\S+) \(held from C\)$/.exec(root);
  const frame = /^frame (\S+) (\S+?):(\d+)/.exec(root);
  const owner = module
    ? `module \`${module[1]}\``
    : thread
      ? `a frame of thread \`${thread[1]}\``
      : heldFromC
        ? `a \`${heldFromC[1]}\` held from C`
        : frame
          ? `the running frame of \`${frame[1]}\` (${frame[2].split(/[\\/]/).pop()}:${frame[3]})`
          : `\`${root}\``;
  // An unnamed last step (`<dict>`: a reference the dumper could not name, as in an lru_cache's
  // internal dict) reads "dict inside `render`" rather than "`render<dict>`".
  let inside = false;
  while (rest.length > 0 && /^<[^>]+>$/.test(rest[rest.length - 1])) {
    rest = rest.slice(0, -1);
    inside = true;
  }
  // A trailing `.__dict__` is the namespace of what precedes it (a module's globals, a class's dict).
  let namespace = false;
  if (rest[rest.length - 1] === '.__dict__') {
    rest = rest.slice(0, -1);
    namespace = true;
  }
  // `closure history of make.<locals>.audit` (the path text names the function after the path's
  // own step to it) reads `.<closure history>`, as the older
  // `.__closure__ → closure history → closure history` (function → cell → contents) does.
  const kept = rest.filter((seg, i) => seg !== '.__closure__' && seg !== rest[i - 1]);
  const parts = kept.map((seg) => {
    const local = /^local (.+)$/.exec(seg);
    if (local) return local[1];
    // A module global or identifier key reads as an attribute: `['_CACHE']` → `._CACHE`.
    const key = /^\['([A-Za-z_]\w*)'\]$/.exec(seg);
    if (key) return `.${key[1]}`;
    const closure = /^closure (\S+)(?: of .+)?$/.exec(seg);
    if (closure) return `.<closure ${closure[1]}>`;
    return seg;
  });
  let name = parts.join('').replace(/^\./, '');
  if (name.length > 60) name = `…${parts.slice(-3).join('')}`;
  if (name === '') name = module ? module[1] : root;
  if (namespace)
    return { owner, name: `${name}.__dict__`, inside, globals: rest.length === 0 && module !== null };
  return { owner, name, inside, globals: false };
}

export function shortType(type: string): string {
  const dot = type.lastIndexOf('.');
  return dot >= 0 ? type.slice(dot + 1) : type;
}

/** `roots`: for growth hanging from new roots, how many came in each interval, and what they are called. */
function when(s: LeakSuspect, roots?: { perInterval: number[]; noun: (n: number) => string }): string {
  if (s.intervals.length < 2) return 'between snapshots';
  const count = (i: number) => (roots ? `${roots.noun(roots.perInterval[i] ?? 0)} / ` : '');
  return `in every interval (${s.intervals.map((iv, i) => `${count(i)}${formatBytesDelta(iv.bytes)}`).join(', then ')})`;
}

/** `handle.<locals>.<lambda>` (svc.py:13): an entry's specific name, for a sentence. */
export function entryText(entry: { type: string; name?: string }): string {
  const type = `\`${shortType(entry.type)}\``;
  if (!entry.name) return type;
  const m = /^(.*) (\([^()]*:\d+\))$/.exec(entry.name);
  return m ? `${type} \`${m[1]}\` ${m[2]}` : `${type} \`${entry.name}\``;
}

export interface GrowthContext {
  /** The new-root kind of the suspect's signature (./new-roots.ts), or null. */
  rootKind?: string | null;
  signature?: string;
  /** The holder is a namespace slot whose object was replaced by a new one. */
  replaced?: boolean;
  /** For growth hanging from new roots: new roots net of freed ones, per interval (oldest first). */
  roots?: number[];
  /** Growth in size, not count: how many objects were replaced by bigger ones (0: not this case). */
  replacedBySize?: number;
}

/** `1 thread`, `60 threads`: a count and its noun. */
function counted(n: number, one: string, many: string): string {
  return `${formatCount(n)} ${n === 1 ? one : many}`;
}

/** What `n` new roots are called in a per-interval count: `60 threads`, `1 \`Connection\``. */
function rootNoun(kind: string, signature: string, n: number): string {
  if (kind === NEW_MODULES) return counted(n, 'module', 'modules');
  if (kind === NEW_THREADS) return counted(n, 'thread', 'threads');
  if (kind === HELD_ONLY_FROM_C) {
    const m = /^(\S+)(?: (.*))?$/.exec(rootWhat(signature));
    return `${formatCount(n)} ${entryText({ type: m?.[1] ?? rootWhat(signature), name: m?.[2] })}`;
  }
  return counted(n, 'root', 'roots');
}

/** The subject of a suspect whose growth hangs from new roots: what they are and what holds them. */
function rootSubject(s: LeakSuspect, kind: string, signature: string): string {
  const what = rootWhat(signature);
  const n = s.holderCount;
  if (kind === NEW_MODULES)
    return `${counted(n, 'new module', 'new modules')} \`${what.replace(/#/g, '*')}\` in \`sys.modules\``;
  if (kind === NEW_THREADS)
    return `${counted(n, 'new thread', 'new threads')} \`${what.replace(/#/g, '*')}\` that ${n === 1 ? 'has' : 'have'} not exited, with ${n === 1 ? 'its stack' : 'their stacks'}`;
  if (kind === HELD_ONLY_FROM_C) {
    const m = /^(\S+)(?: (.*))?$/.exec(what);
    const entry = entryText({ type: m?.[1] ?? what, name: m?.[2] });
    return `${formatCount(n)} new ${entry} ${n === 1 ? 'object' : 'objects'} ${HELD_FROM_C_ONLY_TEXT},`;
  }
  return `${counted(n, 'new root', 'new roots')} \`${what}\``;
}

/** `notes`: clauses appended after the growth (objects shared with other holders, ./shared-notes.ts). */
export function describeGrowth(
  s: LeakSuspect,
  notes: (owner: string) => string[] = () => [],
  context: GrowthContext = {},
): string {
  const { owner, name, inside, globals } = nameFromPath(s.path, s.holder.type);
  const extra = notes(owner)
    .map((clause) => `; ${clause}`)
    .join('');
  const where = inside ? 'inside ' : '';
  const heldFromC = /^(\S+) \(held from C\)$/.exec(s.path);
  // The module object itself, not its globals (they would be `.__dict__` or a slot): what hangs
  // from it directly is in its C-level state (3.8's `atexit` callbacks).
  const moduleItself = s.holder.type === 'module' && /^module \S+$/.test(s.path);
  const replaced = context.replaced ? ` (a new \`${shortType(s.holder.type)}\` in every snapshot)` : '';
  // Many holders share one folded path: name them by it (`_SESSIONS['req-#'].history`), not by one of them.
  const subject = context.rootKind
    ? rootSubject(s, context.rootKind, context.signature ?? s.signature)
    : moduleItself && s.holderCount === 1
      ? `module \`${name}\` (in its C-level state)`
      : heldFromC && s.holderCount === 1
        ? `a \`${shortType(heldFromC[1])}\` ${HELD_FROM_C_ONLY_TEXT},`
        : s.holderCount > 1
          ? `${formatCount(s.holderCount)} \`${s.holder.type}\` objects ${where || 'at '}\`${name.replace(/\[\d+\]/g, '[*]').replace(/\d+/g, '#')}\` in ${owner}`
          : globals
            ? `the globals of ${owner}`
            : `${s.holder.type} ${where}\`${name}\` in ${owner}${replaced}`;
  const entry = s.types[0];
  if (context.rootKind) {
    // The subject counts the new roots of all intervals; each interval's share is said with its bytes.
    const kind = context.rootKind;
    const signature = context.signature ?? s.signature;
    const roots = context.roots && {
      perInterval: context.roots,
      noun: (n: number) => rootNoun(kind, signature, n),
    };
    return `${subject} grew by ${formatBytesDelta(s.retainedGrowthBytes)} (${counted(s.countGrowth, 'object', 'objects')}${entry ? `, mostly ${entryText(entry)}` : ''}) ${when(s, roots)}${extra}`;
  }
  if (entry && context.replacedBySize) {
    // Same number of things, each bigger: a str rebuilt by `+=` is a new object every time.
    const n = context.replacedBySize;
    // The slot's own object is what gets replaced (`_LOG += line` in a module global).
    if (context.replaced && s.countGrowth <= 0)
      return `${subject} grew by ${formatBytesDelta(s.retainedGrowthBytes)}, each new one bigger than the last, ${when(s)}${extra}`;
    return `${subject} grew by ${formatBytesDelta(s.retainedGrowthBytes)} as ${formatCount(n)} ${entryText(entry)} ${n === 1 ? 'entry was' : 'entries were'} replaced by bigger ones${s.countGrowth !== 0 ? ` (${counted(s.countGrowth, 'object', 'objects')} net)` : ''} ${when(s)}${extra}`;
  }
  if (entry && s.countGrowth > 0) {
    // A set or dict that gains entries also grows its table; say so, but the entries are the story.
    const own = s.ownGrowthBytes > 0 ? `; its own size ${formatBytesDelta(s.ownGrowthBytes)}` : '';
    return `${subject} gained ${formatCount(entry.count)} ${entryText(entry)} ${entry.count === 1 ? 'entry' : 'entries'} (${formatBytesDelta(s.retainedGrowthBytes)}, ${counted(s.countGrowth, 'object', 'objects')}${own}) ${when(s)}${extra}`;
  }
  return `${subject} grew by ${formatBytesDelta(s.retainedGrowthBytes)}${s.ownGrowthBytes > 0 ? ' in its own size' : ''} ${when(s)}${extra}`;
}

export function describeLargeHolder(s: LeakSuspect, heapBytes: number): string {
  const { owner, name, inside } = nameFromPath(s.path, s.holder.type);
  const entry = s.types[0];
  const children = s.holder.dominatedCount;
  const what = entry
    ? ` in ${formatCount(children)} object${children === 1 ? '' : 's'} directly under it, mostly \`${shortType(entry.type)}\``
    : '';
  return `${s.holder.type} ${inside ? 'inside ' : ''}\`${name}\` in ${owner} retains ${formatBytes(s.holder.retained)} (${formatPercent(s.holder.retained / Math.max(1, heapBytes))} of the heap)${what}`;
}
