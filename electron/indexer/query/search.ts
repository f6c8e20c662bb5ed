// Search by type name (ignoring case), label text (case-sensitive substring) or address; a query in
// double quotes ("GET") matches whole type names and whole labels only. Type names map to their
// object lists (TypeIndex); matching labels are found by scanning the string blob
// (StringTable.markContaining / markEqual) into a bitset of strings, which the label index maps to
// objects. No pass over all nodes, and nothing allocated per match: a needle can match millions of
// labels, and the first page needs only their count and the best 2,000 by retained size. The whole
// list is built only for a page beyond those. Matches group by type name (`groups`, `ofType`).
import type { LabelIndex } from '../graph/aggregates';
import type { HeapGraph } from '../graph/heap-graph';
import { FIRST_OBJECT } from '../graph/layout';
import { sortAll } from '../graph/order';
import { HEAP_WINDOW, TopK } from './rank';

const ADDRESS = /^0x[0-9a-f]+$/i;

/** The matches of one type name: name index, how many, and the largest retained size among them. */
export interface TypeGroup {
  name: number;
  count: number;
  best: number;
}

/** The objects a query matches: how many, and any window of them by retained size, descending. */
export interface Matches {
  readonly total: number;
  window(start: number, end: number): Uint32Array;
  /** The matches' type names, the one holding the largest match first (ties by name). */
  groups(): TypeGroup[];
  /** The matches whose type name is `name` (a name index). */
  ofType(name: number): Matches;
}

/** A query's needle and mode: `"foo"` (in double quotes) is exact, anything else a substring. */
export function parseQuery(query: string): { needle: string; exact: boolean } {
  const q = query.trim();
  if (q.length >= 2 && q.startsWith('"') && q.endsWith('"')) return { needle: q.slice(1, -1), exact: true };
  return { needle: q, exact: false };
}

export function searchMatches(g: HeapGraph, query: string): Matches {
  const q = query.trim();
  if (q === '') return new ListMatches(g, new Uint32Array(0));
  if (ADDRESS.test(q)) {
    // One linear scan (~10 ms at 10M objects) instead of building a hash table for one lookup.
    const target = Number.parseInt(q.slice(2), 16);
    const i = g.address.indexOf(target, FIRST_OBJECT);
    return new ListMatches(g, i >= 0 ? Uint32Array.of(i) : new Uint32Array(0));
  }
  const { needle, exact } = parseQuery(q);
  if (needle === '') return new ListMatches(g, new Uint32Array(0));
  const lower = needle.toLowerCase();
  // Exact: the whole name, or the part after its module ("Request" finds `__main__.Request`).
  const typeMatches = exact
    ? (name: string) => name === needle || name.endsWith(`.${needle}`)
    : (name: string) => name.toLowerCase().includes(lower);
  const types: number[] = [];
  g.types.names.forEach((name, k) => {
    if (typeMatches(name)) types.push(k);
  });
  const strings = new Int32Array((g.strings.count >>> 5) + 1);
  // A label cut at the dumper's limit that equals the needle counts as exact: it is all the file has.
  const labelled = exact
    ? g.strings.markEqual(needle, strings, g.labels.labelFirst)
    : g.strings.markContaining(needle, strings, g.labels.labelFirst);
  return new SearchMatches(g, types, strings, labelled);
}

/**
 * A list of matches (an address's, or one type's among label matches): its first pages from a
 * bounded heap, the whole list sorted only for a page beyond them.
 */
class ListMatches implements Matches {
  private best: Uint32Array | null = null;
  private order: Uint32Array | null = null;

  constructor(
    private readonly g: HeapGraph,
    private readonly items: Uint32Array,
  ) {}

  get total(): number {
    return this.items.length;
  }

  window(start: number, end: number): Uint32Array {
    if (end <= HEAP_WINDOW && this.items.length > HEAP_WINDOW) {
      if (this.best === null) {
        const top = new TopK(this.g.retained, true, HEAP_WINDOW);
        for (const v of this.items) top.offer(v);
        this.best = top.sorted();
      }
      return this.best.subarray(start, end);
    }
    this.order ??= sortAll(this.items, this.g.retained, true);
    return this.order.subarray(start, end);
  }

  groups(): TypeGroup[] {
    const { names, typeIdx2Name } = this.g.types;
    const count = new Float64Array(names.length);
    const best = new Float64Array(names.length).fill(-1);
    for (const v of this.items) {
      const k = typeIdx2Name[this.g.type[v]!]!;
      count[k]!++;
      best[k] = Math.max(best[k]!, this.g.retained[v]!);
    }
    return rankGroups(names, count, best);
  }

  ofType(name: number): Matches {
    const { typeIdx2Name } = this.g.types;
    return new ListMatches(
      this.g,
      this.items.filter((v) => typeIdx2Name[this.g.type[v]!] === name),
    );
  }
}

/** Groups with a count, the one holding the largest match first, ties by name. */
function rankGroups(names: string[], count: Float64Array, best: Float64Array): TypeGroup[] {
  const groups: TypeGroup[] = [];
  for (let k = 0; k < names.length; k++) {
    if (count[k]! > 0) groups.push({ name: k, count: count[k]!, best: best[k]! });
  }
  return groups.sort((a, b) => b.best - a.best || (names[a.name]! < names[b.name]! ? -1 : 1));
}

/** A type's objects, already by retained size descending (TypeIndex.nameNodes). */
class SortedMatches implements Matches {
  constructor(
    private readonly g: HeapGraph,
    private readonly name: number,
    private readonly items: Uint32Array,
  ) {}

  get total(): number {
    return this.items.length;
  }

  window(start: number, end: number): Uint32Array {
    return this.items.subarray(start, end);
  }

  groups(): TypeGroup[] {
    if (this.items.length === 0) return [];
    return [{ name: this.name, count: this.items.length, best: this.g.retained[this.items[0]!]! }];
  }

  ofType(name: number): Matches {
    return name === this.name ? this : new SortedMatches(this.g, name, new Uint32Array(0));
  }
}

/**
 * Objects of the matched types, and objects whose label is one of the matched strings (each object
 * once: one that matches both counts with its type). The loops over matched labels are written out
 * flat, without callbacks: they run millions of times, often in a function's first call.
 */
class SearchMatches implements Matches {
  readonly total: number;
  /** typeSet[k] is 1 when type name k matched. */
  private readonly typeSet: Uint8Array;
  private best: Uint32Array | null = null;
  private order: Uint32Array | null = null;

  constructor(
    private readonly g: HeapGraph,
    private readonly types: number[],
    /** Bit s set when string s matched. */
    private readonly strings: Int32Array,
    labelled: number,
  ) {
    this.typeSet = new Uint8Array(g.types.names.length);
    let total = 0;
    for (const k of types) {
      this.typeSet[k] = 1;
      total += g.types.nameFirst[k + 1]! - g.types.nameFirst[k]!;
    }
    // An object matching by type and by label counts once: with its type. Then the labelled
    // objects must be counted one by one (their types read), and the same pass ranks them for the
    // first page, which is asked for next.
    if (types.length === 0) this.total = labelled;
    else {
      const best = this.typeTop(HEAP_WINDOW);
      this.total = total + this.labelOnly(best, null, true);
      this.best = best.sorted();
    }
  }

  window(start: number, end: number): Uint32Array {
    if (end <= HEAP_WINDOW) {
      this.best ??= this.top(HEAP_WINDOW);
      return this.best.subarray(start, end);
    }
    if (!this.order) {
      const all = new Uint32Array(this.total);
      const { nameFirst, nameNodes } = this.g.types;
      let n = 0;
      for (const t of this.types) {
        all.set(nameNodes.subarray(nameFirst[t]!, nameFirst[t + 1]!), n);
        n += nameFirst[t + 1]! - nameFirst[t]!;
      }
      this.labelOnly(null, all.subarray(n), true);
      this.order = sortAll(all, this.g.retained, true);
    }
    return this.order.subarray(start, end);
  }

  groups(): TypeGroup[] {
    const { names, nameFirst, nameNodes } = this.g.types;
    const count = new Float64Array(names.length);
    const best = new Float64Array(names.length).fill(-1);
    for (const k of this.types) {
      count[k] = nameFirst[k + 1]! - nameFirst[k]!;
      if (count[k]! > 0) best[k] = this.g.retained[nameNodes[nameFirst[k]!]!]!;
    }
    const { labelType, labelRetained } = this.g.labels;
    this.eachLabelRun((from, to) => {
      for (let j = from; j < to; j++) {
        const k = labelType[j]!;
        if (this.typeSet[k] === 1) continue; // counted with its type
        count[k]!++;
        if (labelRetained[j]! > best[k]!) best[k] = labelRetained[j]!;
      }
    });
    return rankGroups(names, count, best);
  }

  ofType(name: number): Matches {
    const { nameFirst, nameNodes } = this.g.types;
    if (this.typeSet[name] === 1) {
      return new SortedMatches(this.g, name, nameNodes.subarray(nameFirst[name]!, nameFirst[name + 1]!));
    }
    const { labelType, labelNodes } = this.g.labels;
    let n = 0;
    this.eachLabelRun((from, to) => {
      for (let j = from; j < to; j++) if (labelType[j] === name) n++;
    });
    // Every match is of this type (one group, as a value's search often is): the whole list's own
    // ranking serves it.
    if (n === this.total && this.types.length === 0) return this;
    const items = new Uint32Array(n);
    n = 0;
    this.eachLabelRun((from, to) => {
      for (let j = from; j < to; j++) if (labelType[j] === name) items[n++] = labelNodes[j]!;
    });
    return new ListMatches(this.g, items);
  }

  /**
   * Calls `visit` with each range [from, to) of label index entries whose strings matched (for
   * grouping, which reads every match once; the ranking loops below stay flat).
   */
  private eachLabelRun(visit: (from: number, to: number) => void): void {
    const { labelFirst } = this.g.labels;
    const { strings } = this;
    for (let w = 0; w < strings.length; w++) {
      let word = strings[w]!;
      while (word !== 0) {
        const bit = 31 - Math.clz32(word & -word);
        word &= word - 1;
        const s = w * 32 + bit;
        if (labelFirst[s]! < labelFirst[s + 1]!) visit(labelFirst[s]!, labelFirst[s + 1]!);
      }
    }
  }

  /** The best `k` matches (no type matched; else the constructor made them). */
  private top(k: number): Uint32Array {
    const best = this.typeTop(k);
    this.labelOnly(best, null, false);
    return best.sorted();
  }

  /** A heap of the best `k` objects of the matched types: a type's list is sorted already. */
  private typeTop(k: number): TopK {
    const { nameFirst, nameNodes } = this.g.types;
    const best = new TopK(this.g.retained, true, k);
    const { retained } = this.g;
    for (const t of this.types) {
      // Sorted by retained size, ties by node: after the first node the heap turns away, so would it
      // every later one.
      const to = Math.min(nameFirst[t]! + k, nameFirst[t + 1]!);
      for (let i = nameFirst[t]!; i < to; i++) {
        const v = nameNodes[i]!;
        if (!best.admits(v, retained[v]!)) break;
        best.offerKeyed(v, retained[v]!);
      }
    }
    return best;
  }

  /**
   * The objects labelled with a matched string whose type did not match: offered to `best` if
   * given, written to `out` if given, and counted if `count` (else 0 is returned).
   */
  private labelOnly(best: TopK | null, out: Uint32Array | null, count: boolean): number {
    const { strings } = this;
    let n = 0;
    // Runs of consecutive matched strings, joined across words: their objects are one range of the
    // label index (a needle that matches most labels makes runs of millions).
    let runStart = 0;
    let runEnd = 0;
    for (let w = 0; w < strings.length; w++) {
      let word = strings[w]!;
      while (word !== 0) {
        const start = 31 - Math.clz32(word & -word);
        const rest = ~(word >>> start);
        const length = rest === 0 ? 32 - start : 31 - Math.clz32(rest & -rest);
        word = start + length === 32 ? 0 : word & ~(((1 << length) - 1) << start);
        const from = w * 32 + start;
        if (from !== runEnd) {
          n = this.labelRun(runStart, runEnd, best, out, count, n);
          runStart = from;
        }
        runEnd = from + length;
      }
    }
    return this.labelRun(runStart, runEnd, best, out, count, n);
  }

  /** labelOnly for the objects labelled with strings [first, end); `n` found before them. */
  private labelRun(
    first: number,
    end: number,
    best: TopK | null,
    out: Uint32Array | null,
    count: boolean,
    n: number,
  ): number {
    const labels = this.g.labels;
    const from = labels.labelFirst[first]!;
    const to = labels.labelFirst[end]!;
    if (from === to) return n;
    const skip = this.types.length > 0 ? this.typeSet : null;
    if (best) {
      // A short run (a sparse match: one string, one object, most often) has no block to skip.
      if (to - from >= 1 << labels.blockBits) offerLabels(best, labels, from, to, skip);
      else offerEntries(best, labels, from, to, skip);
    }
    if (!count && !out) return n;
    if (!skip) {
      if (out) out.set(labels.labelNodes.subarray(from, to), n);
      return n + (to - from);
    }
    const { labelNodes, labelType } = labels;
    for (let j = from; j < to; j++) {
      if (skip[labelType[j]!] === 1) continue;
      if (out) out[n] = labelNodes[j]!;
      n++;
    }
    return n;
  }
}

/**
 * Offers label index entries [from, to) to `best` (by retained size, descending), skipping each
 * whole block whose best entry it would not keep: once a dense match has filled the first page,
 * that is nearly every block. With `skip`, entries of those type names are not offered (they were,
 * with their type).
 */
function offerLabels(
  best: TopK,
  labels: LabelIndex,
  from: number,
  to: number,
  skip: Uint8Array | null,
): void {
  const { blockBits, blockRetained, blockNode } = labels;
  const entries = labels.labelNodes.length;
  let j = from;
  while (j < to) {
    const b = j >>> blockBits;
    const blockStart = b << blockBits;
    const blockEnd = Math.min(entries, blockStart + (1 << blockBits));
    const end = Math.min(to, blockEnd);
    const whole = j === blockStart && end === blockEnd;
    if (!whole || best.admits(blockNode[b]!, blockRetained[b]!)) offerEntries(best, labels, j, end, skip);
    j = end;
  }
}

/** Offers label index entries [from, to) to `best`, but those whose type name is marked in `skip`. */
function offerEntries(
  best: TopK,
  labels: LabelIndex,
  from: number,
  to: number,
  skip: Uint8Array | null,
): void {
  const { labelNodes, labelType, labelRetained } = labels;
  if (!skip) {
    best.offerRange(labelNodes, labelRetained, from, to);
    return;
  }
  for (let j = from; j < to; j++) {
    if (skip[labelType[j]!] !== 1) best.offerKeyed(labelNodes[j]!, labelRetained[j]!);
  }
}
