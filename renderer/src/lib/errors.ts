// Every failure reaches the user as one actionable line: the ApiError message when there is one.

export function errorMessage(e: unknown): string {
  if (e instanceof Error) return e.message;
  if (typeof e === 'object' && e !== null && 'message' in e && typeof e.message === 'string') {
    return e.message;
  }
  return String(e);
}

/** True for the rejection an intentional cancel produces. */
export function isCancelled(e: unknown): boolean {
  return typeof e === 'object' && e !== null && 'code' in e && e.code === 'cancelled';
}
