// The facts a reader checks first: which process, when, how big, and how much is garbage.
import { consistencyNote } from '@shared/consistency';
import type { SnapshotInfo } from '@shared/contract';
import { Bytes } from '../components/bytes';
import { formatCount, formatDuration, formatTime } from '../lib/format';
import { MiniAccountingBar } from './insights';

export function ProcessHeader({ info }: { info: SnapshotInfo }) {
  const p = info.process;
  const t = info.totals;
  const python = [p.implementation, p.pythonVersion].filter(Boolean).join(' ') || '—';
  return (
    <div className="process-header" data-testid="process-header">
      <Fact label="Python" value={python} />
      <Fact label="PID" value={p.pid === null ? '—' : String(p.pid)} />
      <Fact label="Command" value={p.argv.length ? p.argv.join(' ') : '—'} wide />
      <Fact label="Dumped" value={formatTime(p.dumpTime)} />
      <Fact label="RSS" value={p.rssBytes === null ? '—' : <Bytes value={p.rssBytes} />} />
      {info.accounting && (
        <Fact label="RSS made of" value={<MiniAccountingBar accounting={info.accounting} />} />
      )}
      {info.accounting?.tracemalloc && (
        <Fact
          label="tracemalloc"
          value={
            info.accounting.tracemalloc.tracedBytes === null ? (
              <span title={info.accounting.tracemalloc.note}>
                {info.accounting.tracemalloc.tracing === false ? 'off' : 'not recorded'}
              </span>
            ) : (
              <span title={info.accounting.tracemalloc.source}>
                <Bytes value={info.accounting.tracemalloc.tracedBytes} /> traced
              </span>
            )
          }
          testId="fact-tracemalloc"
        />
      )}
      <Fact label="Objects" value={formatCount(t.objects)} testId="fact-objects" />
      <Fact
        label="Edges"
        value={formatCount(t.edges)}
        testId="fact-edges"
        title={edgesTitle(t.danglingEdges)}
      />
      <Fact label="Shallow total" value={<Bytes value={t.shallow} />} />
      <Fact
        label="Cyclic garbage"
        value={
          <>
            {formatCount(t.unreachable)} obj · <Bytes value={t.unreachableShallow} />
          </>
        }
        warn={t.unreachable > 0}
      />
      {t.heldFromC > 0 && <Fact label="Held from C" value={formatCount(t.heldFromC)} />}
      <Fact label="Indexed in" value={formatDuration(info.indexSeconds)} />
      <ConsistencyBadge info={info} />
    </div>
  );
}

/** Says when other threads could change the heap mid-read (INFO; docs/FORMAT.md); nothing otherwise. */
function ConsistencyBadge({ info }: { info: SnapshotInfo }) {
  const note = consistencyNote(info.consistency, info.totals.danglingEdges);
  if (!note) return null;
  const shared = info.consistency === 'shared';
  return (
    <span
      className={`consistency-badge ${shared ? 'shared' : 'held'}`}
      data-testid="consistency-badge"
      title={note.charAt(0).toUpperCase() + note.slice(1)}
    >
      {shared ? '⚠ Threads ran during the dump' : 'Threads held off during the dump'}
    </span>
  );
}

interface FactProps {
  label: string;
  value: React.ReactNode;
  wide?: boolean;
  warn?: boolean;
  testId?: string;
  /** What the number counts, when the label alone does not say. */
  title?: string;
}

function Fact({ label, value, wide, warn, testId, title }: FactProps) {
  return (
    <div className={`fact ${wide ? 'wide' : ''} ${warn ? 'warn' : ''}`} data-testid={testId} title={title}>
      <span className="fact-label">{label}</span>
      <span className="fact-value" title={typeof value === 'string' ? value : undefined}>
        {value}
      </span>
    </div>
  );
}

/** The header's Edges count, as the loading card's: references between the file's objects. */
function edgesTitle(dangling: number): string {
  const dropped =
    dangling > 0
      ? `; ${formatCount(dangling)} pointing to objects not in the file ${dangling === 1 ? 'was' : 'were'} dropped`
      : '';
  return `References between the objects in the file (weak ones included)${dropped}`;
}
