// One open snapshot: process facts on top, the chosen view (summary or dominators) with the
// inspector beside it, and the retainers of the selected object below.
import { type RefObject, useEffect, useRef, useState } from 'react';
import { useStore } from '../app/context';
import type { TabState } from '../app/store';
import { Splitter } from '../components/splitter';
import {
  clampBottom,
  clampSide,
  DEFAULT_PANES,
  loadPaneSizes,
  type PaneSizes,
  savePaneSizes,
} from '../lib/pane-sizes';
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
  const { sideWidth, bottomHeight, dragSide, dragBottom, reset } = usePaneSizes(ref);
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
          <Splitter
            axis="x"
            onDrag={dragSide}
            onReset={() => reset('side')}
            label="Drag to resize the inspector (double-click: default width)"
            testId="splitter-side"
          />
          {selection.node === null ? (
            <div className="muted pad">Select an object to inspect it.</div>
          ) : (
            <Inspector info={info} node={selection.node} />
          )}
        </aside>
      </div>
      <div className="bottom-pane">
        <Splitter
          axis="y"
          onDrag={dragBottom}
          onReset={() => reset('bottom')}
          label="Drag to resize the retainers panel (double-click: default height)"
          testId="splitter-bottom"
        />
        {selection.node === null ? (
          <div className="muted pad">Retainers of the selected object appear here.</div>
        ) : (
          <RetainersPanel info={info} node={selection.node} />
        )}
      </div>
    </div>
  );
}

/**
 * The inspector's width and the retainers panel's height: as last dragged (remembered across reloads
 * and tabs), clamped to this view's size now; a reset returns one of them to its default.
 */
function usePaneSizes(ref: RefObject<HTMLDivElement | null>) {
  const [sizes, setSizes] = useState<PaneSizes>(() => loadPaneSizes(globalThis.localStorage));
  const [box, setBox] = useState(() => ({ width: window.innerWidth, height: window.innerHeight }));
  useEffect(() => {
    const el = ref.current;
    if (el === null) return;
    const observer = new ResizeObserver(() => setBox({ width: el.clientWidth, height: el.clientHeight }));
    observer.observe(el);
    return () => observer.disconnect();
  }, [ref]);
  useEffect(() => savePaneSizes(globalThis.localStorage, sizes), [sizes]);

  const sideWidth = clampSide(sizes.side, box.width);
  const bottomHeight = sizes.bottom === null ? null : clampBottom(sizes.bottom, box.height);
  return {
    sideWidth,
    bottomHeight,
    // From the size in use, not the one saved: dragging back from past a limit moves at once.
    dragSide: (dx: number) =>
      setSizes((s) => ({ ...s, side: clampSide(clampSide(s.side, box.width) - dx, box.width) })),
    dragBottom: (dy: number) =>
      setSizes((s) => {
        const from = s.bottom ?? ref.current?.querySelector('.bottom-pane')?.clientHeight ?? 200;
        return { ...s, bottom: clampBottom(clampBottom(from, box.height) - dy, box.height) };
      }),
    reset: (pane: 'side' | 'bottom') => setSizes((s) => ({ ...s, [pane]: DEFAULT_PANES[pane] })),
  };
}
