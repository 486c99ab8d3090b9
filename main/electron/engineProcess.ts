// The engine in an Electron utility process (main/engine/processHost.ts), respawned if it dies;
// calls in flight then fail with an error that says so. Mirrors main/web/engineChild.ts.
import { utilityProcess } from 'electron';
import type { UtilityProcess } from 'electron';
import type { ApiErrorShape, ApiEventName, ApiMethodName } from '../common/api.ts';
import type { RpcFromEngine } from '../common/rpc.ts';
import { isApiEvent } from '../common/rpc.ts';

export interface EngineProcess {
  call(method: ApiMethodName, args: unknown[]): Promise<{ ok: true; result: unknown } | { ok: false; error: ApiErrorShape }>;
  onEvent(fn: (event: ApiEventName, payload: unknown) => void): void;
  close(): void;
}

export function startEngineProcess(entry: string, env: Record<string, string>): EngineProcess {
  type Reply = { ok: true; result: unknown } | { ok: false; error: ApiErrorShape };
  const listeners: Array<(event: ApiEventName, payload: unknown) => void> = [];
  let child: UtilityProcess;
  let ready: Promise<ApiErrorShape | null>;
  let pending = new Map<number, { resolve(r: Reply): void; method: ApiMethodName }>();
  let seq = 0;
  let closed = false;
  let respawns = 0;

  function spawn(): void {
    const c = utilityProcess.fork(entry, [], {
      serviceName: 'Kneepoint engine', stdio: 'inherit',
      env: { ...process.env, ...env } as Record<string, string>,
      execArgv: ['--experimental-strip-types', '--disable-warning=ExperimentalWarning'],
    });
    child = c;
    const mine = pending = new Map();
    let settle!: (e: ApiErrorShape | null) => void;
    ready = new Promise((r) => { settle = r; });
    c.on('message', (raw: RpcFromEngine) => {
      if ('ready' in raw) { respawns = 0; return settle(null); }
      if ('fatal' in raw) return settle({ kind: raw.fatal.kind, message: `the engine could not start: ${raw.fatal.message}` });
      if ('event' in raw) { if (isApiEvent(raw.event)) for (const l of listeners) l(raw.event, raw.payload); return; }
      const p = mine.get(raw.seq);
      if (!p) return;
      mine.delete(raw.seq);
      p.resolve('error' in raw ? { ok: false, error: raw.error } : { ok: true, result: raw.result });
    });
    c.on('exit', (code) => {
      settle({ kind: 'engine', message: `the engine process stopped before it was ready (exit code ${code})` });
      for (const p of mine.values()) p.resolve({ ok: false, error: { kind: 'engine', message: `the engine process stopped (exit code ${code}) while running ${p.method}; it is being restarted, so try again` } });
      mine.clear();
      if (closed || child !== c) return;
      const delayMs = Math.min(5000, 100 * 2 ** Math.min(respawns++, 6));
      setTimeout(() => { if (!closed) spawn(); }, delayMs);
    });
  }
  spawn();

  return {
    async call(method, args) {
      const startError = await ready;
      if (startError) return { ok: false, error: startError };
      const id = ++seq;
      return new Promise<Reply>((resolve) => {
        pending.set(id, { resolve, method });
        child.postMessage({ seq: id, method, args });
      });
    },
    onEvent(fn) { listeners.push(fn); },
    close() { closed = true; child.kill(); },
  };
}
