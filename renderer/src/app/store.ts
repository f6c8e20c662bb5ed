// The app's state outside React: open snapshots (tabs), loads in progress, the selection and its
// history per tab. Components read an immutable snapshot via useSyncExternalStore and call methods.
import type { Environment, HeapscopeClient, ProgressEvent, SnapshotId, SnapshotInfo } from '@shared/contract';
import { benchMark } from '../lib/bench-marks';
import { errorMessage, isCancelled } from '../lib/errors';
import { History } from './history';
import type { ViewName } from './route';

export interface LoadJob {
  requestId: string;
  name: string;
  /** What happens before the first progress event (the demo runs Python first). */
  hint: string;
  progress: ProgressEvent | null;
}

export interface Selection {
  view: ViewName;
  /** Selected object, or null. */
  node: number | null;
}

export interface TabState {
  info: SnapshotInfo;
  selection: Selection;
  /** Dominator view's zoom: the node whose subtree the tree and chart show. */
  focus: number;
  canBack: boolean;
  canForward: boolean;
}

export interface AppState {
  env: Environment | null;
  tabs: TabState[];
  active: SnapshotId | null;
  jobs: LoadJob[];
  /** One line for the user: the last failed open or action. */
  error: string | null;
  /** A short confirmation ("Address copied"), cleared after a moment. */
  notice: string | null;
  /** The keyboard shortcuts card is showing. */
  help: boolean;
}

const sameSelection = (a: Selection, b: Selection) => a.view === b.view && a.node === b.node;

export class AppStore {
  state: AppState = { env: null, tabs: [], active: null, jobs: [], error: null, notice: null, help: false };
  private readonly listeners = new Set<() => void>();
  private readonly histories = new Map<SnapshotId, History<Selection>>();
  private nextRequest = 1;
  private noticeTimer: ReturnType<typeof setTimeout> | undefined;

  constructor(readonly client: HeapscopeClient) {
    client.onProgress((event) => this.onProgress(event));
  }

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  getState = (): AppState => this.state;

  /** Environment and snapshots the server already has open (browser reload, `serve FILE`). */
  async init(): Promise<void> {
    try {
      const [env, open] = await Promise.all([
        this.client.call('environment', {}),
        this.client.call('list', {}),
      ]);
      this.set({ env });
      for (const info of open) this.addTab(info, false);
      if (this.state.active === null && open.length > 0) this.activate(open[0].id);
    } catch (e) {
      this.fail(e);
    }
  }

  activeTab(): TabState | undefined {
    return this.state.tabs.find((t) => t.info.id === this.state.active);
  }

  openPath(path: string): Promise<SnapshotInfo | null> {
    const name = path.split(/[\\/]/).pop() ?? path;
    return this.load(name, 'reading the file', (requestId) => this.client.call('open', { requestId, path }));
  }

  async openFile(file: File): Promise<SnapshotInfo | null> {
    const bytes = new Uint8Array(await file.arrayBuffer());
    return this.load(file.name, 'uploading', (requestId) =>
      this.client.call('openBytes', { requestId, name: file.name, bytes }),
    );
  }

  openDemo(): Promise<SnapshotInfo | null> {
    return this.load('demo snapshot', 'running the demo program under the Python dumper', (requestId) =>
      this.client.call('openDemo', { requestId }),
    );
  }

  /** Snapshot a running Python process (views/capture.tsx) and open it in a tab. */
  capture(pid: number, fork: boolean, timeoutSeconds: number): Promise<SnapshotInfo | null> {
    return this.load(`PID ${pid}`, 'attaching to the process', (requestId) =>
      this.client.call('capture', { requestId, pid, fork, timeoutSeconds }),
    );
  }

  async openDialog(): Promise<void> {
    if (this.client.pickSnapshotPath === undefined) return;
    const path = await this.client.pickSnapshotPath();
    if (path !== null) await this.openPath(path);
  }

  cancel(requestId: string): void {
    this.client.call('cancel', { requestId }).catch((e: unknown) => this.fail(e));
  }

  async close(id: SnapshotId): Promise<void> {
    const index = this.state.tabs.findIndex((t) => t.info.id === id);
    const tabs = this.state.tabs.filter((t) => t.info.id !== id);
    const active =
      this.state.active === id
        ? (tabs[Math.min(index, tabs.length - 1)]?.info.id ?? null)
        : this.state.active;
    this.histories.delete(id);
    this.set({ tabs, active });
    await this.client.call('close', { snapshot: id }).catch((e: unknown) => this.fail(e));
  }

  activate(id: SnapshotId | null): void {
    if (id === null || this.state.tabs.some((t) => t.info.id === id)) this.set({ active: id });
  }

  /** Selects an object (or switches view) in the active tab and records it in the history. */
  select(selection: Partial<Selection>): void {
    const tab = this.activeTab();
    if (tab === undefined) return;
    const next = { ...tab.selection, ...selection };
    if (sameSelection(next, tab.selection)) return;
    this.historyOf(tab.info.id).push(next);
    this.patchTab(tab.info.id, { selection: next });
  }

  setFocus(node: number): void {
    const tab = this.activeTab();
    if (tab !== undefined && tab.focus !== node) this.patchTab(tab.info.id, { focus: node });
  }

  back(): void {
    this.travel((h) => h.back());
  }

  forward(): void {
    this.travel((h) => h.forward());
  }

  toggleHelp(open = !this.state.help): void {
    this.set({ help: open });
  }

  dismissError(): void {
    this.set({ error: null });
  }

  fail(e: unknown): void {
    if (!isCancelled(e)) this.set({ error: errorMessage(e) });
  }

  notify(notice: string): void {
    clearTimeout(this.noticeTimer);
    this.set({ notice });
    this.noticeTimer = setTimeout(() => this.set({ notice: null }), 2000);
  }

  private async load(
    name: string,
    hint: string,
    start: (requestId: string) => Promise<SnapshotInfo>,
  ): Promise<SnapshotInfo | null> {
    const requestId = `r${Date.now().toString(36)}-${this.nextRequest++}`;
    this.set({ jobs: [...this.state.jobs, { requestId, name, hint, progress: null }], error: null });
    try {
      const info = await start(requestId);
      // The benchmark's "indexed" moment: the service has answered, the renderer takes over.
      benchMark('snapshot-indexed');
      this.addTab(info, true);
      return info;
    } catch (e) {
      this.fail(e);
      return null;
    } finally {
      this.set({ jobs: this.state.jobs.filter((j) => j.requestId !== requestId) });
    }
  }

  private addTab(info: SnapshotInfo, activate: boolean): void {
    if (!this.state.tabs.some((t) => t.info.id === info.id)) {
      const selection: Selection = { view: 'summary', node: null };
      this.historyOf(info.id).push(selection);
      const tab = { info, selection, focus: 0, canBack: false, canForward: false };
      this.set({ tabs: [...this.state.tabs, tab] });
    }
    if (activate) this.activate(info.id);
  }

  private historyOf(id: SnapshotId): History<Selection> {
    let history = this.histories.get(id);
    if (history === undefined) {
      history = new History(sameSelection);
      this.histories.set(id, history);
    }
    return history;
  }

  private travel(step: (h: History<Selection>) => Selection | undefined): void {
    const tab = this.activeTab();
    if (tab === undefined) return;
    const selection = step(this.historyOf(tab.info.id));
    if (selection !== undefined) this.patchTab(tab.info.id, { selection });
  }

  private patchTab(id: SnapshotId, patch: Partial<TabState>): void {
    const history = this.historyOf(id);
    const tabs = this.state.tabs.map((t) =>
      t.info.id === id ? { ...t, ...patch, canBack: history.canBack, canForward: history.canForward } : t,
    );
    this.set({ tabs });
  }

  private onProgress(event: ProgressEvent): void {
    if (!this.state.jobs.some((j) => j.requestId === event.requestId)) return;
    const jobs = this.state.jobs.map((j) =>
      j.requestId === event.requestId ? { ...j, progress: event } : j,
    );
    this.set({ jobs });
  }

  private set(patch: Partial<AppState>): void {
    this.state = { ...this.state, ...patch };
    for (const listener of [...this.listeners]) listener();
  }
}
