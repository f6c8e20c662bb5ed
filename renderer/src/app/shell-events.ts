// Commands from the desktop shell (menus, a second instance, files dropped on the window) and files
// dropped onto the page in browser mode.
import type { ShellEvent } from '@shared/contract';
import { useEffect } from 'react';
import { openCaptureDialog } from '../views/capture';
import { compareStore } from '../views/diff/compare-store';
import { exportLeakReport } from '../views/diff/export-report';
import type { AppStore } from './store';

/** Opens the Diff view (issue 6) over the open snapshots, or says why it cannot. */
export function openCompare(store: AppStore): void {
  if (!compareStore.open(store.state.tabs.map((t) => t.info))) {
    store.notify('Open two snapshots of the same process to compare them.');
  }
}

export function handleShellEvent(store: AppStore, event: ShellEvent): void {
  switch (event.type) {
    case 'open-path':
      void store.openPath(event.path);
      break;
    case 'open-dialog':
      void store.openDialog();
      break;
    case 'close-tab':
      if (store.state.active !== null) {
        compareStore.forget(store.state.active);
        void store.close(store.state.active);
      }
      break;
    case 'export-report':
      void exportReport(store);
      break;
    case 'compare':
      openCompare(store);
      break;
    case 'capture':
      openCaptureDialog();
      break;
  }
}

async function exportReport(store: AppStore): Promise<void> {
  // Issue 6: with the Diff view open, File ▸ Export Leak Report… exports that comparison.
  const compare = compareStore.state;
  if (compare.open && compare.base !== null && compare.target !== null) {
    const ids = [compare.base, compare.target, ...(compare.final === null ? [] : [compare.final])];
    try {
      const where = await exportLeakReport(store.client, ids, 'html', false);
      if (where !== null) store.notify(where);
    } catch (e) {
      store.fail(e);
    }
    return;
  }
  const tab = store.activeTab();
  if (tab === undefined) {
    store.notify('Open a snapshot to export a report.');
    return;
  }
  try {
    const report = await store.client.call('exportReport', {
      snapshots: [tab.info.id],
      format: 'html',
      includeValues: false,
    });
    if (store.client.saveFile !== undefined) {
      const saved = await store.client.saveFile(report.fileName, report.content);
      if (saved !== null) store.notify(`Saved ${saved}`);
      return;
    }
    const url = URL.createObjectURL(new Blob([report.content], { type: report.mime }));
    const a = document.createElement('a');
    a.href = url;
    a.download = report.fileName;
    a.click();
    setTimeout(() => URL.revokeObjectURL(url), 10_000);
  } catch (e) {
    store.fail(e);
  }
}

export function useShellEvents(store: AppStore): void {
  useEffect(() => store.client.onShellEvent((event) => handleShellEvent(store, event)), [store]);
  useEffect(() => {
    // In Electron the page leaves drops alone: the main process turns the would-be navigation into an
    // open-path event, which opens the file by path instead of copying its bytes through the renderer.
    const uploads = () => store.state.env?.transport !== 'electron';
    const over = (e: DragEvent) => {
      if (uploads() && e.dataTransfer?.types.includes('Files')) e.preventDefault();
    };
    const drop = (e: DragEvent) => {
      if (!uploads()) return;
      const files = e.dataTransfer?.files;
      if (files === undefined || files.length === 0) return;
      e.preventDefault();
      for (const file of files) void store.openFile(file);
    };
    window.addEventListener('dragover', over);
    window.addEventListener('drop', drop);
    return () => {
      window.removeEventListener('dragover', over);
      window.removeEventListener('drop', drop);
    };
  }, [store]);
}
