// One open snapshot: process facts on top, the chosen view (summary or dominators) with the
// inspector beside it, and the retainers of the selected object below.
import type { RefObject } from 'react';
import { useStore } from '../app/context';
import type { TabState } from '../app/store';
import { DominatorsView } from './dominators';
import { Inspector } from './inspector';
import { ProcessHeader } from './process-header';
import { RetainersPanel } from './retainers';
import { SearchBox } from './search';
import { SummaryView } from './summary';

export function SnapshotView({
  tab,
  searchRef,
}: {
  tab: TabState;
  searchRef: RefObject<HTMLInputElement | null>;
}) {
  const store = useStore();
  const { info, selection } = tab;
  return (
    <div className="snapshot" data-testid="snapshot-view">
      <ProcessHeader info={info} />
      <div className="toolbar">
        <div className="history-buttons">
          <button
            type="button"
            disabled={!tab.canBack}
            onClick={() => store.back()}
            title="Back (Backspace, Alt+←)"
            aria-label="Back"
            data-testid="history-back"
          >
            ←
          </button>
          <button
            type="button"
            disabled={!tab.canForward}
            onClick={() => store.forward()}
            title="Forward (Alt+→)"
            aria-label="Forward"
            data-testid="history-forward"
          >
            →
          </button>
        </div>
        <div className="view-switch" role="tablist">
          <button
            type="button"
            role="tab"
            aria-selected={selection.view === 'summary'}
            className={selection.view === 'summary' ? 'active' : ''}
            onClick={() => store.select({ view: 'summary' })}
            data-testid="view-summary"
          >
            Summary
          </button>
          <button
            type="button"
            role="tab"
            aria-selected={selection.view === 'dominators'}
            className={selection.view === 'dominators' ? 'active' : ''}
            onClick={() => store.select({ view: 'dominators' })}
            data-testid="view-dominators"
          >
            Dominator tree
          </button>
        </div>
        <SearchBox key={info.id} ref={searchRef} info={info} />
        <button
          type="button"
          onClick={() => store.toggleHelp()}
          title="Keyboard shortcuts (?)"
          aria-label="Keyboard shortcuts"
          data-testid="help-button"
        >
          ?
        </button>
      </div>
      <div className="workspace">
        <div className="main-pane">
          {selection.view === 'summary' ? (
            <SummaryView key={info.id} info={info} selected={selection.node} />
          ) : (
            <DominatorsView key={info.id} info={info} focus={tab.focus} selected={selection.node} />
          )}
        </div>
        <aside className="side-pane">
          {selection.node === null ? (
            <div className="muted pad">Select an object to inspect it.</div>
          ) : (
            <Inspector info={info} node={selection.node} />
          )}
        </aside>
      </div>
      <div className="bottom-pane">
        {selection.node === null ? (
          <div className="muted pad">Retainers of the selected object appear here.</div>
        ) : (
          <RetainersPanel info={info} node={selection.node} />
        )}
      </div>
    </div>
  );
}
