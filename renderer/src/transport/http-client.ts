// Browser mode's HeapscopeClient: POST /api/call/:method with the per-run token in a header, raw bytes
// for openBytes (no base64 detour for 100 MB snapshots), and one EventSource for progress and shell
// events. The server's protocol is described in electron/server/server.ts.
import {
  type ApiArgs,
  ApiError,
  type ApiErrorData,
  type ApiMethod,
  type ApiResult,
  type HeapscopeClient,
  type ProgressEvent,
  type ShellEvent,
} from '@shared/contract';

export const TOKEN_HEADER = 'X-Heapscope-Token';

type Envelope = { ok: true; value?: unknown } | { ok: false; error: ApiErrorData };

export interface HttpClientOptions {
  token: string | null;
  /** Origin of the server; the page's own origin by default. */
  base?: string;
  fetch?: typeof fetch;
  EventSource?: typeof EventSource;
}

export function createHttpClient(options: HttpClientOptions): HeapscopeClient {
  const base = options.base ?? '';
  const doFetch = options.fetch ?? ((input, init) => fetch(input, init));
  const progress = new Set<(event: ProgressEvent) => void>();
  const shell = new Set<(event: ShellEvent) => void>();
  let source: EventSource | null = null;

  function requireToken(): string {
    if (options.token) return options.token;
    throw new ApiError(
      'unavailable',
      'This page has no access token: open the URL that `heapscope serve` printed (it ends in ?token=…)',
    );
  }

  // Opened on the first listener so pages that never listen hold no connection.
  function ensureEvents(): void {
    if (source || !options.token) return;
    const Source = options.EventSource ?? EventSource;
    source = new Source(`${base}/api/events?token=${encodeURIComponent(options.token)}`);
    source.addEventListener('progress', (e) => {
      const event = JSON.parse((e as MessageEvent).data as string) as ProgressEvent;
      for (const listener of progress) listener(event);
    });
    source.addEventListener('shell', (e) => {
      const event = JSON.parse((e as MessageEvent).data as string) as ShellEvent;
      for (const listener of shell) listener(event);
    });
  }

  function subscribe<T>(set: Set<(event: T) => void>, listener: (event: T) => void): () => void {
    set.add(listener);
    ensureEvents();
    return () => {
      set.delete(listener);
      if (progress.size === 0 && shell.size === 0 && source) {
        source.close();
        source = null;
      }
    };
  }

  async function call<M extends ApiMethod>(method: M, args: ApiArgs<M>): Promise<ApiResult<M>> {
    const token = requireToken();
    const request = encodeRequest(method, args);
    let response: Response;
    try {
      response = await doFetch(`${base}/api/call/${method}${request.query}`, {
        method: 'POST',
        headers: { [TOKEN_HEADER]: token, 'Content-Type': request.contentType },
        body: request.body,
      });
    } catch {
      throw new ApiError('unavailable', 'Lost the connection to `heapscope serve`; is it still running?');
    }
    return decodeResponse(response) as Promise<ApiResult<M>>;
  }

  return {
    call,
    onProgress: (listener) => subscribe(progress, listener),
    onShellEvent: (listener) => subscribe(shell, listener),
  };
}

interface EncodedRequest {
  query: string;
  contentType: string;
  body: string | Blob;
}

function encodeRequest<M extends ApiMethod>(method: M, args: ApiArgs<M>): EncodedRequest {
  if (method === 'openBytes') {
    const { requestId, name, bytes } = args as ApiArgs<'openBytes'>;
    const query = `?${new URLSearchParams({ requestId, name }).toString()}`;
    // A Blob over the exact view: the body is the bytes, wherever the view sits in its buffer.
    return {
      query,
      contentType: 'application/octet-stream',
      body: new Blob([bytes as Uint8Array<ArrayBuffer>]),
    };
  }
  return { query: '', contentType: 'application/json', body: JSON.stringify(args ?? {}) };
}

async function decodeResponse(response: Response): Promise<unknown> {
  let envelope: Envelope;
  try {
    envelope = (await response.json()) as Envelope;
  } catch {
    const reason =
      response.status === 403 ? 'access refused (wrong token or host)' : `HTTP ${response.status}`;
    throw new ApiError(
      response.status === 403 ? 'unavailable' : 'internal',
      `The server answered: ${reason}`,
    );
  }
  if (envelope.ok) return envelope.value;
  throw new ApiError(envelope.error.code, envelope.error.message);
}
