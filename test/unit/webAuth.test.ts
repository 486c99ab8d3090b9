// The web host's token, cookie, Host and Origin checks (main/web/auth.ts), and static path
// containment (main/web/staticFiles.ts).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { checkRequest, cookieName, createToken, parseCookies, sessionCookie } from '../../main/web/auth.ts';
import { resolveStaticPath } from '../../main/web/staticFiles.ts';

const port = 43210;
const token = createToken();
const req = (headers: Record<string, string>, url = '/') => ({ headers: { host: `127.0.0.1:${port}`, ...headers }, url });

test('tokens are random, long and URL-safe', () => {
  const a = createToken(); const b = createToken();
  assert.notEqual(a, b);
  assert.ok(a.length >= 32);
  assert.match(a, /^[A-Za-z0-9_-]+$/);
});

test('a request without the token is refused with 401 and a hint', () => {
  const r = checkRequest(req({}), { token, port });
  assert.equal(r.ok, false);
  assert.equal(!r.ok && r.status, 401);
  assert.match(!r.ok ? r.reason : '', /token/);
});

test('a wrong token is refused, in the query or the cookie', () => {
  assert.equal(checkRequest(req({}, `/?token=${token}x`), { token, port }).ok, false);
  assert.equal(checkRequest(req({ cookie: `${cookieName(port)}=nope` }), { token, port }).ok, false);
  // a cookie of another port's host does not count
  assert.equal(checkRequest(req({ cookie: `${cookieName(port + 1)}=${token}` }), { token, port }).ok, false);
});

test('the query token is accepted once, then the cookie carries it', () => {
  assert.deepEqual(checkRequest(req({}, `/?token=${token}`), { token, port }), { ok: true, via: 'query' });
  const cookie = sessionCookie(port, token);
  assert.match(cookie, /HttpOnly/);
  assert.match(cookie, /SameSite=Strict/);
  const pair = cookie.split(';')[0];
  assert.deepEqual(checkRequest(req({ cookie: `other=1; ${pair}` }), { token, port }), { ok: true, via: 'cookie' });
});

test('a foreign Host (DNS rebinding) is refused with 403 even with the token', () => {
  const r = checkRequest({ headers: { host: `evil.example:${port}` }, url: `/?token=${token}` }, { token, port });
  assert.equal(!r.ok && r.status, 403);
  assert.equal(checkRequest({ headers: { host: `localhost:${port}` }, url: `/?token=${token}` }, { token, port }).ok, true);
  assert.equal(checkRequest({ headers: {}, url: `/?token=${token}` }, { token, port }).ok, false);
});

test('a cross-site Origin is refused with 403; our own origin is accepted', () => {
  const bad = checkRequest(req({ origin: 'https://evil.example', cookie: `${cookieName(port)}=${token}` }), { token, port });
  assert.equal(!bad.ok && bad.status, 403);
  const good = checkRequest(req({ origin: `http://127.0.0.1:${port}`, cookie: `${cookieName(port)}=${token}` }), { token, port });
  assert.equal(good.ok, true);
});

test('parseCookies reads several cookies', () => {
  assert.deepEqual(parseCookies('a=1; b=two;c=3'), { a: '1', b: 'two', c: '3' });
  assert.deepEqual(parseCookies(undefined), {});
});

test('static files: only index.html and dist/ are reachable', () => {
  const root = '/srv/renderer';
  assert.equal(resolveStaticPath('/', root), join(root, 'index.html'));
  assert.equal(resolveStaticPath('/dist/app.js', root), join(root, 'dist/app.js'));
  assert.equal(resolveStaticPath('/dist/../../etc/passwd', root), null);
  assert.equal(resolveStaticPath('/dist/%2e%2e/%2e%2e/etc/passwd', root), null);
  assert.equal(resolveStaticPath('/src/main.ts', root), null);
  assert.equal(resolveStaticPath('/tsconfig.json', root), null);
});
