// Keyboard shortcuts that work anywhere in a snapshot: search, history. Arrow keys and Enter belong
// to the focused table (components/tree-table.tsx).
import { type RefObject, useEffect } from 'react';
import type { AppStore } from './store';

function typingIn(target: EventTarget | null): boolean {
  return (
    target instanceof HTMLElement &&
    (target.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName))
  );
}

export function useShortcuts(store: AppStore, searchRef: RefObject<HTMLInputElement | null>): void {
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      const mod = e.ctrlKey || e.metaKey;
      if (mod && e.key.toLowerCase() === 'f' && store.activeTab() !== undefined) {
        e.preventDefault();
        searchRef.current?.focus();
        searchRef.current?.select();
      } else if (e.key === '?' && !typingIn(e.target)) {
        store.toggleHelp();
      } else if (e.key === 'Escape' && store.state.help) {
        store.toggleHelp(false);
      } else if (e.key === 'Backspace' && !typingIn(e.target)) {
        e.preventDefault();
        store.back();
      } else if (e.altKey && e.key === 'ArrowLeft') {
        e.preventDefault();
        store.back();
      } else if (e.altKey && e.key === 'ArrowRight') {
        e.preventDefault();
        store.forward();
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [store, searchRef]);
}
