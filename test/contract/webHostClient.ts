// A Node-side KneepointApi over the web host's WebSocket (token → cookie, then /ws), for the
// contract suite. Same wire format as renderer/src/host/wsClient.ts.
import WebSocket from 'ws';
import type { ApiEventName, ApiEvents, KneepointApi } from '../../main/common/api.ts';
import { KneepointError } from '../../main/common/errors.ts';
import { buildRelayApi, isApiEvent } from '../../main/common/rpc.ts';
import type { RpcFromEngine } from '../../main/common/rpc.ts';

export async function connectWebHost(url: string): Promise<KneepointApi & { close(): void }> {
  const u = new URL(url);
  const res = await fetch(url, { redirect: 'manual' });
  const cookie = res.headers.get('set-cookie')?.split(';')[0];
  if (res.status !== 303 || !cookie) throw new Error(`web host did not trade the token for a cookie (HTTP ${res.status})`);
  const ws = new WebSocket(`ws://${u.host}/ws`, { headers: { cookie, origin: `http://${u.host}` } });
  await new Promise<void>((resolve, reject) => { ws.once('open', () => resolve()); ws.once('error', reject); });
  const pending = new Map<number, { resolve(v: unknown): void; reject(e: Error): void }>();
  const listeners = new Map<ApiEventName, Set<(p: unknown) => void>>();
  let seq = 0;
  ws.on('message', (data) => {
    const msg = JSON.parse(String(data)) as RpcFromEngine;
    if ('event' in msg) { if (isApiEvent(msg.event)) for (const l of listeners.get(msg.event) ?? []) l(msg.payload); return; }
    if (!('seq' in msg)) return;
    const p = pending.get(msg.seq);
    if (!p) return;
    pending.delete(msg.seq);
    if ('error' in msg) p.reject(new KneepointError(msg.error.kind, msg.error.message)); else p.resolve(msg.result);
  });
  ws.on('close', () => { for (const p of pending.values()) p.reject(new Error('web host connection closed')); pending.clear(); });
  const api = buildRelayApi((method, args) => new Promise((resolve, reject) => {
    const id = ++seq;
    pending.set(id, { resolve, reject });
    ws.send(JSON.stringify({ seq: id, method, args }));
  }), <E extends ApiEventName>(event: E, listener: (payload: ApiEvents[E]) => void) => {
    const set = listeners.get(event) ?? new Set();
    listeners.set(event, set);
    set.add(listener as (p: unknown) => void);
    return () => { set.delete(listener as (p: unknown) => void); };
  });
  return Object.assign(api, { close: () => ws.close() });
}
