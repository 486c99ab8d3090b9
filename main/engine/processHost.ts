// Entry of the engine process. A host starts it with child_process.fork (web host) or Electron's
// utilityProcess.fork (desktop); it creates the engine and relays {seq, method, args} requests,
// {seq, result | error} replies and {event, payload} events over whichever channel it was given.
// Env: KNEEPOINT_DB (database path), KNEEPOINT_DATA_DIR, KNEEPOINT_FAKE_ENGINE=1 (in-memory fake,
// for UI development and tests of the hosts only).
import { API_EVENTS } from '../common/api.ts';
import type { KneepointApi } from '../common/api.ts';
import { errorShape } from '../common/errors.ts';
import { parseRpcRequest } from '../common/rpc.ts';
import type { RpcFromEngine } from '../common/rpc.ts';

type Engine = KneepointApi & { close(): Promise<void> };

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
  const parentPort = (process as unknown as { parentPort?: ParentPort }).parentPort;
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
  const dbPath = process.env.KNEEPOINT_DB || undefined;
  const dataDir = process.env.KNEEPOINT_DATA_DIR || undefined;
  if (process.env.KNEEPOINT_FAKE_ENGINE === '1') {
    const { createFakeApi } = await import('../../renderer/src/host/fakeApi.ts');
    const fake = createFakeApi();
    if (process.env.KNEEPOINT_FAKE_SEED === '1') {
      fake.seedRun({ model: 'mlp-tiny', batch: [1, 2, 4, 8, 16], instances: [1, 2] }, 'seeded mlp-tiny');
      fake.seedRun({ model: 'mlp-tiny', batch: [1, 2, 4, 8, 16], instances: [1, 2], precision: ['int8'] }, 'seeded mlp-tiny int8');
    }
    return fake;
  }
  // a variable specifier: the engine module is written by another part of the team
  const enginePath = './api.ts';
  const mod = await import(enginePath) as { createEngine(o: { dbPath?: string; dataDir?: string }): Promise<Engine> };
  return mod.createEngine({ dbPath, dataDir });
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
    const fn = engine[req.method] as (...a: unknown[]) => Promise<unknown>;
    const p = (async () => fn.apply(engine, req.args))()
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
