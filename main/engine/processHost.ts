// Entry of the engine process. A host starts it with child_process.fork (web host) or Electron's
// utilityProcess.fork (desktop); it creates the engine and relays {seq, method, args} requests,
// {seq, result | error} replies and {event, payload} events over whichever channel it was given.
// Env: KNEEPOINT_DB (database path), KNEEPOINT_DATA_DIR.
// The boundary: this file is the process entry a host starts by its path (never bundled); the
// engine it serves is main/engine/api.ts, loaded with a literal dynamic import so that an engine
// that cannot start (a native module that fails to load, a database it cannot open) is reported to
// the host as {fatal} instead of a silent exit.
import { API_EVENTS } from '../common/api.ts';
import { errorShape } from '../common/errors.ts';
import { invokeApiMethod, parseRpcRequest } from '../common/rpc.ts';
import type { RpcFromEngine } from '../common/rpc.ts';

import type { Engine } from './api.ts';

interface Channel {
  send(msg: RpcFromEngine): void;
  onMessage(fn: (msg: unknown) => void): void;
  onClose(fn: () => void): void;
}

interface ParentPort {
  postMessage(msg: unknown): void;
  on(ev: 'message', fn: (e: { data: unknown }) => void): void;
}

function pickChannel(): Channel {
  // Electron's utility process adds process.parentPort, which Node's types do not know
  const parentPort = (process as NodeJS.Process & { parentPort?: ParentPort }).parentPort;
  if (parentPort) {
    return {
      send: (msg) => parentPort.postMessage(msg),
      onMessage: (fn) => parentPort.on('message', (e) => fn(e.data)),
      onClose: () => { /* utilityProcess is killed by its parent */ },
    };
  }
  if (process.send) {
    return {
      send: (msg) => { if (process.connected) process.send!(msg); },
      onMessage: (fn) => process.on('message', fn),
      onClose: (fn) => process.on('disconnect', fn),
    };
  }
  throw new Error('processHost must be started with child_process.fork or utilityProcess.fork');
}

async function loadEngine(): Promise<Engine> {
  const { createEngine } = await import('./api.ts');
  return createEngine({ dbPath: process.env.KNEEPOINT_DB || undefined, dataDir: process.env.KNEEPOINT_DATA_DIR || undefined });
}

export async function runProcessHost(): Promise<void> {
  const channel = pickChannel();
  let engine: Engine;
  try {
    engine = await loadEngine();
  } catch (err) {
    channel.send({ fatal: errorShape(err) });
    process.exitCode = 1;
    setTimeout(() => process.exit(1), 50);
    return;
  }
  for (const event of API_EVENTS) engine.on(event, (payload) => channel.send({ event, payload }));

  const inFlight = new Set<Promise<unknown>>();
  channel.onMessage((raw) => {
    const req = parseRpcRequest(raw);
    if (!req) {
      const seq = (raw as { seq?: unknown })?.seq;
      if (typeof seq === 'number') channel.send({ seq, error: { kind: 'invalid-input', message: 'malformed request: expected {seq, method, args} with a known method' } });
      return;
    }
    const p = invokeApiMethod(engine, req.method, req.args)
      .then((result) => channel.send({ seq: req.seq, result }), (err) => channel.send({ seq: req.seq, error: errorShape(err) }));
    inFlight.add(p);
    void p.finally(() => inFlight.delete(p));
  });

  let closing = false;
  const shutdown = async () => {
    if (closing) return;
    closing = true;
    try { await engine.close(); } finally { process.exit(0); }
  };
  channel.onClose(() => void shutdown());
  process.on('SIGTERM', () => void shutdown());
  process.on('SIGINT', () => void shutdown());
  channel.send({ ready: true });
}

await runProcessHost();
