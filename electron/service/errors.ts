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
    const known = sys.code !== undefined && Object.hasOwn(FILE_ERRORS, sys.code);
    if (known) return { code: 'not-found', message: `${sys.path ?? 'file'}: ${FILE_ERRORS[sys.code!]}` };
    // Another failed file-system call ("EIO: i/o error, read"): the user's file or disk, not our bug.
    if (sys.syscall !== undefined && typeof sys.errno === 'number') {
      return { code: 'bad-argument', message: `${sys.path ?? 'file'}: ${errnoText(err.message)}` };
    }
    return { code: fallback, message: firstLine(err.message) || err.name };
  }
  return { code: fallback, message: firstLine(String(err)) };
}

export function toApiError(err: unknown, fallback: ApiErrorCode = 'internal'): ApiError {
  if (err instanceof ApiError) return err;
  const data = toErrorData(err, fallback);
  return new ApiError(data.code, data.message);
}

/** File-system errors a user meets opening a snapshot, as the rest of the line after its path. */
const FILE_ERRORS: Record<string, string> = {
  ENOENT: 'no such file',
  EACCES: 'permission denied',
  EPERM: 'permission denied',
  EISDIR: 'is a directory, not a snapshot file',
  ELOOP: 'too many levels of symbolic links (a symlink loop?)',
  ENOTDIR: 'a part of the path is not a directory',
  ENAMETOOLONG: 'the path is too long',
  ENXIO: 'is a socket or a device without a reader, not a snapshot file',
};

/** "EIO: i/o error, read" → "i/o error": node's text without the code and the syscall. */
function errnoText(message: string): string {
  return firstLine(message)
    .replace(/^E[A-Z]+: /, '')
    .replace(/, \w+(?: '.*')?$/, '');
}

function firstLine(text: string): string {
  return text.split('\n', 1)[0]!.trim();
}

/** Unclassified errors while loading are the file's fault; during queries they are ours. */
export function fallbackCodeFor(method: string): ApiErrorCode {
  return method === 'open' || method === 'openBytes' || method === 'openUpload' ? 'bad-snapshot' : 'internal';
}
