// The first screen and the home tab: open a file (dialog or upload), recent files, the demo.
import type { RecentFile } from '@shared/contract';
import { useEffect, useRef, useState } from 'react';
import { useAppState, useClient, useStore } from '../app/context';
import { formatTime } from '../lib/format';
import { CaptureButton } from './capture';

export function Welcome() {
  const store = useStore();
  const client = useClient();
  const state = useAppState();
  const [recent, setRecent] = useState<RecentFile[]>([]);
  const fileInput = useRef<HTMLInputElement>(null);
  const env = state.env;

  // biome-ignore lint/correctness/useExhaustiveDependencies: refresh when a snapshot opens or closes
  useEffect(() => {
    client.call('recentFiles', {}).then(setRecent, () => setRecent([]));
  }, [client, state.tabs.length]);

  const open = () => {
    if (client.pickSnapshotPath !== undefined) void store.openDialog();
    else fileInput.current?.click();
  };

  return (
    <div className="welcome" data-testid="welcome">
      <div className="welcome-card">
        <h1>Heapscope</h1>
        <p className="muted">Where a Python process's memory goes, and why it is still alive.</p>
        <div className="welcome-actions">
          <button type="button" className="primary" onClick={open} data-testid="open-button">
            Open snapshot…
          </button>
          <button
            type="button"
            onClick={() => void store.openDemo()}
            disabled={env !== null && !env.canOpenDemo}
            title={
              env?.canOpenDemo === false
                ? 'The server cannot run Python here'
                : 'Dump a small leaky program and open it'
            }
            data-testid="open-demo"
          >
            Open demo snapshot
          </button>
          <CaptureButton />
          <input
            ref={fileInput}
            type="file"
            accept=".pyheap"
            hidden
            data-testid="file-input"
            onChange={(e) => {
              const file = e.target.files?.[0];
              if (file !== undefined) void store.openFile(file);
              e.target.value = '';
            }}
          />
        </div>
        <p className="muted small">
          Or drop a <code>.pyheap</code> file anywhere on this window. Make one with{' '}
          <code>python3 -m heapscope run --dump-at-exit out.pyheap app.py</code>.
        </p>
        {recent.length > 0 && (
          <div className="recent" data-testid="recent-files">
            <div className="section-title">Recent</div>
            {recent.map((r) => (
              <button
                type="button"
                key={r.path}
                className="recent-item"
                onClick={() => void store.openPath(r.path)}
                title={r.path}
              >
                <span>{r.name}</span>
                <span className="muted small">{formatTime(r.openedAt / (r.openedAt > 1e12 ? 1000 : 1))}</span>
              </button>
            ))}
          </div>
        )}
        {env !== null && (
          <p className="muted small env" data-testid="environment">
            {env.transport} · v{env.appVersion} · API {env.apiVersion} · {env.platform}
          </p>
        )}
      </div>
    </div>
  );
}
