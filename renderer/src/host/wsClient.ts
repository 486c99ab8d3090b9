// The API over the web host's WebSocket. Reconnects when the socket drops; calls in flight then
// fail with an error that says so. The auth cookie travels with the upgrade automatically.
import type { ApiEventName, ApiEvents, ApiMethodName, KneepointApi } from '../../../main/common/api.ts';
import type { ApiArgs, ApiResult } from '../../../main/common/rpc.ts';
import { KneepointError } from '../../../main/common/errors.ts';
import type { RpcFromEngine } from '../../../main/common/rpc.ts';
import { buildRelayApi, isApiEvent } from '../../../main/common/rpc.ts';

type Listener = (payload: unknown) => void;

export interface ConnectionState { connected: boolean; message?: string }

export function createWsApi(url: string, onState?: (s: ConnectionState) => void): KneepointApi {
  const listeners = new Map<ApiEventName, Set<Listener>>();
  const pending = new Map<number, { resolve(v: unknown): void; reject(e: Error): void; method: string }>();
  let seq = 0;
  let ws: WebSocket;
  let open: Promise<void>;
  let retryMs = 250;

  function connect(): void {
    ws = new WebSocket(url);
    open = new Promise<void>((resolve) => ws.addEventListener('open', () => { retryMs = 250; onState?.({ connected: true }); resolve(); }, { once: true }));
    ws.addEventListener('message', (ev) => {
      const msg = JSON.parse(String(ev.data)) as RpcFromEngine;
      if ('event' in msg) {
        if (isApiEvent(msg.event)) for (const l of listeners.get(msg.event) ?? []) l(msg.payload);
        return;
      }
      if (!('seq' in msg)) return;
      const p = pending.get(msg.seq);
      if (!p) return;
      pending.delete(msg.seq);
      if ('error' in msg) p.reject(new KneepointError(msg.error.kind, msg.error.message));
      else p.resolve(msg.result);
    });
    ws.addEventListener('close', () => {
      for (const p of pending.values()) p.reject(new KneepointError('engine', `lost the connection to Kneepoint while running ${p.method}; is \`kneepoint serve\` still running?`));
      pending.clear();
      onState?.({ connected: false, message: 'Disconnected from the Kneepoint host; reconnecting…' });
      setTimeout(connect, retryMs);
      retryMs = Math.min(retryMs * 2, 5000);
    });
  }
  connect();

  // the reply is the engine's JSON result of `method`: typed as the contract states it
  async function call<M extends ApiMethodName>(method: M, args: ApiArgs<M>): Promise<ApiResult<M>> {
    await open;
    const id = ++seq;
    return new Promise<ApiResult<M>>((resolve, reject) => {
      pending.set(id, { resolve: (v) => resolve(v as ApiResult<M>), reject, method });
      ws.send(JSON.stringify({ seq: id, method, args }));
    });
  }

  return buildRelayApi(call, <E extends ApiEventName>(event: E, listener: (payload: ApiEvents[E]) => void) => {
    const set = listeners.get(event) ?? new Set<Listener>();
    listeners.set(event, set);
    set.add(listener as Listener);
    return () => { set.delete(listener as Listener); };
  });
}
