// `heapscope paths FILE ADDRESS [--json] [-k N]`: why one object is still alive — the shortest chains
// of strong references from the roots to it. ADDRESS is `0x…`; anything else is searched (type name
// or label) and the match with the largest retained size is used. JSON shape: docs/CLI.md.

import type { HeapSnapshot } from '../../indexer/index';
import { formatBytes } from '../../indexer/report/format';
import type { EdgeLabel, ObjectRow, RetainerPath } from '../../shared/contract';
import type { CliIO } from '../io';
import { CliError, parseArgs } from './args';
import { loadWithProgress } from './load';

export const PATHS_USAGE = 'usage: heapscope paths FILE ADDRESS [--json] [--k N]';

interface ObjectJson {
  address: string;
  type: string;
  label: string;
  shallow: number;
  retained: number;
  distance: number;
}

export interface PathsJson {
  object: ObjectJson;
  paths: { text: string; steps: (ObjectJson & { edge: EdgeLabel | null })[] }[];
}

export async function runPaths(argv: string[], io: CliIO): Promise<number> {
  const args = parseArgs(argv, { json: 'flag', k: 'value' }, PATHS_USAGE);
  if (args.positional.length !== 2) throw new CliError(`expected FILE and ADDRESS; ${PATHS_USAGE}`);
  const k = args.options.k === undefined ? 5 : Number(args.options.k);
  if (!(Number.isSafeInteger(k) && k > 0 && k <= 50))
    throw new CliError(`--k needs a whole number 1–50; ${PATHS_USAGE}`);
  const [file, query] = args.positional as [string, string];
  const snap = await loadWithProgress(file, io);
  const target = findTarget(snap, query, io);
  if (!target) {
    io.stderr(`heapscope paths: nothing at or matching ${query} in ${file}\n`);
    return 1;
  }
  const paths = snap.retainerPaths({ node: target.node, k });
  if (args.flags.has('json')) io.stdout(`${JSON.stringify(pathsJson(target, paths), null, 2)}\n`);
  else io.stdout(pathsText(target, paths));
  return 0;
}

function findTarget(snap: HeapSnapshot, query: string, io: CliIO): ObjectRow | null {
  const page = snap.search({ query, range: { start: 0, end: 1 } });
  const row = page.rows[0] ?? null;
  if (row && !/^0x[0-9a-f]+$/i.test(query) && page.total > 1) {
    io.stderr(
      `${page.total} objects match "${query}"; showing the one retaining the most (${row.address})\n`,
    );
  }
  return row;
}

function objectJson(r: ObjectRow): ObjectJson {
  return {
    address: r.address,
    type: r.type,
    label: r.label,
    shallow: r.shallow,
    retained: r.retained,
    distance: r.distance,
  };
}

export function pathsJson(target: ObjectRow, paths: RetainerPath[]): PathsJson {
  return {
    object: objectJson(target),
    paths: paths.map((p) => ({
      text: p.text,
      steps: p.steps.map((s) => ({ ...objectJson(s.node), edge: s.edge })),
    })),
  };
}

function pathsText(target: ObjectRow, paths: RetainerPath[]): string {
  const label = target.label ? ` ${JSON.stringify(target.label)}` : '';
  const lines = [
    `${target.address} ${target.type}${label}: shallow ${formatBytes(target.shallow)}, retained ${formatBytes(target.retained)}, distance ${target.distance}`,
  ];
  if (paths.length === 0) lines.push('no retainer path from a root (nothing strong holds it)');
  paths.forEach((p, i) => {
    lines.push(`${i + 1}. ${p.text}`);
  });
  return `${lines.join('\n')}\n`;
}
