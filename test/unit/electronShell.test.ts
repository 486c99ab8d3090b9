// The Electron window is locked down (security checklist) and the preload exposes an allowlist:
// exactly one function per API method, `on` for known events, the dialogs, and nothing else.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { API_EVENTS, API_METHODS } from '../../main/common/api.ts';
import { IPC_EVENT_CHANNEL, ipcChannel } from '../../main/common/bridge.ts';
import { BRIDGE_EXTRAS, buildBridge } from '../../main/electron/preloadBridge.ts';
import { APP_START_URL, WEB_PREFERENCES, isTrustedSenderUrl, navigationDecision, windowOptions } from '../../main/electron/windowOptions.ts';

test('BrowserWindow: context isolation, sandbox, no Node integration, web security on', () => {
  const o = windowOptions('/app/preload.cjs');
  const w = o.webPreferences!;
  assert.equal(w.contextIsolation, true);
  assert.equal(w.sandbox, true);
  assert.equal(w.nodeIntegration, false);
  assert.equal(w.nodeIntegrationInWorker, false);
  assert.equal(w.nodeIntegrationInSubFrames, false);
  assert.equal(w.webSecurity, true);
  assert.equal(w.allowRunningInsecureContent, false);
  assert.equal(w.webviewTag, false);
  assert.equal(w.preload, '/app/preload.cjs');
  assert.deepEqual({ ...w, preload: undefined }, { ...WEB_PREFERENCES, preload: undefined });
});

test('the app is served from a custom protocol, not file://', () => {
  assert.match(APP_START_URL, /^app:\/\/kneepoint\//);
});

test('IPC senders and navigation: only app://kneepoint/ is trusted', () => {
  assert.equal(isTrustedSenderUrl('app://kneepoint/index.html#/runs'), true);
  assert.equal(isTrustedSenderUrl('app://other/index.html'), false);
  assert.equal(isTrustedSenderUrl('file:///etc/passwd'), false);
  assert.equal(isTrustedSenderUrl('https://kneepoint/'), false);
  assert.equal(isTrustedSenderUrl(undefined), false);
  assert.equal(navigationDecision('app://kneepoint/index.html'), 'allow');
  assert.equal(navigationDecision('https://example.com/docs'), 'external');
  assert.equal(navigationDecision('http://example.com/'), 'deny');
  assert.equal(navigationDecision('file:///tmp/x.html'), 'deny');
});

function fakeIpc() {
  const invoked: Array<[string, unknown[]]> = [];
  const handlers = new Map<string, (e: unknown, ...a: unknown[]) => void>();
  return {
    invoked, handlers,
    invoke: async (channel: string, ...args: unknown[]) => { invoked.push([channel, args]); return { ok: true, result: channel }; },
    on: (channel: string, l: (e: unknown, ...a: unknown[]) => void) => { handlers.set(channel, l); },
    removeListener: () => undefined,
  };
}

test('the preload exposes exactly one function per API method plus on/dialogs, never ipcRenderer', () => {
  const ipc = fakeIpc();
  const bridge = buildBridge(ipc) as unknown as Record<string, unknown>;
  assert.deepEqual(Object.keys(bridge).sort(), [...API_METHODS, ...BRIDGE_EXTRAS].sort());
  for (const k of Object.keys(bridge)) assert.equal(typeof bridge[k], 'function', k);
  for (const v of Object.values(bridge)) assert.notEqual(v, ipc);
  assert.ok(!('invoke' in bridge) && !('send' in bridge) && !('ipcRenderer' in bridge));
});

test('each method invokes only its own channel with its one argument', async () => {
  const ipc = fakeIpc();
  const bridge = buildBridge(ipc);
  const r = await bridge.getRun({ runId: 'r1' });
  assert.deepEqual(r, { ok: true, result: ipcChannel('getRun') });
  assert.deepEqual(ipc.invoked, [[ipcChannel('getRun'), [{ runId: 'r1' }]]]);
});

test('on() accepts only the contract events and returns an unsubscribe', () => {
  const ipc = fakeIpc();
  const bridge = buildBridge(ipc);
  const got: unknown[] = [];
  const off = bridge.on('job.point', (p) => got.push(p));
  const relay = ipc.handlers.get(IPC_EVENT_CHANNEL)!;
  relay({}, { event: 'job.point', payload: { n: 1 } });
  relay({}, { event: 'job.progress', payload: { n: 2 } });
  off();
  relay({}, { event: 'job.point', payload: { n: 3 } });
  assert.deepEqual(got, [{ n: 1 }]);
  assert.throws(() => bridge.on('ipc.anything' as never, () => {}), /unknown event/);
  assert.ok(API_EVENTS.length >= 3);
});
