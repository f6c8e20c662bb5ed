// Export a leak report from the UI: Electron saves through the native dialog (client.saveFile),
// browser mode downloads a Blob. Used by the Diff view's buttons and File ▸ Export Leak Report….
import type { HeapscopeClient, ReportFormat, SnapshotId } from '@shared/contract';

/** Returns where it was saved (Electron), 'downloaded' (browser), or null when the user cancelled. */
export async function exportLeakReport(
  client: HeapscopeClient,
  snapshots: SnapshotId[],
  format: ReportFormat,
  includeValues: boolean,
): Promise<string | null> {
  const report = await client.call('exportReport', { snapshots, format, includeValues });
  if (client.saveFile !== undefined) return client.saveFile(report.fileName, report.content);
  const url = URL.createObjectURL(new Blob([report.content], { type: report.mime }));
  const a = document.createElement('a');
  a.href = url;
  a.download = report.fileName;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
  return 'downloaded';
}
