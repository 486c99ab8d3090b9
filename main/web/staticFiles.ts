// Serves the built renderer (renderer/index.html and renderer/dist/*) read-only, with the CSP and
// the usual hardening headers. Only files under those two places can be reached.
import { readFile } from 'node:fs/promises';
import type { ServerResponse } from 'node:http';
import { extname, join, normalize, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

export const RENDERER_DIR = fileURLToPath(new URL('../../renderer/', import.meta.url));

const MIME: Record<string, string> = {
  '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8', '.css': 'text/css; charset=utf-8',
  '.map': 'application/json', '.svg': 'image/svg+xml', '.png': 'image/png', '.ico': 'image/x-icon',
  '.woff2': 'font/woff2', '.json': 'application/json',
};

export function securityHeaders(csp: string): Record<string, string> {
  return {
    'Content-Security-Policy': csp,
    'X-Content-Type-Options': 'nosniff',
    'Referrer-Policy': 'no-referrer',
    'X-Frame-Options': 'DENY',
    'Cross-Origin-Opener-Policy': 'same-origin',
    'Cross-Origin-Resource-Policy': 'same-origin',
    'Cache-Control': 'no-store',
  };
}

/** Maps a URL path to a file of the renderer, or null when it is not one we serve. */
export function resolveStaticPath(urlPath: string, rootDir = RENDERER_DIR): string | null {
  let p: string;
  try { p = decodeURIComponent(urlPath); } catch { return null; }
  if (p === '/' || p === '/index.html') return join(rootDir, 'index.html');
  if (!p.startsWith('/dist/') || p.includes('\0')) return null;
  const full = normalize(join(rootDir, p));
  return full.startsWith(join(rootDir, 'dist') + sep) ? full : null;
}

export async function serveStatic(urlPath: string, res: ServerResponse, csp: string, rootDir = RENDERER_DIR): Promise<void> {
  const file = resolveStaticPath(urlPath, rootDir);
  const headers = securityHeaders(csp);
  if (!file) {
    res.writeHead(404, { ...headers, 'Content-Type': 'text/plain; charset=utf-8' }).end('not found');
    return;
  }
  try {
    const body = await readFile(file);
    res.writeHead(200, { ...headers, 'Content-Type': MIME[extname(file)] ?? 'application/octet-stream' }).end(body);
  } catch {
    const hint = file.endsWith('index.html') || file.includes(`${sep}dist${sep}`) ? ' (run `npm run build` to build the UI)' : '';
    res.writeHead(404, { ...headers, 'Content-Type': 'text/plain; charset=utf-8' }).end(`not found${hint}`);
  }
}
