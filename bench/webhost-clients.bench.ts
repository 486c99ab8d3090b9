// Web host under many tabs (prints; no pass/fail): N WebSocket clients connected to one
// `kneepoint serve`-style host while a real sweep runs, every client receiving the broadcast
// progress and calling the API itself. Reports API round-trip latency during the sweep, and checks
// that no event was lost or reordered for any client and that no reply reached the wrong client.
// Run: npx node bench/webhost-clients.bench.ts [clients=20] [model=mlp-small]
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import WebSocket from 'ws';
import { startWebHost } from '../main/web/server.ts';

const clients = Number(process.argv[2] ?? 20);
const modelId = process.argv[3] ?? 'mlp-small';
const dir = mkdtempSync(join(tmpdir(), 'kneepoint-bench-webhost-'));
const startedAt = performance.now();
const host = await startWebHost({ dbPath: join(dir, 'kp.db'), dataDir: dir, log: () => {} });
await host.engine.ready();
const engineStartMs = performance.now() - startedAt;
const cookie = (await fetch(host.url, { redirect: 'manual' })).headers.get('set-cookie')!.split(';')[0];

interface Client {
  ws: WebSocket;
  events: string[];
  sent: Map<number, { method: string; at: number }>;
  latenciesMs: number[];
  slow: Array<{ method: string; ms: number; atS: number }>;
  misdelivered: number;
  errors: number;
  nextSeq: number;
}

function send(c: Client, method: string, args: unknown[] = []): void {
  const seq = c.nextSeq++;
  c.sent.set(seq, { method, at: performance.now() });
  c.ws.send(JSON.stringify({ seq, method, args }));
}

let finished: () => void;
const sweepDone = new Promise<void>((r) => { finished = r; });
let jobId = '';
let t0 = performance.now();
const all: Client[] = [];
for (let i = 0; i < clients; i++) {
  const ws = new WebSocket(`ws://127.0.0.1:${host.port}/ws`, { headers: { cookie, origin: `http://127.0.0.1:${host.port}` } });
  // seqs are disjoint between clients, so a reply carrying another client's seq is a misdelivery
  const c: Client = { ws, events: [], sent: new Map(), latenciesMs: [], slow: [], misdelivered: 0, errors: 0, nextSeq: (i + 1) * 1_000_000 };
  ws.on('message', (data) => {
    const msg = JSON.parse(String(data)) as { event?: string; payload?: { jobId?: string }; seq?: number; result?: unknown; error?: unknown };
    if (msg.event) {
      c.events.push(String(data));
      if (msg.event === 'job.finished' && msg.payload?.jobId === jobId && i === 0) finished();
      return;
    }
    const mine = c.sent.get(msg.seq ?? -1);
    if (!mine) { c.misdelivered++; return; }
    c.sent.delete(msg.seq!);
    if (msg.error) c.errors++;
    const ms = performance.now() - mine.at;
    if (mine.method !== 'startSweep') c.latenciesMs.push(ms);
    if (ms > 250) c.slow.push({ method: mine.method, ms, atS: (mine.at - t0) / 1000 });
    if (mine.method === 'startSweep') jobId = (msg.result as { jobId: string }).jobId;
  });
  await new Promise<void>((resolve, reject) => { ws.once('open', () => resolve()); ws.once('error', reject); });
  all.push(c);
}

// the first listModels inspects every built-in model (cold cache): timed on its own, before the sweep
const coldStart = performance.now();
send(all[0], 'listModels');
while (all[0].sent.size) await new Promise((r) => setTimeout(r, 5));
const coldMs = performance.now() - coldStart;
all[0].latenciesMs.length = 0;
all[0].slow.length = 0;
t0 = performance.now();
send(all[0], 'startSweep', [{
  model: modelId, batch: [1, 2, 4, 8, 16, 32], instances: [1, 2], threads: [1],
  method: { windowMinMs: 300, maxWindows: 4, minSamplesForP99: 200, windowMinRequests: 30, anchor: false },
  name: 'webhost-clients bench',
}]);
// every tab polls like the Runs view does; the first one also times a cheap call at 10 Hz
const polls = all.map((c) => setInterval(() => send(c, 'listJobs'), 250));
const probe = setInterval(() => send(all[0], 'listModels'), 100);
await sweepDone;
for (const p of [...polls, probe]) clearInterval(p);
const sweepMs = performance.now() - t0;
await new Promise((r) => setTimeout(r, 500)); // last replies

const lat = all.flatMap((c) => c.latenciesMs).sort((a, b) => a - b);
const q = (p: number) => lat[Math.min(lat.length - 1, Math.floor(p * lat.length))];
const reference = all[0].events;
const differing = all.filter((c) => c.events.length !== reference.length || c.events.some((e, k) => e !== reference[k])).length;
const pending = all.reduce((s, c) => s + c.sent.size, 0);
const progress = reference.filter((e) => e.includes('"job.progress"')).length;
const points = reference.filter((e) => e.includes('"job.point"')).length;

console.log(`${clients} WebSocket clients, sweep of ${modelId} (12 points) in ${(sweepMs / 1000).toFixed(1)} s`);
console.log(`engine process start-up ${engineStartMs.toFixed(0)} ms; first listModels after it (cold inspection cache, before the sweep) ${coldMs.toFixed(0)} ms`);
console.log(`API round trips during the sweep (startSweep itself excluded): ${lat.length} calls, p50 ${q(0.5).toFixed(1)} ms, p90 ${q(0.9).toFixed(1)} ms, p99 ${q(0.99).toFixed(1)} ms, max ${lat[lat.length - 1].toFixed(1)} ms`);
const slow = all.flatMap((c) => c.slow).sort((a, b) => a.atS - b.atS);
if (slow.length) console.log(`calls over 250 ms: ${slow.length}, sent at ${[...new Set(slow.map((x) => x.atS.toFixed(1)))].slice(0, 12).join(', ')} s (${[...new Set(slow.map((x) => x.method))].join(', ')})`);
console.log(`events per client: ${reference.length} (${progress} progress, ${points} points); clients whose event stream differs from client 0: ${differing}`);
console.log(`replies misdelivered: ${all.reduce((s, c) => s + c.misdelivered, 0)}; errors: ${all.reduce((s, c) => s + c.errors, 0)}; unanswered: ${pending}`);
for (const c of all) c.ws.close();
await host.close();
rmSync(dir, { recursive: true, force: true });
