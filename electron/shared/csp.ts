// The Content-Security-Policy both transports send with the renderer page (Electron's app:// protocol
// and the browser-mode HTTP server), so the page gets the same lock-down everywhere: only its own
// scripts, no inline script, no network but its own origin, never framed. Inline styles stay allowed
// because charting and virtualized lists position rows with style attributes.
export const CONTENT_SECURITY_POLICY = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "font-src 'self' data:",
  "connect-src 'self'",
  "worker-src 'self' blob:",
  "manifest-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
  "object-src 'none'",
].join('; ');
