// Capture from a running process (docs/CAPTURE.md): the Python processes the server's user may capture,
// filterable, and "Take snapshot". The capture itself is a contract call through the store, so its
// progress card (waiting → walking → indexing) and Cancel are the ones every load has.
import type { PythonProcessRow } from '@shared/contract';
import { useEffect, useMemo, useState, useSyncExternalStore } from 'react';
import { useAppState, useClient, useStore } from '../app/context';
import { openCompare } from '../app/shell-events';
import type { AppStore } from '../app/store';
import { formatBytes, formatTime } from '../lib/format';

// Open/closed lives outside React so the File menu (a shell event) and the welcome page share it.
let isOpen = false;
const listeners = new Set<() => void>();
function setOpen(open: boolean): void {
  isOpen = open;
  for (const l of listeners) l();
}
export function openCaptureDialog(): void {
  setOpen(true);
}
function useCaptureOpen(): boolean {
  return useSyncExternalStore(
    (l) => {
      listeners.add(l);
      return () => listeners.delete(l);
    },
    () => isOpen,
  );
}

/** The welcome page's entry; disabled with the reason where the server cannot capture. */
export function CaptureButton() {
  const env = useAppState().env;
  const can = env === null || env.canCapture;
  return (
    <button
      type="button"
      onClick={openCaptureDialog}
      disabled={!can}
      title={
        can
          ? 'Snapshot a running Python process'
          : 'Capture needs Linux and the bundled Python dumper on the server'
      }
      data-testid="capture-open"
    >
      Capture from running process…
    </button>
  );
}

export function CaptureDialogHost() {
  return useCaptureOpen() ? <CaptureDialog onClose={() => setOpen(false)} /> : null;
}

function CaptureDialog({ onClose }: { onClose: () => void }) {
  const client = useClient();
  const store = useStore();
  const [rows, setRows] = useState<PythonProcessRow[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [filter, setFilter] = useState('');
  const [selected, setSelected] = useState<number | null>(null);
  const [fork, setFork] = useState(true);
  const [timeout, setTimeoutSeconds] = useState(30);
  const [generation, setGeneration] = useState(0);
  const [count, setCount] = useState(3);
  const [every, setEvery] = useState(60);

  // biome-ignore lint/correctness/useExhaustiveDependencies: `generation` is the Refresh button
  useEffect(() => {
    let live = true;
    setRows(null);
    client.call('captureList', {}).then(
      (list) => live && setRows(list),
      (e: unknown) => live && setError(e instanceof Error ? e.message : String(e)),
    );
    return () => {
      live = false;
    };
  }, [client, generation]);

  const shown = useMemo(() => {
    const needle = filter.trim().toLowerCase();
    return (rows ?? []).filter(
      (r) => needle === '' || `${r.pid} ${r.cmdline.join(' ')}`.toLowerCase().includes(needle),
    );
  }, [rows, filter]);

  const take = () => {
    if (selected === null) return;
    onClose();
    void store.capture(selected, fork, timeout);
  };

  return (
    <div
      className="capture-dialog"
      role="dialog"
      aria-label="Capture from a running process"
      data-testid="capture-dialog"
    >
      <div className="help-head">
        <b>Capture from a running Python process</b>
        <button type="button" className="link" onClick={onClose}>
          Close
        </button>
      </div>
      <div className="capture-tools">
        <input
          type="search"
          placeholder="Filter by PID or command line"
          value={filter}
          onChange={(e) => setFilter(e.target.value)}
          data-testid="capture-filter"
        />
        <button type="button" onClick={() => setGeneration((g) => g + 1)}>
          Refresh
        </button>
      </div>
      {error !== null && <div className="capture-error">{error}</div>}
      <div className="capture-list">
        {rows === null && error === null && <div className="muted">Looking for Python processes…</div>}
        {rows !== null && shown.length === 0 && (
          <div className="muted">
            No Python process this user may capture{filter ? ' matches the filter' : ''}.
          </div>
        )}
        {shown.map((r) => (
          <button
            type="button"
            key={r.pid}
            className={`capture-row${r.pid === selected ? ' selected' : ''}`}
            onClick={() => setSelected(r.pid)}
            onDoubleClick={() => {
              setSelected(r.pid);
              onClose();
              void store.capture(r.pid, fork, timeout);
            }}
            data-testid={`capture-row-${r.pid}`}
          >
            <span className="capture-pid">{r.pid}</span>
            <span className="capture-cmd" title={r.cmdline.join(' ')}>
              {r.cmdline.join(' ')}
            </span>
            <span>Python {r.python}</span>
            <span>{r.rss === null ? '' : formatBytes(r.rss)}</span>
            <span>{r.startTime === null ? '' : formatTime(r.startTime)}</span>
          </button>
        ))}
      </div>
      <div className="capture-tools">
        <label title="The process pauses only for a fork; a child process walks the heap">
          <input type="checkbox" checked={fork} onChange={(e) => setFork(e.target.checked)} /> fork (shortest
          pause)
        </label>
        <label>
          wait up to{' '}
          <input
            type="number"
            min={1}
            max={3600}
            value={timeout}
            onChange={(e) => setTimeoutSeconds(Math.max(1, Math.min(3600, Number(e.target.value) || 30)))}
            className="capture-timeout"
          />{' '}
          s
        </label>
        <button
          type="button"
          className="primary"
          disabled={selected === null}
          onClick={take}
          data-testid="capture-take"
        >
          Take snapshot
        </button>
      </div>
      <div className="capture-tools">
        <label>
          or record{' '}
          <input
            type="number"
            min={2}
            max={20}
            value={count}
            onChange={(e) => setCount(Math.max(2, Math.min(20, Number(e.target.value) || 3)))}
            className="capture-timeout"
            data-testid="capture-count"
          />{' '}
          snapshots every{' '}
          <input
            type="number"
            min={1}
            max={86400}
            value={every}
            onChange={(e) => setEvery(Math.max(1, Math.min(86400, Number(e.target.value) || 60)))}
            className="capture-timeout"
            data-testid="capture-every"
          />{' '}
          s, then compare them
        </label>
        <button
          type="button"
          disabled={selected === null}
          onClick={() => {
            if (selected === null) return;
            onClose();
            void recordSeries(store, selected, { count, everySeconds: every, fork, timeoutSeconds: timeout });
          }}
          data-testid="capture-record"
        >
          Record
        </button>
      </div>
    </div>
  );
}

/**
 * `count` captures of `pid`, one every `everySeconds` (start to start), each opened in a tab; then the
 * Diff view over the open snapshots. A failed or cancelled capture ends the series (its error is shown).
 */
export async function recordSeries(
  store: AppStore,
  pid: number,
  o: { count: number; everySeconds: number; fork: boolean; timeoutSeconds: number },
): Promise<void> {
  for (let i = 1; i <= o.count; i++) {
    const started = Date.now();
    if ((await store.capture(pid, o.fork, o.timeoutSeconds)) === null) return;
    if (i === o.count) break;
    const wait = Math.max(0, o.everySeconds * 1000 - (Date.now() - started));
    store.notify(
      `Recording PID ${pid}: snapshot ${i} of ${o.count} taken; the next in ${Math.round(wait / 1000)} s`,
    );
    await new Promise((done) => setTimeout(done, wait));
  }
  openCompare(store);
}
