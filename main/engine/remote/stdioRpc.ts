// The API contract over a byte stream: newline-delimited JSON, one RpcRequest / RpcReply /
// RpcEvent / RpcHello per line (the same messages the web host relays over WebSocket and the
// Electron host over IPC). The agent serves an engine on stdin/stdout; RemoteApi is the client
// side over a child process's stdio (an ssh session running `kneepoint agent --stdio`).
import { createInterface } from 'node:readline';
import type { ChildProcess } from 'node:child_process';
import type { Readable } from 'node:stream';
import { API_EVENTS, type ApiEventName, type ApiEvents, type ApiMethodName, type KneepointApi } from '../../common/api.ts';
import { KneepointError, errorShape } from '../../common/errors.ts';
import { buildRelayApi, isApiEvent, parseRpcRequest, typedCall, type RpcFromEngine } from '../../common/rpc.ts';

type ServedEngine = KneepointApi;

/** Serve `engine` on `input` lines; replies and events go to `write` (one JSON line each). Resolves when input ends. */
export function serveStdio(engine: ServedEngine, input: Readable, write: (line: string) => void): Promise<void> {
  const send = (msg: RpcFromEngine) => write(`${JSON.stringify(msg)}\n`);
  const unsubscribe = API_EVENTS.map((event) => engine.on(event, (payload) => send({ event, payload } as RpcFromEngine)));
  const inFlight = new Set<Promise<unknown>>();
  const rl = createInterface({ input, crlfDelay: Infinity });
  rl.on('line', (line) => {
    if (!line.trim()) return;
    let raw: unknown;
    try { raw = JSON.parse(line); } catch {
      send({ seq: -1, error: { kind: 'invalid-input', message: 'malformed request: each line must be one JSON object {seq, method, args}' } });
      return;
    }
    const req = parseRpcRequest(raw);
    if (!req) {
      const seq = (raw as { seq?: unknown })?.seq;
      send({ seq: typeof seq === 'number' ? seq : -1, error: { kind: 'invalid-input', message: 'malformed request: expected {seq, method, args} with a known method' } });
      return;
    }
    const fn = engine[req.method] as (...a: unknown[]) => Promise<unknown>;
    const p = (async () => fn.apply(engine, req.args))()
      .then((result) => send({ seq: req.seq, result }), (err) => send({ seq: req.seq, error: errorShape(err) }));
    inFlight.add(p);
    void p.finally(() => inFlight.delete(p));
  });
  send({ ready: true });
  return new Promise((resolve) => rl.once('close', () => {
    for (const u of unsubscribe) u();
    void Promise.allSettled([...inFlight]).then(() => resolve());
  }));
}

export interface RemoteApi extends KneepointApi {
  /** resolves once the channel is gone, with the reason in words */
  readonly closed: Promise<string>;
  readonly isClosed: boolean;
  /** end the session: stdin closed (the agent shuts down cleanly), then the process is killed if it lingers */
  close(): Promise<void>;
}

const HELLO_TIMEOUT_MS = 120_000;

/**
 * Connect to an agent speaking the contract on `child`'s stdio. Resolves after its hello; rejects
 * with what it printed on stderr when it exits first (ssh errors, missing install, …).
 * `describeExit` turns an exit before the hello into the error a person sees.
 */
export function connectStdio(child: ChildProcess, describeExit: (code: number | null, stderr: string) => Error): Promise<RemoteApi> {
  const pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  const listeners = new Map<ApiEventName, Set<(p: unknown) => void>>();
  let seq = 0;
  let stderr = '';
  let closedFlag = false;
  let closeReason = '';
  let resolveClosed!: (why: string) => void;
  const closed = new Promise<string>((r) => { resolveClosed = r; });
  child.stderr?.setEncoding('utf8').on('data', (d: string) => { stderr = (stderr + d).slice(-20_000); });
  child.stdin?.on('error', () => { /* reported by the exit below */ });

  const call = (method: ApiMethodName, args: unknown[]): Promise<unknown> => {
    if (closedFlag) return Promise.reject(new KneepointError('engine', `connection lost: ${closeReason}`));
    const s = ++seq;
    return new Promise((resolve, reject) => {
      pending.set(s, { resolve, reject });
      child.stdin!.write(`${JSON.stringify({ seq: s, method, args })}\n`);
    });
  };
  const on = <E extends ApiEventName>(event: E, fn: (payload: ApiEvents[E]) => void): (() => void) => {
    const set = listeners.get(event) ?? new Set();
    listeners.set(event, set);
    const f = fn as (p: unknown) => void;
    set.add(f);
    return () => { set.delete(f); };
  };
  const api = buildRelayApi(typedCall(call), on) as RemoteApi;
  Object.defineProperties(api, {
    closed: { value: closed },
    isClosed: { get: () => closedFlag },
    close: {
      value: async () => {
        if (closedFlag) return;
        child.stdin?.end();
        const killer = setTimeout(() => child.kill('SIGTERM'), 5000);
        await closed;
        clearTimeout(killer);
      },
    },
  });

  return new Promise<RemoteApi>((resolveConn, rejectConn) => {
    let ready = false;
    const timer = setTimeout(() => {
      if (ready) return;
      child.kill('SIGTERM');
      rejectConn(new KneepointError('engine', `the remote agent did not start within ${HELLO_TIMEOUT_MS / 1000} s; its stderr: ${stderr.trim().slice(-500)}`));
    }, HELLO_TIMEOUT_MS);
    const rl = createInterface({ input: child.stdout!, crlfDelay: Infinity });
    rl.on('line', (line) => {
      let msg: Record<string, unknown>;
      try { msg = JSON.parse(line); } catch { return; /* a login banner or a stray print: not protocol */ }
      if (!msg || typeof msg !== 'object') return;
      if (msg.ready === true && !ready) {
        ready = true;
        clearTimeout(timer);
        resolveConn(api);
        return;
      }
      if ('fatal' in msg) {
        const f = msg.fatal as { kind?: 'engine'; message?: string };
        clearTimeout(timer);
        rejectConn(new KneepointError(f.kind ?? 'engine', `the remote agent could not start: ${f.message}`));
        return;
      }
      if ('event' in msg && isApiEvent(msg.event)) {
        for (const fn of listeners.get(msg.event) ?? []) fn(msg.payload);
        return;
      }
      if (typeof msg.seq === 'number') {
        const p = pending.get(msg.seq);
        if (!p) return;
        pending.delete(msg.seq);
        if ('error' in msg) {
          const e = msg.error as { kind?: 'engine'; message: string };
          p.reject(new KneepointError(e.kind ?? 'engine', e.message));
        } else p.resolve(msg.result);
      }
    });
    child.on('error', (e) => {
      clearTimeout(timer);
      rejectConn(new KneepointError('engine', `cannot start the connection: ${e.message}`));
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      closedFlag = true;
      const err = describeExit(code, stderr);
      closeReason = err.message + (signal ? ` (signal ${signal})` : '');
      if (!ready) rejectConn(err);
      for (const p of pending.values()) p.reject(new KneepointError('engine', `connection lost: ${closeReason}`));
      pending.clear();
      resolveClosed(closeReason);
    });
  });
}
