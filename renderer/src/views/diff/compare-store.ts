// Which snapshots the Diff view compares, outside React like the app store: File ▸ Compare
// Snapshots… and the "Compare" action open it with a default choice, the pickers change it.
import type { SnapshotId, SnapshotInfo } from '@shared/contract';
import { useSyncExternalStore } from 'react';

export interface CompareState {
  open: boolean;
  base: SnapshotId | null;
  target: SnapshotId | null;
  /** Optional third snapshot: a suspect must then grow in both intervals. */
  final: SnapshotId | null;
}

const CLOSED: CompareState = { open: false, base: null, target: null, final: null };

/** Oldest first by dump time (file order when a time is missing). */
export function byDumpTime(infos: SnapshotInfo[]): SnapshotInfo[] {
  return infos
    .map((info, i) => ({ info, i }))
    .sort((a, b) => (a.info.process.dumpTime ?? a.i) - (b.info.process.dumpTime ?? b.i) || a.i - b.i)
    .map((x) => x.info);
}

/**
 * The default comparison: the three newest snapshots of the newest snapshot's process, oldest first,
 * or the two newest when only two are open. Other processes' snapshots are left out: their
 * addresses do not match.
 */
export function defaultChoice(infos: SnapshotInfo[]): Omit<CompareState, 'open'> {
  const sorted = byDumpTime(infos);
  const newest = sorted[sorted.length - 1];
  const same = sorted.filter((s) => newest === undefined || s.process.pid === newest.process.pid);
  const pool = same.length >= 2 ? same : sorted;
  const pick = pool.slice(-3);
  if (pick.length < 2) return { base: null, target: null, final: null };
  if (pick.length === 2) return { base: pick[0].id, target: pick[1].id, final: null };
  return { base: pick[0].id, target: pick[1].id, final: pick[2].id };
}

export class CompareStore {
  state: CompareState = CLOSED;
  private readonly listeners = new Set<() => void>();

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  getState = (): CompareState => this.state;

  /** Opens the Diff view; false (and nothing opens) when fewer than two snapshots are open. */
  open(infos: SnapshotInfo[], choice?: Partial<Omit<CompareState, 'open'>>): boolean {
    const chosen = { ...defaultChoice(infos), ...choice };
    if (chosen.base === null || chosen.target === null) return false;
    this.set({ open: true, ...chosen });
    return true;
  }

  choose(patch: Partial<Omit<CompareState, 'open'>>): void {
    this.set({ ...this.state, ...patch });
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
