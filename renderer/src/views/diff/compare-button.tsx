// "Compare" in the tab strip: opens the Diff view on the open tabs (two newest of one process, or
// three), the same as File ▸ Compare Snapshots…. Hidden until two snapshots are open.
import { useAppState } from '../../app/context';
import { compareStore, useCompare } from './compare-store';

export function CompareButton() {
  const { tabs } = useAppState();
  const compare = useCompare();
  if (tabs.length < 2) return null;
  return (
    <button
      type="button"
      className={`compare-launch ${compare.open ? 'active' : ''}`}
      onClick={() => (compare.open ? compareStore.close() : openCompare(tabs.map((t) => t.info)))}
      title="Compare the open snapshots: what grew, and what leaks"
      data-testid="compare-open"
    >
      {compare.open ? 'Close comparison' : 'Compare snapshots'}
    </button>
  );
}

/** File ▸ Compare Snapshots… and the button: false when there is nothing to compare. */
export function openCompare(infos: Parameters<typeof compareStore.open>[0]): boolean {
  return compareStore.open(infos);
}
