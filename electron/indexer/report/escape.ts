// Heap strings are hostile: a label can hold `<script>`, quotes or Markdown that breaks a table. Every
// string that reaches a report goes through one of these.

const HTML_ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

/** Safe in element content and in quoted attribute values (HTML and inline SVG). */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => HTML_ESCAPES[c]);
}

/**
 * Safe inside a Markdown table cell: no pipes, backticks, newlines or HTML, and no link or image
 * syntax (`![t](https://…)` in a file name rendered as a remote image, fetched on view).
 */
export function escapeMarkdownCell(text: string): string {
  return escapeHtml(text)
    .replace(/([\\[\]!])/g, '\\$1')
    .replace(/\|/g, '\\|')
    .replace(/`/g, 'ˋ')
    .replace(/[\r\n]+/g, ' ');
}

/**
 * Markdown prose: also neutralise emphasis, and a heading (prose is one line, so only a leading `#`
 * makes one; escaping every `#` broke the entities escapeHtml writes, `&#39;` → `&\#39;`).
 */
export function escapeMarkdownText(text: string): string {
  return escapeMarkdownCell(text)
    .replace(/([*_])/g, '\\$1')
    .replace(/^#/, '\\#');
}

/** Inside a Markdown code span (literal, so no HTML escaping): no backticks, pipes or newlines. */
export function escapeMarkdownCode(text: string): string {
  return text
    .replace(/`/g, 'ˋ')
    .replace(/\|/g, '\\|')
    .replace(/[\r\n]+/g, ' ');
}
