// Keeps the URL hash and the active tab's selection in step, both ways, so a browser-mode URL
// names a snapshot, a view and an object; and the Diff view's choice (snapshots, interval, selected
// suspect or object, side pane), so a reload shows the same comparison. replaceState keeps the
// ?token= query as it is.
import { useEffect } from 'react';
import { type CompareState, compareStore } from '../views/diff/compare-store';
import { type CompareRoute, formatRoute, parseRoute } from './route';
import type { AppStore } from './store';

export function applyRoute(store: AppStore, hash: string): void {
  const route = parseRoute(hash);
  if (route.open !== null) {
    const path = route.open;
    void store.openPath(path);
    return;
  }
  if (route.compare !== undefined) applyCompare(store, route.compare);
  if (route.snapshot === null) return;
  store.activate(route.snapshot);
  if (store.state.active === route.snapshot) store.select({ view: route.view, node: route.node });
}

/** Restores a comparison whose snapshots are all open; one that names a closed snapshot is dropped. */
function applyCompare(store: AppStore, c: CompareRoute): void {
  const open = new Set(store.state.tabs.map((t) => t.info.id));
  if (!c.snapshots.every((id) => open.has(id))) return;
  const [base, target, final = null] = c.snapshots;
  const object = c.object !== null && c.snapshots.includes(c.object.snapshot) ? c.object : null;
  compareStore.restore(
    {
      open: c.open,
      base,
      target,
      final,
      interval: c.interval,
      selection:
        object !== null
          ? { kind: 'object', ...object }
          : c.suspect !== null
            ? { kind: 'suspect', key: c.suspect }
            : null,
      side: c.side ?? (object !== null ? 'inspector' : 'suspects'),
    },
    [...open],
  );
}

function compareRoute(c: CompareState): CompareRoute | undefined {
  if (c.base === null || c.target === null) return undefined;
  const s = c.selection;
  return {
    open: c.open,
    snapshots: [c.base, c.target, ...(c.final === null ? [] : [c.final])],
    interval: c.interval,
    suspect: s?.kind === 'suspect' ? s.key : null,
    object:
      s?.kind === 'object' ? { snapshot: s.snapshot, node: s.node, change: s.change, type: s.type } : null,
    side: c.side,
  };
}

export function useDeepLinks(store: AppStore, ready: boolean): void {
  useEffect(() => {
    if (!ready) return;
    applyRoute(store, window.location.hash);
    const write = () => {
      const tab = store.activeTab();
      const hash = formatRoute({
        snapshot: tab?.info.id ?? null,
        view: tab?.selection.view ?? 'summary',
        node: tab?.selection.node ?? null,
        open: null,
        compare: compareRoute(compareStore.state),
      });
      if (hash !== window.location.hash && !(hash === '' && window.location.hash === '')) {
        const url = `${window.location.pathname}${window.location.search}${hash}`;
        window.history.replaceState(null, '', url);
      }
    };
    const onHash = () => applyRoute(store, window.location.hash);
    write();
    const off = store.subscribe(write);
    const offCompare = compareStore.subscribe(write);
    window.addEventListener('hashchange', onHash);
    return () => {
      off();
      offCompare();
      window.removeEventListener('hashchange', onHash);
    };
  }, [store, ready]);
}
