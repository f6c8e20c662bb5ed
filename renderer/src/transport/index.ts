// The renderer's one way to reach the service: window.heapscope in Electron (exposed by the preload),
// the HTTP client in browser mode. Views call getClient() and never care which.
import { ApiError, type ApiErrorCode, type HeapscopeClient } from '@shared/contract';
import { createHttpClient } from './http-client';

declare global {
  interface Window {
    /** Set by electron/preload/index.ts; absent in browser mode. */
    heapscope?: HeapscopeClient;
  }
}

const TOKEN_KEY = 'heapscope-token';
let client: HeapscopeClient | null = null;

export function getClient(): HeapscopeClient {
  if (client) return client;
  client = window.heapscope ? fromPreload(window.heapscope) : createHttpClient({ token: pageToken() });
  return client;
}

/** For tests: forget the cached client. */
export function resetClient(): void {
  client = null;
}

/**
 * The token comes in the URL `heapscope serve` printed. It is kept for the tab's life so in-app
 * navigation that drops the query string still works.
 */
export function pageToken(location: Pick<Location, 'search'> = window.location): string | null {
  const fromUrl = new URLSearchParams(location.search).get('token');
  try {
    if (fromUrl) sessionStorage.setItem(TOKEN_KEY, fromUrl);
    return fromUrl ?? sessionStorage.getItem(TOKEN_KEY);
  } catch {
    return fromUrl;
  }
}

/**
 * contextBridge copies only an Error's message, so the preload rejects with plain {code, message}
 * data instead; this turns it back into an ApiError the views can switch on.
 */
export function fromPreload(bridge: HeapscopeClient): HeapscopeClient {
  return {
    call: (method, args) =>
      bridge.call(method, args).catch((err: unknown) => Promise.reject(reviveError(err))),
    onProgress: (listener) => bridge.onProgress(listener),
    onShellEvent: (listener) => bridge.onShellEvent(listener),
    pickSnapshotPath: bridge.pickSnapshotPath ? () => bridge.pickSnapshotPath!() : undefined,
    saveFile: bridge.saveFile ? (name, content) => bridge.saveFile!(name, content) : undefined,
  };
}

export function reviveError(err: unknown): ApiError {
  if (err instanceof ApiError) return err;
  if (typeof err === 'object' && err !== null && 'message' in err && typeof err.message === 'string') {
    const code = 'code' in err && typeof err.code === 'string' ? (err.code as ApiErrorCode) : 'internal';
    return new ApiError(code, err.message);
  }
  return new ApiError('internal', String(err));
}
