import { ApiError } from '@shared/contract';
import { describe, expect, it } from 'vitest';
import { createHttpClient } from './http-client';
import { pageToken, reviveError } from './index';

interface Sent {
  url: string;
  init: RequestInit;
}

function fakeFetch(reply: unknown, status = 200) {
  const sent: Sent[] = [];
  const doFetch = (async (url: string, init: RequestInit) => {
    sent.push({ url, init });
    return new Response(JSON.stringify(reply), { status });
  }) as typeof fetch;
  return { sent, doFetch };
}

describe('HTTP client', () => {
  it('posts JSON with the token header and returns the value', async () => {
    const { sent, doFetch } = fakeFetch({ ok: true, value: [] });
    const client = createHttpClient({ token: 't0k', fetch: doFetch });
    expect(await client.call('list', {})).toEqual([]);
    expect(sent[0]!.url).toBe('/api/call/list');
    expect((sent[0]!.init.headers as Record<string, string>)['X-Heapscope-Token']).toBe('t0k');
    expect(sent[0]!.init.body).toBe('{}');
  });

  it('sends uploads as the raw bytes of the view', async () => {
    const { sent, doFetch } = fakeFetch({ ok: true, value: { id: 's1' } });
    const client = createHttpClient({ token: 't', fetch: doFetch });
    const buffer = new Uint8Array([9, 9, 1, 2, 3, 9]);
    await client.call('openBytes', { requestId: 'r 1', name: 'a b.pyheap', bytes: buffer.subarray(2, 5) });
    expect(sent[0]!.url).toBe('/api/call/openBytes?requestId=r+1&name=a+b.pyheap');
    const body = new Uint8Array(await (sent[0]!.init.body as Blob).arrayBuffer());
    expect([...body]).toEqual([1, 2, 3]);
  });

  it('turns error envelopes into ApiError with the server’s code and message', async () => {
    const { doFetch } = fakeFetch(
      { ok: false, error: { code: 'not-found', message: 'snapshot s9 is not open' } },
      404,
    );
    const client = createHttpClient({ token: 't', fetch: doFetch });
    await expect(client.call('close', { snapshot: 's9' })).rejects.toMatchObject({
      name: 'ApiError',
      code: 'not-found',
      message: 'snapshot s9 is not open',
    });
  });

  it('explains a missing token and a refused request in one line', async () => {
    const noToken = createHttpClient({ token: null, fetch: fakeFetch({}).doFetch });
    await expect(noToken.call('list', {})).rejects.toThrow(/open the URL that `heapscope serve` printed/);
    const refused = async () => new Response('forbidden', { status: 403 });
    const client = createHttpClient({ token: 'x', fetch: refused as typeof fetch });
    await expect(client.call('list', {})).rejects.toThrow(
      'The server answered: access refused (wrong token or host)',
    );
  });
});

describe('transport helpers', () => {
  it('reads the token from the page URL', () => {
    expect(pageToken({ search: '?token=abc' })).toBe('abc');
  });

  it('revives errors that crossed contextBridge as plain data', () => {
    const err = reviveError({ name: 'ApiError', code: 'cancelled', message: 'stopped' });
    expect(err).toBeInstanceOf(ApiError);
    expect(err).toMatchObject({ code: 'cancelled', message: 'stopped' });
  });
});
