// The Content-Security-Policy of the UI, shared by the web host (HTTP header) and Electron
// (app:// protocol responses). No inline script or style, no eval, no remote content.
export function contentSecurityPolicy(opts: { connectSrc?: string[] } = {}): string {
  return [
    "default-src 'none'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data: blob:",
    "font-src 'self'",
    `connect-src 'self'${opts.connectSrc?.length ? ' ' + opts.connectSrc.join(' ') : ''}`,
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
    "object-src 'none'",
  ].join('; ');
}
