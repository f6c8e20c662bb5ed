// The strip of open snapshots, plus the button that opens another.
import type { SnapshotId } from '@shared/contract';
import type { TabState } from '../app/store';

interface TabsProps {
  tabs: TabState[];
  active: SnapshotId | null;
  onActivate: (id: SnapshotId | null) => void;
  onClose: (id: SnapshotId) => void;
  compareOpen: boolean;
  onCompare: () => void;
}

export function Tabs({ tabs, active, onActivate, onClose, compareOpen, onCompare }: TabsProps) {
  return (
    <div className="tabs" role="tablist" data-testid="tabs">
      <button
        type="button"
        role="tab"
        aria-selected={active === null && !compareOpen}
        className={`tab home ${active === null && !compareOpen ? 'active' : ''}`}
        onClick={() => onActivate(null)}
        title="Welcome: open another snapshot"
        data-testid="tab-home"
      >
        ⌂
      </button>
      {tabs.map((t) => (
        <div
          key={t.info.id}
          className={`tab ${t.info.id === active ? 'active' : ''}`}
          title={t.info.path ?? t.info.name}
          data-testid="tab"
        >
          <button
            type="button"
            role="tab"
            aria-selected={t.info.id === active}
            className="tab-name"
            onClick={() => onActivate(t.info.id)}
          >
            {t.info.name}
          </button>
          <button
            type="button"
            className="tab-close"
            aria-label={`Close ${t.info.name}`}
            onClick={() => onClose(t.info.id)}
          >
            ×
          </button>
        </div>
      ))}
      {tabs.length >= 2 && (
        <button
          type="button"
          role="tab"
          aria-selected={compareOpen}
          className={`tab tab-compare ${compareOpen ? 'active' : ''}`}
          onClick={onCompare}
          title="Compare snapshots: what grew, and the leak suspects"
          data-testid="tab-compare"
        >
          Compare
        </button>
      )}
    </div>
  );
}
