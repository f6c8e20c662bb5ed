// Deep links live in the URL hash (#s=<snapshot>&v=<view>&n=<node>) so the query string, which
// carries browser mode's ?token=, is never touched. `open=<path>` asks to open a file on load.
// The Diff view adds its own (issue 17), so a reload or a shared link shows the same comparison:
// c=<ids oldest first>, cv=1 while it is shown, ci=<interval>, cs=<suspect>, co=<snapshot:node:change>
// and ct=<its type row>, cp=<side pane>.

export type ViewName = 'summary' | 'dominators' | 'insights';

export interface CompareRoute {
  /** The Diff view is shown (not a snapshot tab). */
  open: boolean;
  /** Two or three snapshot ids, oldest first. */
  snapshots: string[];
  interval: '1-2' | '2-3' | '1-3' | null;
  /** A suspect's key (views/diff/suspects-list: suspectKey). */
  suspect: string | null;
  /** `type`: the type row it was picked under, when `change` says how (the table reveals it there). */
  object: {
    snapshot: string;
    node: number;
    change: 'new' | 'freed' | 'grown' | null;
    type: string | null;
  } | null;
  side: 'suspects' | 'inspector' | null;
}

export interface Route {
  snapshot: string | null;
  view: ViewName;
  node: number | null;
  /** A path on the serving machine to open (deep link from a terminal or another page). */
  open: string | null;
  /** Present when a comparison has been chosen. */
  compare?: CompareRoute;
}

export function parseRoute(hash: string): Route {
  const params = new URLSearchParams(hash.replace(/^#/, ''));
  const v = params.get('v');
  const view = v === 'dominators' || v === 'insights' ? v : 'summary';
  const nodeText = params.get('n');
  const node = nodeText !== null && /^\d+$/.test(nodeText) ? Number(nodeText) : null;
  const route: Route = { snapshot: params.get('s'), view, node, open: params.get('open') };
  const compare = parseCompare(params);
  if (compare !== null) route.compare = compare;
  return route;
}

function parseCompare(params: URLSearchParams): CompareRoute | null {
  const snapshots = (params.get('c') ?? '').split(',').filter((id) => id !== '');
  if (snapshots.length < 2 || snapshots.length > 3) return null;
  const ci = params.get('ci');
  const interval = ci === '1-2' || ci === '2-3' || ci === '1-3' ? ci : null;
  const cp = params.get('cp');
  const side = cp === 'suspects' || cp === 'inspector' ? cp : null;
  return {
    open: params.get('cv') === '1',
    snapshots,
    interval,
    suspect: params.get('cs'),
    object: parseObject(params.get('co'), params.get('ct')),
    side,
  };
}

/** `s3:1234:new`; the change is optional (an object reached from the inspector has none). */
function parseObject(text: string | null, type: string | null): CompareRoute['object'] {
  const m = /^(.+):(\d+)(?::(new|freed|grown))?$/.exec(text ?? '');
  if (m === null) return null;
  const change = (m[3] ?? null) as 'new' | 'freed' | 'grown' | null;
  return { snapshot: m[1], node: Number(m[2]), change, type: change === null ? null : type };
}

export function formatRoute(route: Route): string {
  const params = new URLSearchParams();
  if (route.snapshot !== null) params.set('s', route.snapshot);
  if (route.snapshot !== null) params.set('v', route.view);
  if (route.snapshot !== null && route.node !== null) params.set('n', String(route.node));
  if (route.open !== null) params.set('open', route.open);
  const c = route.compare;
  if (c !== undefined) {
    params.set('c', c.snapshots.join(','));
    if (c.open) params.set('cv', '1');
    if (c.interval !== null) params.set('ci', c.interval);
    if (c.suspect !== null) params.set('cs', c.suspect);
    const o = c.object;
    if (o !== null) params.set('co', `${o.snapshot}:${o.node}${o.change === null ? '' : `:${o.change}`}`);
    if (o !== null && o.change !== null && o.type !== null) params.set('ct', o.type);
    if (c.side !== null) params.set('cp', c.side);
  }
  const text = params.toString();
  return text === '' ? '' : `#${text}`;
}
