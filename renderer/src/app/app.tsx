// The window: tabs of open snapshots, the active one (or the welcome screen), loads in progress
// and the one-line error. Everything else lives in views/.
import { useEffect, useRef, useState } from 'react';
import { ProgressCard } from '../components/progress';
import { Tabs } from '../components/tabs';
import { CaptureDialogHost } from '../views/capture';
import { compareStore, useCompare } from '../views/diff/compare-store';
import { CompareView } from '../views/diff/compare-view';
import { ShortcutsHelp } from '../views/shortcuts-help';
import { SnapshotView } from '../views/snapshot-view';
import { Welcome } from '../views/welcome';
import { useAppState, useStore } from './context';
import { useDeepLinks } from './deep-link';
import { openCompare, useShellEvents } from './shell-events';
import { useShortcuts } from './shortcuts';

export function App() {
  const store = useStore();
  const state = useAppState();
  const compare = useCompare();
  const searchRef = useRef<HTMLInputElement>(null);
  const [ready, setReady] = useState(false);
  useEffect(() => {
    store.init().finally(() => setReady(true));
  }, [store]);
  useShortcuts(store, searchRef);
  useShellEvents(store);
  useDeepLinks(store, ready);

  const tab = state.tabs.find((t) => t.info.id === state.active);
  const title = tab === undefined ? 'Heapscope' : `${tab.info.name} — Heapscope`;
  useEffect(() => {
    document.title = title;
  }, [title]);
  return (
    <div className="app">
      <Tabs
        tabs={state.tabs}
        active={compare.open ? null : state.active}
        compareOpen={compare.open}
        onCompare={() => openCompare(store)}
        onActivate={(id) => {
          compareStore.close();
          store.activate(id);
        }}
        onClose={(id) => {
          compareStore.forget(id);
          void store.close(id);
        }}
      />
      {state.error !== null && (
        <div className="error-banner" role="alert" data-testid="error">
          <span>{state.error}</span>
          <button type="button" onClick={() => store.dismissError()} aria-label="Dismiss">
            ×
          </button>
        </div>
      )}
      {state.notice !== null && (
        <div className="notice" role="status" data-testid="notice">
          {state.notice}
        </div>
      )}
      {state.help && <ShortcutsHelp onClose={() => store.toggleHelp(false)} />}
      <CaptureDialogHost />
      {state.jobs.length > 0 && (
        <div className="progress-layer">
          {state.jobs.map((job) => (
            <ProgressCard key={job.requestId} job={job} onCancel={() => store.cancel(job.requestId)} />
          ))}
        </div>
      )}
      {compare.open ? (
        <CompareView />
      ) : tab === undefined ? (
        <Welcome />
      ) : (
        <SnapshotView key={tab.info.id} tab={tab} searchRef={searchRef} />
      )}
    </div>
  );
}
