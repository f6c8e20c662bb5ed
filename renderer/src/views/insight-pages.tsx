// The Insights view's paged lists: one kind's findings, a finding's owners, an owner's objects.
// Each is a PageCache over its contract query (insightFindings / insightOwners / insightObjects)
// shown a page at a time with a pager, so a kind with 100,000 findings or a finding with a million
// objects costs the renderer one page; owners are asked for only when a finding is opened.
import type { InsightFinding, InsightKind, InsightOwner, ObjectRow, SnapshotId } from '@shared/contract';
import { type ReactNode, useEffect, useMemo, useState } from 'react';
import { useClient, useStore } from '../app/context';
import { Bytes } from '../components/bytes';
import { formatCount } from '../lib/format';
import { type Fetcher, PageCache } from '../lib/page-cache';

const FINDINGS_PAGE = 10;
const OWNERS_PAGE = 10;
const OBJECTS_PAGE = 20;

/** A PageCache for `key` (a new one when the key changes), re-rendering when its pages land. */
function usePages<T>(key: string, fetcher: Fetcher<T>, pageSize: number): PageCache<T> {
  // biome-ignore lint/correctness/useExhaustiveDependencies: the key names everything the fetcher reads
  const cache = useMemo(() => new PageCache(fetcher, { pageSize, maxPages: 3 }), [key]);
  const [, setVersion] = useState(0);
  useEffect(() => cache.subscribe(() => setVersion((v) => v + 1)), [cache]);
  return cache;
}

/** One page of `cache` with a pager; `render` draws a row (undefined while its page loads). */
function Paged<T>(props: {
  cache: PageCache<T>;
  render: (row: T | undefined, index: number) => ReactNode;
  noun: string;
  testId: string;
}) {
  const { cache } = props;
  const [page, setPage] = useState(0);
  const size = cache.pageSize;
  const first = cache.get(page * size); // requests the page
  const total = cache.total;
  if (cache.error !== null) return <div className="error">{cache.error}</div>;
  if (total === null && first === undefined) return <div className="muted">Loading…</div>;
  const end = Math.min(total ?? size, (page + 1) * size);
  const rows: ReactNode[] = [];
  for (let i = page * size; i < end; i++) rows.push(props.render(cache.get(i), i));
  const pages = Math.ceil((total ?? 0) / size);
  return (
    <div className="paged" data-testid={props.testId}>
      {rows}
      {pages > 1 && (
        <div className="pager" data-testid={`${props.testId}-pager`}>
          <button type="button" disabled={page === 0} onClick={() => setPage(page - 1)}>
            ‹
          </button>
          <span className="muted">
            {formatCount(page * size + 1)}–{formatCount(end)} of {formatCount(total ?? 0)} {props.noun}
          </span>
          <button
            type="button"
            disabled={page + 1 >= pages}
            onClick={() => setPage(page + 1)}
            data-testid={`${props.testId}-next`}
          >
            ›
          </button>
        </div>
      )}
    </div>
  );
}

export function FindingList({ snapshot, kind }: { snapshot: SnapshotId; kind: InsightKind }) {
  const client = useClient();
  const cache = usePages(
    `${snapshot}/${kind}`,
    (range) => client.call('insightFindings', { snapshot, kind, range }),
    FINDINGS_PAGE,
  );
  return (
    <Paged
      cache={cache}
      noun="findings"
      testId={`findings-${kind}`}
      render={(f, i) =>
        f ? (
          <Finding key={i} snapshot={snapshot} index={i} finding={f} />
        ) : (
          <div key={i} className="muted finding">
            …
          </div>
        )
      }
    />
  );
}

function Finding(props: { snapshot: SnapshotId; index: number; finding: InsightFinding }) {
  const { finding: f } = props;
  const [open, setOpen] = useState(false);
  return (
    <details
      className="finding"
      data-testid="insight-finding"
      onToggle={(e) => setOpen((e.target as HTMLDetailsElement).open)}
    >
      <summary>
        <Bytes value={f.wastedBytes} /> <span className="finding-title">{f.title}</span>
      </summary>
      {open && (
        <div className="finding-body">
          <div className="muted">= {f.estimate}</div>
          <div>Fix: {f.remedy}</div>
          <OwnerList snapshot={props.snapshot} kind={f.kind} finding={props.index} count={f.count} />
        </div>
      )}
    </details>
  );
}

/** Every finding of a kind grouped by owner (which holders keep the most), opened on request. */
export function KindOwners(props: { snapshot: SnapshotId; kind: InsightKind; count: number }) {
  const [open, setOpen] = useState(false);
  return (
    <details
      className="finding kind-owners"
      data-testid={`kind-owners-${props.kind}`}
      onToggle={(e) => setOpen((e.target as HTMLDetailsElement).open)}
    >
      <summary className="muted">Owners across all these findings</summary>
      {open && (
        <div className="finding-body">
          <OwnerList snapshot={props.snapshot} kind={props.kind} finding={undefined} count={props.count} />
        </div>
      )}
    </details>
  );
}

function OwnerList(props: {
  snapshot: SnapshotId;
  kind: InsightKind;
  /** undefined: every finding of the kind. */
  finding: number | undefined;
  count: number;
}) {
  const client = useClient();
  const { snapshot, kind, finding } = props;
  const cache = usePages(
    `${snapshot}/${kind}/${finding ?? 'all'}`,
    (range) => client.call('insightOwners', { snapshot, kind, finding, range }),
    OWNERS_PAGE,
  );
  return (
    <>
      <div className="owners-head muted">
        Owners of all {formatCount(props.count)} objects (holder's retainer path, objects, bytes):
      </div>
      <Paged
        cache={cache}
        noun="owners"
        testId="insight-owners"
        render={(o, i) =>
          o ? (
            <Owner key={i} owner={o} onObjects={{ snapshot, kind, finding, owner: i }} />
          ) : (
            <div key={i} className="muted">
              …
            </div>
          )
        }
      />
    </>
  );
}

interface ObjectsOf {
  snapshot: SnapshotId;
  kind: InsightKind;
  finding: number | undefined;
  owner: number;
}

function Owner({ owner: o, onObjects }: { owner: InsightOwner; onObjects: ObjectsOf }) {
  const store = useStore();
  const [showObjects, setShowObjects] = useState(false);
  return (
    <div className="owner" data-testid="insight-owner">
      <div className="owner-row">
        {o.holder ? (
          <button
            type="button"
            className="link path"
            title="Select the holder"
            onClick={() => store.select({ view: 'dominators', node: o.holder!.node })}
          >
            {o.path}
          </button>
        ) : (
          <span className="path">{o.path}</span>
        )}
        <span className="num">{formatCount(o.count)}</span>
        <span className="num">
          <Bytes value={o.wastedBytes} />
        </span>
        <button
          type="button"
          className="link"
          onClick={() => setShowObjects(!showObjects)}
          data-testid="owner-objects-toggle"
        >
          {showObjects ? 'hide objects' : 'objects'}
        </button>
      </div>
      {showObjects && <ObjectList of={onObjects} />}
    </div>
  );
}

function ObjectList({ of }: { of: ObjectsOf }) {
  const client = useClient();
  const store = useStore();
  const cache = usePages<ObjectRow>(
    `${of.snapshot}/${of.kind}/${of.finding ?? 'all'}/${of.owner}`,
    (range) => client.call('insightObjects', { ...of, range }),
    OBJECTS_PAGE,
  );
  return (
    <Paged
      cache={cache}
      noun="objects"
      testId="insight-objects"
      render={(r, i) => (
        <div key={i} className="object-row">
          {r ? (
            <button
              type="button"
              className="link"
              title="Select this object"
              onClick={() => store.select({ view: 'dominators', node: r.node })}
            >
              {r.address} {r.type}
              {r.label ? ` ${r.label.slice(0, 60)}` : ''}
            </button>
          ) : (
            '…'
          )}
          {r && (
            <span className="muted">
              {' '}
              <Bytes value={r.shallow} />
            </span>
          )}
        </div>
      )}
    />
  );
}
