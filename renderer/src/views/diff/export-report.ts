// Export a leak report from the UI: Electron saves through the native dialog (client.saveFile),
// browser mode downloads a Blob. Used by the Diff view's buttons and File ▸ Export Leak Report….
import type { HeapscopeClient, ReportFormat, SnapshotId } from '@shared/contract';

/**
 * Returns one line saying where the file went (`Saved /home/me/report.html`, or the download's name
 * and folder in browser mode), or null when the user cancelled.
 */
export async function exportLeakReport(
  client: HeapscopeClient,
  snapshots: SnapshotId[],
  format: ReportFormat,
  includeValues: boolean,
): Promise<string | null> {
  const report = await client.call('exportReport', { snapshots, format, includeValues });
  if (client.saveFile !== undefined) {
    const path = await client.saveFile(report.fileName, report.content);
    return path === null ? null : `Saved ${path}`;
  }
  const url = URL.createObjectURL(new Blob([report.content], { type: report.mime }));
  const a = document.createElement('a');
  a.href = url;
  a.download = report.fileName;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
  // The browser picks the folder (or asks); the name is ours, so say it.
  return `Downloaded ${report.fileName} to your browser's downloads folder`;
}
