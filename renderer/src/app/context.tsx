// React access to the one AppStore and the client it wraps.
import type { HeapscopeClient } from '@shared/contract';
import { createContext, useContext, useSyncExternalStore } from 'react';
import type { AppState, AppStore, TabState } from './store';

export const StoreContext = createContext<AppStore | null>(null);

export function useStore(): AppStore {
  const store = useContext(StoreContext);
  if (store === null) throw new Error('useStore outside <StoreContext>');
  return store;
}

export function useAppState(): AppState {
  const store = useStore();
  return useSyncExternalStore(store.subscribe, store.getState);
}

export function useClient(): HeapscopeClient {
  return useStore().client;
}

export function useActiveTab(): TabState | undefined {
  const state = useAppState();
  return state.tabs.find((t) => t.info.id === state.active);
}

/**
 * Where a click on an object in the inspector or the retainers goes: the active tab's selection,
 * unless a view keeps its own (the Diff view inspects objects of several snapshots in one place).
 */
export const SelectNodeContext = createContext<((node: number) => void) | null>(null);

export function useSelectNode(): (node: number) => void {
  const store = useStore();
  const own = useContext(SelectNodeContext);
  return own ?? ((node) => store.select({ node }));
}
