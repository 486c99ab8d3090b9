// Per-launch token for the web host. Every HTTP request and the WebSocket upgrade must carry it:
// as ?token= on the first page load (answered with an HttpOnly SameSite=Strict cookie and a
// redirect that drops it from the address bar), then as that cookie. Host and Origin must be this
// server on 127.0.0.1/localhost, which defeats DNS rebinding and cross-site pages.
import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

export function createToken(): string {
  return randomBytes(24).toString('base64url');
}

/** Cookies are not port-scoped, so the name carries the port (two hosts must not clash). */
export const cookieName = (port: number) => `kneepoint_token_${port}`;

export function sessionCookie(port: number, token: string): string {
  return `${cookieName(port)}=${token}; HttpOnly; SameSite=Strict; Path=/`;
}

export function parseCookies(header: string | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const part of (header ?? '').split(';')) {
    const i = part.indexOf('=');
    if (i > 0) out[part.slice(0, i).trim()] = part.slice(i + 1).trim();
  }
  return out;
}

function sameToken(a: string | undefined, b: string): boolean {
  if (!a) return false;
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

export type AuthResult =
  | { ok: true; via: 'cookie' | 'query' }
  | { ok: false; status: 401 | 403; reason: string };

export function allowedHosts(port: number): string[] {
  return [`127.0.0.1:${port}`, `localhost:${port}`];
}

/** Checks Host, Origin and the token of one request (HTTP or WebSocket upgrade). */
export function checkRequest(req: Pick<IncomingMessage, 'headers' | 'url'>, opts: { token: string; port: number }): AuthResult {
  const hosts = allowedHosts(opts.port);
  const host = req.headers.host;
  if (!host || !hosts.includes(host.toLowerCase())) {
    return { ok: false, status: 403, reason: `Host "${host ?? ''}" is not this server; open ${`http://127.0.0.1:${opts.port}/`}` };
  }
  const origin = req.headers.origin;
  if (origin !== undefined && !hosts.some((h) => origin.toLowerCase() === `http://${h}`)) {
    return { ok: false, status: 403, reason: `cross-origin request from "${origin}" refused` };
  }
  const cookie = parseCookies(req.headers.cookie)[cookieName(opts.port)];
  if (sameToken(cookie, opts.token)) return { ok: true, via: 'cookie' };
  const query = new URL(req.url ?? '/', 'http://x').searchParams.get('token') ?? undefined;
  if (sameToken(query, opts.token)) return { ok: true, via: 'query' };
  return { ok: false, status: 401, reason: 'missing or wrong token: open the URL that `kneepoint serve` printed (it ends in ?token=…)' };
}
