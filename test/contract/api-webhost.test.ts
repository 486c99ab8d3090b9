// The API contract through the web host: HTTP token → cookie → WebSocket → engine child process.
// Plus the host's own promises: token-less requests are refused, a dead engine is respawned.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import WebSocket from 'ws';
import { startWebHost } from '../../main/web/server.ts';
import type { WebHost } from '../../main/web/server.ts';
import { apiContractSuite } from './apiSuite.ts';
import { connectWebHost } from './webHostClient.ts';

apiContractSuite('web host', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'kneepoint-contract-web-'));
  const host = await startWebHost({ dbPath: join(dir, 'kp.db'), dataDir: dir, log: () => {} });
  const api = await connectWebHost(host.url);
  return { api, close: async () => { api.close(); await host.close(); rmSync(dir, { recursive: true, force: true }); } };
});

let host: WebHost;
let dir: string;
before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'kneepoint-webhost-'));
  host = await startWebHost({ dbPath: join(dir, 'kp.db'), dataDir: dir, log: () => {} });
});
after(async () => { await host.close(); rmSync(dir, { recursive: true, force: true }); });

test('web host: requests without the token get 401, a foreign Host 403; pages carry a strict CSP', async () => {
  const base = `http://127.0.0.1:${host.port}`;
  assert.equal((await fetch(`${base}/`)).status, 401);
  assert.equal((await fetch(`${base}/dist/app.js`)).status, 401);
  const redirect = await fetch(host.url, { redirect: 'manual' });
  assert.equal(redirect.status, 303);
  assert.equal(redirect.headers.get('location'), '/');
  const cookie = redirect.headers.get('set-cookie')!;
  assert.match(cookie, /HttpOnly/);
  assert.match(cookie, /SameSite=Strict/);
  const page = await fetch(`${base}/`, { headers: { cookie: cookie.split(';')[0] } });
  assert.equal(page.status, 200);
  const csp = page.headers.get('content-security-policy') ?? '';
  assert.match(csp, /script-src 'self'/);
  assert.doesNotMatch(csp, /unsafe-inline|unsafe-eval/);
  // the WebSocket refuses an upgrade without the cookie
  const ws = new WebSocket(`ws://127.0.0.1:${host.port}/ws`);
  const status = await new Promise<number>((resolve) => ws.on('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0)));
  assert.equal(status, 401);
  const evil = new WebSocket(`ws://127.0.0.1:${host.port}/ws`, { headers: { cookie: cookie.split(';')[0], origin: 'https://evil.example' } });
  assert.equal(await new Promise<number>((resolve) => evil.on('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0))), 403);
});

test('web host: when the engine process dies, calls in flight fail clearly and the next call works', async () => {
  const api = await connectWebHost(host.url);
  try {
    await api.listModels();
    const pid = host.engine.pid()!;
    const inFlight = api.getInfo();
    process.kill(pid, 'SIGKILL');
    // getInfo may have been answered before the kill landed; if not, the error must say why
    await inFlight.catch((err: Error) => assert.match(err.message, /engine process stopped/));
    let models: unknown[] = [];
    for (let i = 0; i < 50 && models.length === 0; i++) {
      models = await api.listModels().catch(() => []);
      if (!models.length) await new Promise((r) => setTimeout(r, 100));
    }
    assert.ok(models.length > 0, 'engine answered again after the respawn');
    assert.notEqual(host.engine.pid(), pid);
  } finally { api.close(); }
});
