// Deep links live in the URL hash (#s=<snapshot>&v=<view>&n=<node>) so the query string, which
// carries browser mode's ?token=, is never touched. `open=<path>` asks to open a file on load.

export type ViewName = 'summary' | 'dominators' | 'insights';

export interface Route {
  snapshot: string | null;
  view: ViewName;
  node: number | null;
  /** A path on the serving machine to open (deep link from a terminal or another page). */
  open: string | null;
}

export function parseRoute(hash: string): Route {
  const params = new URLSearchParams(hash.replace(/^#/, ''));
  const v = params.get('v');
  const view = v === 'dominators' || v === 'insights' ? v : 'summary';
  const nodeText = params.get('n');
  const node = nodeText !== null && /^\d+$/.test(nodeText) ? Number(nodeText) : null;
  return { snapshot: params.get('s'), view, node, open: params.get('open') };
}

export function formatRoute(route: Route): string {
  const params = new URLSearchParams();
  if (route.snapshot !== null) params.set('s', route.snapshot);
  if (route.snapshot !== null) params.set('v', route.view);
  if (route.snapshot !== null && route.node !== null) params.set('n', String(route.node));
  if (route.open !== null) params.set('open', route.open);
  const text = params.toString();
  return text === '' ? '' : `#${text}`;
}
