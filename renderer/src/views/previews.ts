// Rows that say what they are: after a page of objects arrives, one more call fetches a short preview
// for each object of that page only (`rid=227 path='/api/…'`, a bound method's qualname).
import type { HeapscopeClient, ObjectRow, Page, SnapshotId } from '@shared/contract';

/** An object row with its preview once fetched ('' when the file holds nothing to show). */
export type PreviewedRow = ObjectRow & { preview?: string };

/**
 * `page` with `preview` set on its object rows. A failed preview call leaves the page as it was: the
 * rows are still right, only less telling.
 */
export async function withPreviews<T>(
  client: HeapscopeClient,
  snapshot: SnapshotId,
  page: Page<T>,
  objectOf: (row: T) => ObjectRow | null,
): Promise<Page<T>> {
  const objects = page.rows.map(objectOf).filter((r): r is ObjectRow => r !== null && r.kind === 'object');
  if (objects.length === 0) return page;
  let previews: string[];
  try {
    previews = await client.call('previews', { snapshot, nodes: objects.map((r) => r.node) });
  } catch {
    return page;
  }
  objects.forEach((row, i) => {
    (row as PreviewedRow).preview = previews[i] ?? '';
  });
  return page;
}
