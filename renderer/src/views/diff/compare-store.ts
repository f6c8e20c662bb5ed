// What the Diff view shows, outside React like the app store, so it survives switching to a snapshot
// tab and back, and the URL can carry it (app/deep-link.ts): which snapshots are compared, the table's
// interval, the selected suspect or object, and the side pane's tab. File ▸ Compare Snapshots… and
// the "Compare" tab open it with a default choice; the pickers change it.
import type { DiffChange, NodeIndex, SnapshotId, SnapshotInfo } from '@shared/contract';
import { useSyncExternalStore } from 'react';

/** An interval of the series by position: snapshot 1 → 2, 2 → 3, or the whole series 1 → 3. */
export type IntervalKey = '1-2' | '2-3' | '1-3';
export const INTERVALS: readonly IntervalKey[] = ['1-2', '2-3', '1-3'];

/** How an interval reads everywhere a number covers it. */
export function intervalText(interval: IntervalKey): string {
  return interval.replace('-', '→');
}

/** An object the Diff view inspects, in the snapshot it lives in (freed objects: the older one). */
export interface ComparedObject {
  snapshot: SnapshotId;
  node: NodeIndex;
  /** How it changed, when it was picked from the table's drill-down; null once navigated from there. */
  change: DiffChange | null;
  /** The type row it was picked under (to reveal it in the table again); null with `change`. */
  type: string | null;
}

export type CompareSelection =
  | { kind: 'suspect'; key: string }
  | ({ kind: 'object' } & ComparedObject)
  | null;

export type SidePane = 'suspects' | 'inspector';

export interface CompareState {
  open: boolean;
  base: SnapshotId | null;
  target: SnapshotId | null;
  /** Optional third snapshot: a suspect must then grow in both intervals. */
  final: SnapshotId | null;
  /** The type table's interval; the whole series by default (what the suspects and the report cover). */
  interval: IntervalKey;
  selection: CompareSelection;
  side: SidePane;
}

type Choice = Pick<CompareState, 'base' | 'target' | 'final'>;

const CLOSED: CompareState = {
  open: false,
  base: null,
  target: null,
  final: null,
  interval: '1-2',
  selection: null,
  side: 'suspects',
};

/** Oldest first by dump time (file order when a time is missing). */
export function byDumpTime(infos: SnapshotInfo[]): SnapshotInfo[] {
  return infos
    .map((info, i) => ({ info, i }))
    .sort((a, b) => (a.info.process.dumpTime ?? a.i) - (b.info.process.dumpTime ?? b.i) || a.i - b.i)
    .map((x) => x.info);
}

/**
 * One process is a PID and its start time: PIDs are reused, so two dumps with one PID but different
 * start times come from two processes, whose addresses do not match. A missing fact matches anything.
 */
export function sameProcess(a: SnapshotInfo, b: SnapshotInfo): boolean {
  const known = <T>(x: T | null, y: T | null) => x === null || y === null || x === y;
  // A fork-mode dump's META.processStartTime is read in the forked child (its own start time, new
  // every dump), so there only the PID says which process it was.
  const forked = a.process.options?.fork === true || b.process.options?.fork === true;
  const started = forked || known(a.process.processStartTime, b.process.processStartTime);
  return known(a.process.pid, b.process.pid) && started;
}

/**
 * The default comparison: the three newest snapshots of the newest snapshot's process, oldest first,
 * or the two newest when only two are open. Other processes' snapshots are left out: their
 * addresses do not match.
 */
export function defaultChoice(infos: SnapshotInfo[]): Choice {
  const sorted = byDumpTime(infos);
  const newest = sorted[sorted.length - 1];
  const same = sorted.filter((s) => newest === undefined || sameProcess(s, newest));
  const pool = same.length >= 2 ? same : sorted;
  const pick = pool.slice(-3);
  if (pick.length < 2) return { base: null, target: null, final: null };
  if (pick.length === 2) return { base: pick[0].id, target: pick[1].id, final: null };
  return { base: pick[0].id, target: pick[1].id, final: pick[2].id };
}

/** The whole series: what the suspects and the exported report cover. */
export function wholeSeries(final: SnapshotId | null): IntervalKey {
  return final === null ? '1-2' : '1-3';
}

/** The interval the table shows: 2→3 and 1→3 need a third snapshot. */
export function effectiveInterval(state: Pick<CompareState, 'interval' | 'final'>): IntervalKey {
  return state.final === null ? '1-2' : state.interval;
}

/** The (older, newer) snapshots of the table's interval. */
export function intervalPair(state: CompareState): { base: SnapshotId; target: SnapshotId } | null {
  const { base, target, final } = state;
  if (base === null || target === null) return null;
  const interval = effectiveInterval(state);
  if (interval === '2-3' && final !== null) return { base: target, target: final };
  if (interval === '1-3' && final !== null) return { base, target: final };
  return { base, target };
}

export class CompareStore {
  state: CompareState = CLOSED;
  private readonly listeners = new Set<() => void>();
  /** The user chose something (snapshots, interval, a selection, the side pane, or a URL did). */
  private touched = false;
  /** Snapshots open when the comparison was last opened or restored: one not among them is news. */
  private seen = new Set<SnapshotId>();

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  getState = (): CompareState => this.state;

  /**
   * Opens the Diff view; false (and nothing opens) when fewer than two snapshots are open. A
   * comparison the user chose (before a switch to a snapshot tab) is shown as it was, unless
   * snapshots were opened since (a series just recorded): then the default takes them in.
   */
  open(infos: SnapshotInfo[], choice?: Partial<Choice>): boolean {
    const ids = new Set(infos.map((i) => i.id));
    const s = this.state;
    const kept = s.base !== null && s.target !== null && ids.has(s.base) && ids.has(s.target);
    const news = infos.some((i) => !this.seen.has(i.id));
    this.seen = ids;
    if (kept && this.touched && !news && choice === undefined) {
      this.set({ ...s, open: true });
      return true;
    }
    const chosen = { ...defaultChoice(infos), ...choice };
    if (chosen.base === null || chosen.target === null) return false;
    this.touched = false;
    this.set({ ...CLOSED, open: true, ...chosen, interval: wholeSeries(chosen.final) });
    return true;
  }

  /** A new set of snapshots: the table shows their whole series again, and nothing is selected. */
  choose(patch: Partial<Choice>): void {
    this.touched = true;
    const next = { ...this.state, ...patch };
    this.set({ ...next, interval: wholeSeries(next.final), selection: null });
  }

  /** Everything at once, as a URL names it (app/deep-link.ts); ids must be open (the caller checks). */
  restore(
    state: Omit<CompareState, 'interval'> & { interval: IntervalKey | null },
    openIds: SnapshotId[],
  ): void {
    this.touched = true;
    this.seen = new Set(openIds);
    const interval = state.interval ?? wholeSeries(state.final);
    this.set({ ...state, interval: effectiveInterval({ interval, final: state.final }) });
  }

  setInterval(interval: IntervalKey): void {
    this.touched = true;
    // An object picked in one interval's drill-down may not exist in the other's snapshots.
    const selection = this.state.selection?.kind === 'object' ? null : this.state.selection;
    this.set({
      ...this.state,
      interval: effectiveInterval({ interval, final: this.state.final }),
      selection,
    });
  }

  select(selection: CompareSelection): void {
    this.touched = true;
    const side = selection?.kind === 'object' ? 'inspector' : this.state.side;
    this.set({ ...this.state, selection, side });
  }

  showSide(side: SidePane): void {
    this.touched = true;
    this.set({ ...this.state, side });
  }

  close(): void {
    this.set({ ...this.state, open: false });
  }

  /** A closed snapshot leaves the comparison; the view closes when fewer than two remain. */
  forget(id: SnapshotId): void {
    const s = this.state;
    const next = {
      ...s,
      base: s.base === id ? null : s.base,
      target: s.target === id ? null : s.target,
      final: s.final === id ? null : s.final,
    };
    if (next.base === null || next.target === null) next.open = false;
    if (next.final === null) next.interval = effectiveInterval(next);
    if (next.selection?.kind === 'object' && next.selection.snapshot === id) next.selection = null;
    if (s.base === next.base && s.target === next.target && s.final === next.final) return;
    this.set(next);
  }

  private set(state: CompareState): void {
    this.state = state;
    for (const listener of [...this.listeners]) listener();
  }
}

/** The one compare store of the window. */
export const compareStore = new CompareStore();

export function useCompare(): CompareState {
  return useSyncExternalStore(compareStore.subscribe, compareStore.getState);
}
