// Rows that say what they are: after a page of objects arrives, one more call per kind of name
// fetches it for the objects of that page only: a preview of their fields (`rid=227 path='/api/…'`,
// a bound method's qualname) and, in the dominator tree, how each is held (`['CATALOGUE']`).
import type { HeapscopeClient, ObjectRow, Page, SnapshotId } from '@shared/contract';

/** An object row with its names once fetched ('' when the file holds nothing to show). */
export type PreviewedRow = ObjectRow & { preview?: string; heldAs?: string };

/**
 * Sets `field` on each object row from `method`'s answer. A failed call leaves the rows as they were:
 * they are still right, only less telling.
 */
async function annotate(
  client: HeapscopeClient,
  method: 'previews' | 'heldAs',
  snapshot: SnapshotId,
  rows: ObjectRow[],
): Promise<void> {
  const objects = rows.filter((r) => r.kind === 'object').slice(0, 1000);
  if (objects.length === 0) return;
  let names: string[];
  try {
    names = await client.call(method, { snapshot, nodes: objects.map((r) => r.node) });
  } catch {
    return;
  }
  const field = method === 'previews' ? 'preview' : 'heldAs';
  objects.forEach((row, i) => {
    (row as PreviewedRow)[field] = names[i] ?? '';
  });
}

/** `page` with `preview` set on its object rows (and `heldAs` too when asked). */
export async function withPreviews<T>(
  client: HeapscopeClient,
  snapshot: SnapshotId,
  page: Page<T>,
  objectOf: (row: T) => ObjectRow | null,
  options: { heldAs?: boolean } = {},
): Promise<Page<T>> {
  const rows = page.rows.map(objectOf).filter((r): r is ObjectRow => r !== null);
  await Promise.all([
    annotate(client, 'previews', snapshot, rows),
    options.heldAs ? annotate(client, 'heldAs', snapshot, rows) : null,
  ]);
  return page;
}

/** Sets `heldAs` on the given rows (the treemap's cells). */
export function withHeldAs(client: HeapscopeClient, snapshot: SnapshotId, rows: ObjectRow[]): Promise<void> {
  return annotate(client, 'heldAs', snapshot, rows);
}
