// Turns whatever a load or query threw into {code, message}: one line the user can act on.
import { ApiError, type ApiErrorCode, type ApiErrorData } from '@shared/contract';

const API_ERROR_CODES: readonly ApiErrorCode[] = [
  'bad-argument',
  'not-found',
  'bad-snapshot',
  'cancelled',
  'unavailable',
  'internal',
];

export function isApiErrorData(value: unknown): value is ApiErrorData {
  if (typeof value !== 'object' || value === null) return false;
  const { code, message } = value as Record<string, unknown>;
  return typeof message === 'string' && API_ERROR_CODES.includes(code as ApiErrorCode);
}

/** `fallback` is the code for errors nobody classified: 'bad-snapshot' while loading, else 'internal'. */
export function toErrorData(err: unknown, fallback: ApiErrorCode = 'internal'): ApiErrorData {
  if (err instanceof ApiError) return err.toData();
  if (isApiErrorData(err)) return { code: err.code, message: err.message };
  if (err instanceof Error) {
    if (err.name === 'AbortError') return { code: 'cancelled', message: 'cancelled' };
    const sys = err as NodeJS.ErrnoException;
    if (sys.code === 'ENOENT') return { code: 'not-found', message: `${sys.path ?? 'file'}: no such file` };
    if (sys.code === 'EACCES' || sys.code === 'EPERM') {
      return { code: 'not-found', message: `${sys.path ?? 'file'}: permission denied` };
    }
    if (sys.code === 'EISDIR') return { code: 'not-found', message: `${sys.path ?? 'path'}: is a directory` };
    return { code: fallback, message: firstLine(err.message) || err.name };
  }
  return { code: fallback, message: firstLine(String(err)) };
}

export function toApiError(err: unknown, fallback: ApiErrorCode = 'internal'): ApiError {
  if (err instanceof ApiError) return err;
  const data = toErrorData(err, fallback);
  return new ApiError(data.code, data.message);
}

function firstLine(text: string): string {
  return text.split('\n', 1)[0]!.trim();
}

/** Unclassified errors while loading are the file's fault; during queries they are ours. */
export function fallbackCodeFor(method: string): ApiErrorCode {
  return method === 'open' || method === 'openBytes' ? 'bad-snapshot' : 'internal';
}
