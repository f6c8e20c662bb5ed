// Sentences shared by the HTML and Markdown reports, so both say the same thing.
import type { TracebackFrame } from '@shared/contract';
import { formatBytes, formatCount } from './format';
import type { ReportData, ReportSnapshot } from './model';

export function reportTitle(data: ReportData): string {
  const newest = data.snapshots[data.snapshots.length - 1];
  const [program = '', ...args] = newest?.process.argv ?? [];
  const command = [program.split(/[\\/]/).pop() ?? program, ...args].join(' ');
  const short = command.length > 80 ? `${command.slice(0, 79)}…` : command;
  return `Heapscope leak report${short ? ` — ${short}` : ''}`;
}

export function verdict(data: ReportData): string {
  if (data.snapshots.length < 2) {
    return data.largeHolders.length > 0
      ? `One snapshot: ${formatCount(data.largeHolders.length)} ${data.largeHolders.length === 1 ? 'holder retains' : 'holders retain'} 10% or more of the heap. Compare two snapshots to see what grows.`
      : 'One snapshot: no single holder retains 10% or more of the heap. Compare two snapshots to see what grows.';
  }
  const n = data.suspects.length;
  if (n === 0) {
    return `No leak suspects: nothing grew by more than ${formatBytes(data.noiseFloor.bytes)} under one holder between the snapshots.`;
  }
  const total = data.suspects.reduce((sum, s) => sum + s.retainedGrowthBytes, 0);
  return `${formatCount(n)} leak suspect${n === 1 ? '' : 's'}, together growing by ${formatBytes(total)}.`;
}

export function describeSnapshotTime(s: ReportSnapshot): string {
  const t = s.process.dumpTime;
  return t === null
    ? '?'
    : new Date(t * 1000)
        .toISOString()
        .replace('T', ' ')
        .replace(/\.\d+Z$/, ' UTC');
}

export function describeFrame(frame: TracebackFrame): string {
  return `${frame.file}:${frame.line}`;
}
