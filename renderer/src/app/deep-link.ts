// Keeps the URL hash and the active tab's selection in step, both ways, so a browser-mode URL
// names a snapshot, a view and an object. replaceState keeps the ?token= query as it is.
import { useEffect } from 'react';
import { formatRoute, parseRoute } from './route';
import type { AppStore } from './store';

export function applyRoute(store: AppStore, hash: string): void {
  const route = parseRoute(hash);
  if (route.open !== null) {
    const path = route.open;
    void store.openPath(path);
    return;
  }
  if (route.snapshot === null) return;
  store.activate(route.snapshot);
  if (store.state.active === route.snapshot) store.select({ view: route.view, node: route.node });
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
      });
      if (hash !== window.location.hash && !(hash === '' && window.location.hash === '')) {
        const url = `${window.location.pathname}${window.location.search}${hash}`;
        window.history.replaceState(null, '', url);
      }
    };
    const onHash = () => applyRoute(store, window.location.hash);
    write();
    const off = store.subscribe(write);
    window.addEventListener('hashchange', onHash);
    return () => {
      off();
      window.removeEventListener('hashchange', onHash);
    };
  }, [store, ready]);
}
