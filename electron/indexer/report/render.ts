// One entry for the three report formats: redact (unless values were asked for), then render.
import type { ExportedReport, ReportFormat } from '@shared/contract';
import { renderHtml } from './html';
import { renderMarkdown } from './markdown';
import type { ReportData } from './model';
import { redactReport } from './redact';

const MIME: Record<ReportFormat, string> = {
  html: 'text/html;charset=utf-8',
  md: 'text/markdown;charset=utf-8',
  json: 'application/json',
};

export function renderReport(
  data: ReportData,
  format: ReportFormat,
  baseName = 'heapscope-report',
): ExportedReport {
  const safe = redactReport(data);
  const content =
    format === 'html'
      ? renderHtml(safe)
      : format === 'md'
        ? renderMarkdown(safe)
        : `${JSON.stringify(safe, null, 2)}\n`;
  return { fileName: `${baseName}.${format}`, mime: MIME[format], content };
}
