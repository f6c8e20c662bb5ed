// Errors a user can act on: one line naming the file, the section and the byte offset.
import { ApiError } from '../shared/contract';

/** A .pyheap file the reader refuses. Its code is 'bad-snapshot'; the message is one line. */
export class SnapshotFormatError extends ApiError {
  constructor(message: string) {
    super('bad-snapshot', message);
    this.name = 'SnapshotFormatError';
  }
}

/** 1204332 → "1,204,332": offsets users read in error messages. */
export function formatBytes(n: number): string {
  return Math.trunc(n).toLocaleString('en-US');
}

export function formatError(
  file: string,
  what: string,
  offset: number,
  section: string | null,
): SnapshotFormatError {
  const where = section ? ` (${section.trim()} section)` : '';
  return new SnapshotFormatError(`${file}: ${what} at byte ${formatBytes(offset)}${where}`);
}

/**
 * `section` is the tag the cut falls in; `where` replaces it with a phrase when the cut is not inside
 * a section's payload ("in a section header", "after the META section").
 */
export function truncatedError(
  file: string,
  offset: number,
  section: string | null,
  where?: string,
): SnapshotFormatError {
  const place = where ? ` (${where})` : section ? ` (${section.trim()} section)` : '';
  return new SnapshotFormatError(
    `${file}: truncated at byte ${formatBytes(offset)}${place}; the dump was probably interrupted`,
  );
}

export function cancelledError(): ApiError {
  return new ApiError('cancelled', 'cancelled');
}
