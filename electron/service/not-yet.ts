// ─── Placeholders for issue 6 (diff, leak suspects, reports) ────────────────────────────────────
// The one place to replace when comparison lands: HeapService routes `diff`, `leaks` and
// `exportReport` here. Each throws ApiError('unavailable') so every transport reports it cleanly.
import { type ApiArgs, ApiError, type ApiResult } from '@shared/contract';

export interface ComparisonMethods {
  diff(args: ApiArgs<'diff'>): Promise<ApiResult<'diff'>>;
  leaks(args: ApiArgs<'leaks'>): Promise<ApiResult<'leaks'>>;
  exportReport(args: ApiArgs<'exportReport'>): Promise<ApiResult<'exportReport'>>;
}

const unavailable = (what: string) => async (): Promise<never> => {
  throw new ApiError('unavailable', `${what} is not available yet`);
};

export const comparison: ComparisonMethods = {
  diff: unavailable('Comparing snapshots'),
  leaks: unavailable('Leak detection'),
  exportReport: unavailable('Exporting a leak report'),
};
