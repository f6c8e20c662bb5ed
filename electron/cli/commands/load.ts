// Loading a snapshot for a CLI command: a progress line on stderr when it is a terminal.
import { type HeapSnapshot, loadSnapshot } from '../../indexer/index';
import type { CliIO } from '../io';

export async function loadWithProgress(path: string, io: CliIO): Promise<HeapSnapshot> {
  let last = '';
  const onProgress = io.isTTY
    ? (p: { stage: string; percent: number }) => {
        const line = `indexing ${path}: ${p.stage} ${Math.floor(p.percent)}%`;
        if (line === last) return;
        last = line;
        io.stderr(`\r\x1b[K${line}`);
      }
    : undefined;
  try {
    // No insights stage: a command asks for insights at most once, so it would only move that work.
    return await loadSnapshot({ path }, { onProgress, prepareInsights: false });
  } finally {
    if (last) io.stderr('\r\x1b[K');
  }
}
