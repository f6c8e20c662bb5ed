// One open snapshot: process facts on top, the chosen view (summary or dominators) with the
// inspector beside it, and the retainers of the selected object below.
import { type RefObject, useRef, useState } from 'react';
import { useStore } from '../app/context';
import type { TabState } from '../app/store';
import { Splitter } from '../components/splitter';
import { DominatorsView } from './dominators';
import { InsightsView } from './insights';
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
  const ref = useRef<HTMLDivElement>(null);
  // Pane sizes in px; null keeps the stylesheet's proportional defaults until the user drags.
  const [sideWidth, setSideWidth] = useState(380);
  const [bottomHeight, setBottomHeight] = useState<number | null>(null);
  const total = () => ref.current?.getBoundingClientRect() ?? { width: 1200, height: 800 };
  const dragSide = (dx: number) =>
    setSideWidth((w) => Math.round(Math.min(total().width * 0.6, Math.max(240, w - dx))));
  const dragBottom = (dy: number) =>
    setBottomHeight((h) => {
      const from = h ?? total().height * 0.26;
      return Math.round(Math.min(total().height * 0.7, Math.max(80, from - dy)));
    });
  return (
    <div
      className="snapshot"
      data-testid="snapshot-view"
      ref={ref}
      style={
        bottomHeight === null ? undefined : { gridTemplateRows: `auto auto minmax(0, 1fr) ${bottomHeight}px` }
      }
    >
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
          <button
            type="button"
            role="tab"
            aria-selected={selection.view === 'insights'}
            className={selection.view === 'insights' ? 'active' : ''}
            onClick={() => store.select({ view: 'insights' })}
            data-testid="view-insights"
          >
            Insights
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
      <div className="workspace" style={{ gridTemplateColumns: `minmax(0, 1fr) ${sideWidth}px` }}>
        <div className="main-pane">
          {selection.view === 'insights' ? (
            <InsightsView key={info.id} info={info} />
          ) : selection.view === 'summary' ? (
            <SummaryView key={info.id} info={info} selected={selection.node} />
          ) : (
            <DominatorsView key={info.id} info={info} focus={tab.focus} selected={selection.node} />
          )}
        </div>
        <aside className="side-pane">
          <Splitter axis="x" onDrag={dragSide} label="Drag to resize the inspector" />
          {selection.node === null ? (
            <div className="muted pad">Select an object to inspect it.</div>
          ) : (
            <Inspector info={info} node={selection.node} />
          )}
        </aside>
      </div>
      <div className="bottom-pane">
        <Splitter axis="y" onDrag={dragBottom} label="Drag to resize the retainers panel" />
        {selection.node === null ? (
          <div className="muted pad">Retainers of the selected object appear here.</div>
        ) : (
          <RetainersPanel info={info} node={selection.node} />
        )}
      </div>
    </div>
  );
}
