// The engine in a child process (child_process.fork of main/engine/processHost.ts), with a typed
// call(), event subscription, and respawn when it dies. Calls in flight when it dies fail with an
// error that says so; the next call goes to the fresh process.
import { fork } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { ApiEventName, ApiMethodName } from '../common/api.ts';
import { KneepointError } from '../common/errors.ts';
import type { RpcFromEngine } from '../common/rpc.ts';
import { isApiEvent } from '../common/rpc.ts';

export const PROCESS_HOST_PATH = fileURLToPath(new URL('../engine/processHost.ts', import.meta.url));

export interface EngineChildOptions {
  dbPath?: string;
  dataDir?: string;
  /** extra environment for the engine process, on top of this one's */
  env?: Record<string, string>;
  /** called with one line whenever the engine process exits unexpectedly */
  onCrash?: (line: string) => void;
}

export interface EngineChild {
  call(method: ApiMethodName, args: unknown[]): Promise<unknown>;
  onEvent(fn: (event: ApiEventName, payload: unknown) => void): () => void;
  /** resolves when the current process said it is ready; rejects with its startup error */
  ready(): Promise<void>;
  /** the current process id (changes after a respawn) */
  pid(): number | undefined;
  close(): Promise<void>;
}

interface Pending { resolve(v: unknown): void; reject(e: Error): void; method: ApiMethodName }

export function startEngineChild(opts: EngineChildOptions = {}): EngineChild {
  const listeners = new Set<(event: ApiEventName, payload: unknown) => void>();
  let child: ChildProcess | undefined;
  let readyPromise: Promise<void>;
  let seq = 0;
  let closed = false;
  let pending = new Map<number, Pending>();
  let respawns = 0;

  function spawn(): void {
    const env: Record<string, string | undefined> = { ...process.env, ...opts.env };
    if (opts.dbPath) env.KNEEPOINT_DB = opts.dbPath;
    if (opts.dataDir) env.KNEEPOINT_DATA_DIR = opts.dataDir;
    const c = fork(PROCESS_HOST_PATH, [], { env, stdio: ['ignore', 'inherit', 'inherit', 'ipc'], serialization: 'advanced' });
    child = c;
    const mine = pending = new Map();
    let settleReady!: { resolve(): void; reject(e: Error): void };
    readyPromise = new Promise<void>((resolve, reject) => { settleReady = { resolve, reject }; });
    readyPromise.catch(() => { /* surfaced through call() */ });
    c.on('message', (raw: RpcFromEngine) => {
      if ('ready' in raw) { respawns = 0; return settleReady.resolve(); }
      if ('fatal' in raw) return settleReady.reject(new KneepointError(raw.fatal.kind, `the engine could not start: ${raw.fatal.message}`));
      if ('event' in raw) {
        if (isApiEvent(raw.event)) for (const l of listeners) l(raw.event, raw.payload);
        return;
      }
      const p = mine.get(raw.seq);
      if (!p) return;
      mine.delete(raw.seq);
      if ('error' in raw) p.reject(new KneepointError(raw.error.kind, raw.error.message));
      else p.resolve(raw.result);
    });
    c.on('exit', (code, signal) => {
      const how = signal ? `signal ${signal}` : `exit code ${code}`;
      settleReady.reject(new KneepointError('engine', `the engine process stopped before it was ready (${how})`));
      for (const p of mine.values()) {
        p.reject(new KneepointError('engine', `the engine process stopped (${how}) while running ${p.method}; it is being restarted, so try again`));
      }
      mine.clear();
      if (closed || child !== c) return;
      opts.onCrash?.(`kneepoint: engine process stopped (${how}); restarting it`);
      // Back off a little if it keeps dying at start-up, so a broken install does not spin.
      const delayMs = Math.min(5000, 100 * 2 ** Math.min(respawns++, 6));
      setTimeout(() => { if (!closed) spawn(); }, delayMs).unref();
    });
  }
  spawn();

  return {
    async call(method, args) {
      if (closed) throw new KneepointError('engine', 'the web host is shutting down');
      await readyPromise;
      const c = child!;
      const id = ++seq;
      return new Promise((resolve, reject) => {
        pending.set(id, { resolve, reject, method });
        c.send({ seq: id, method, args }, (err) => {
          if (err && pending.delete(id)) reject(new KneepointError('engine', `could not reach the engine process: ${err.message}`));
        });
      });
    },
    onEvent(fn) { listeners.add(fn); return () => { listeners.delete(fn); }; },
    ready: () => readyPromise,
    pid: () => child?.pid,
    async close() {
      if (closed) return;
      closed = true;
      const c = child;
      if (!c || c.exitCode !== null || c.signalCode !== null) return;
      await new Promise<void>((resolve) => {
        const t = setTimeout(() => { c.kill('SIGKILL'); }, 5000);
        c.once('exit', () => { clearTimeout(t); resolve(); });
        if (c.connected) c.disconnect(); else c.kill('SIGTERM');
      });
    },
  };
}
