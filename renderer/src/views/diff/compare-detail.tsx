// What the Diff view shows about its selection: for a suspect, its path and the retainers of its
// holder in the newest snapshot; for an object from the table's drill-down, the app's inspector and
// retainers in the snapshot it lives in (new and grown: the newer one; freed: the older one). Clicks
// on objects inside them move the Diff view's selection, not a snapshot tab's.
import type { LeakSuspect, SnapshotInfo } from '@shared/contract';
import type { ReactNode } from 'react';
import { SelectNodeContext, useStore } from '../../app/context';
import { Inspector } from '../inspector';
import { RetainersPanel } from '../retainers';
import { type ComparedObject, compareStore } from './compare-store';

/** Clicks in the inspector and retainers select objects of `snapshot` inside the Diff view. */
function InSnapshot({ snapshot, children }: { snapshot: string; children: ReactNode }) {
  const select = (node: number) =>
    compareStore.select({ kind: 'object', snapshot, node, change: null, type: null });
  return <SelectNodeContext.Provider value={select}>{children}</SelectNodeContext.Provider>;
}

/** "Show in 3.pyheap": the object in its snapshot's own tab, in the dominator tree. */
function ShowIn({ info, node }: { info: SnapshotInfo; node: number }) {
  const store = useStore();
  return (
    <button
      type="button"
      onClick={() => {
        store.activate(info.id);
        store.select({ node, view: 'dominators' });
        compareStore.close();
      }}
      data-testid="show-holder"
    >
      Show in {info.name}
    </button>
  );
}

const CHANGE_TEXT = {
  new: 'new',
  freed: 'freed',
  grown: 'grew',
} as const;

/** Which snapshot an object is in, as its position in the series and its name: `in 3 · c.pyheap`. */
export function ObjectDetail({
  object,
  info,
  position,
}: {
  object: ComparedObject;
  info: SnapshotInfo;
  position: number;
}) {
  const change = object.change === null ? '' : `${CHANGE_TEXT[object.change]} · `;
  return (
    <div className="suspect-detail" data-testid="object-detail">
      <div className="suspect-detail-head">
        <span data-testid="object-detail-where">
          {change}retainers in snapshot {position}, {info.name}
        </span>
        <ShowIn info={info} node={object.node} />
      </div>
      <InSnapshot snapshot={info.id}>
        <RetainersPanel info={info} node={object.node} />
      </InSnapshot>
    </div>
  );
}

export function SuspectDetail({ suspect, info }: { suspect: LeakSuspect; info: SnapshotInfo }) {
  return (
    <div className="suspect-detail" data-testid="suspect-detail">
      <div className="suspect-detail-head">
        <span className="mono">{suspect.path}</span>
        <ShowIn info={info} node={suspect.holder.node} />
      </div>
      <InSnapshot snapshot={info.id}>
        <RetainersPanel info={info} node={suspect.holder.node} />
      </InSnapshot>
    </div>
  );
}

/** The side pane's inspector: the selected object in its own snapshot. */
export function CompareInspector({
  object,
  info,
}: {
  object: ComparedObject | null;
  info: SnapshotInfo | undefined;
}) {
  if (object === null || info === undefined) {
    return (
      <div className="muted pad" data-testid="compare-inspector-empty">
        Expand a type in the table and pick one of its new, freed or grown objects to inspect it.
      </div>
    );
  }
  return (
    <InSnapshot snapshot={info.id}>
      <Inspector info={info} node={object.node} />
    </InSnapshot>
  );
}
