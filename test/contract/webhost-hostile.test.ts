// The web host against a hostile client: raw WebSocket frames that break the protocol must cost
// that client its own connection (with the close code RFC 6455 names) and nothing else; invalid
// input sent through the bridge keeps its kind and its location. The host runs as the real
// `kneepoint serve` process, so a crash shows as its exit (an in-test host would take the runner).
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import type { ChildProcess } from 'node:child_process';
import type { Socket } from 'node:net';
import WebSocket from 'ws';
import { MAX_MESSAGE_BYTES } from '../../main/web/wsBridge.ts';
import { MAX_UPLOAD_MESSAGE_BYTES } from '../../main/common/modelUpload.ts';
import { KneepointError } from '../../main/common/errors.ts';
import { startCli, tempDir } from '../helpers/cli.ts';
import { connectWebHost } from './webHostClient.ts';

let serve: ChildProcess;
let host: { url: string; port: number };
let dir: string;
let cookie: string;
let stderr = '';
before(async () => {
  dir = tempDir('kneepoint-hostile-');
  serve = startCli(['serve', '--no-open'], { KNEEPOINT_DB: join(dir, 'kp.db'), KNEEPOINT_DATA_DIR: dir });
  serve.stderr!.on('data', (d) => { stderr += d; });
  const url = await new Promise<string>((resolve, reject) => {
    let out = '';
    serve.stdout!.on('data', (d) => { out += d; const m = /http:\/\/127\.0\.0\.1:\d+\/\?token=\S+/.exec(out); if (m) resolve(m[0]); });
    serve.once('exit', (code) => reject(new Error(`serve exited (${code}) before printing its URL: ${stderr}`)));
  });
  host = { url, port: Number(new URL(url).port) };
  const res = await fetch(host.url, { redirect: 'manual' });
  cookie = res.headers.get('set-cookie')!.split(';')[0];
});
after(async () => {
  if (serve.exitCode === null) { serve.kill('SIGTERM'); await new Promise((r) => serve.once('exit', r)); }
  rmSync(dir, { recursive: true, force: true });
});

async function openRaw(): Promise<{ ws: WebSocket; socket: Socket; closed: Promise<number> }> {
  const ws = new WebSocket(`ws://127.0.0.1:${host.port}/ws`, { headers: { cookie, origin: `http://127.0.0.1:${host.port}` } });
  // the client library itself complains about the server's close after our bad frame; that is expected
  ws.on('error', () => {});
  const closed = new Promise<number>((resolve) => ws.on('close', (code) => resolve(code)));
  await new Promise<void>((resolve, reject) => { ws.once('open', () => resolve()); ws.once('unexpected-response', () => reject(new Error('upgrade refused'))); });
  return { ws, socket: (ws as unknown as { _socket: Socket })._socket, closed };
}

/** A client→server frame header (RFC 6455 §5.2) with the mask bit as given. */
function frame(opcode: number, payload: Buffer, { masked = true, declaredLength }: { masked?: boolean; declaredLength?: number } = {}): Buffer {
  const len = declaredLength ?? payload.length;
  const parts: Buffer[] = [Buffer.from([0x80 | opcode])];
  const maskBit = masked ? 0x80 : 0;
  if (len < 126) parts.push(Buffer.from([maskBit | len]));
  else if (len < 65536) { const b = Buffer.alloc(3); b[0] = maskBit | 126; b.writeUInt16BE(len, 1); parts.push(b); }
  else { const b = Buffer.alloc(9); b[0] = maskBit | 127; b.writeBigUInt64BE(BigInt(len), 1); parts.push(b); }
  if (masked) {
    const key = Buffer.from([1, 2, 3, 4]);
    parts.push(key, Buffer.from(payload.map((byte, i) => byte ^ key[i % 4])));
  } else parts.push(payload);
  return Buffer.concat(parts);
}

const cases: Array<{ name: string; bytes: () => Buffer; code: number }> = [
  { name: 'a header declaring a 400 MB payload', bytes: () => frame(0x1, Buffer.alloc(16), { declaredLength: 400e6 }), code: 1009 },
  { name: 'an unmasked frame', bytes: () => frame(0x1, Buffer.from('{"seq":1}'), { masked: false }), code: 1002 },
  { name: 'invalid UTF-8 in a text frame', bytes: () => frame(0x1, Buffer.from([0x7b, 0xff, 0xfe, 0x7d])), code: 1007 },
  { name: 'a reserved opcode', bytes: () => frame(0x3, Buffer.from('x')), code: 1002 },
  { name: 'a binary frame', bytes: () => frame(0x2, Buffer.from('{"seq":1,"method":"listModels","args":[]}')), code: 1003 },
];

test('web host: maxPayload is the largest legitimate message (a model upload at its limit)', () => {
  assert.ok(MAX_MESSAGE_BYTES >= MAX_UPLOAD_MESSAGE_BYTES);
  assert.ok(MAX_MESSAGE_BYTES < 400e6, 'a 400 MB frame is over the limit');
});

for (const c of cases) {
  test(`web host: ${c.name} closes that client with ${c.code}; another client keeps working`, async () => {
    const bystander = await connectWebHost(host.url);
    try {
      const before = await bystander.listModels();
      const { socket, closed } = await openRaw();
      socket.write(c.bytes());
      assert.equal(await closed, c.code);
      await new Promise((r) => setTimeout(r, 100));
      assert.equal(serve.exitCode, null, `the host process is still running (stderr: ${stderr.slice(-500)})`);
      const models = await bystander.listModels();
      assert.deepEqual(models.map((m) => m.id), before.map((m) => m.id), 'the same host (and engine) still answers the other client');
      // and a brand-new client can still connect
      const late = await connectWebHost(host.url);
      try { assert.ok((await late.listModels()).length > 0); } finally { late.close(); }
    } finally { bystander.close(); }
  });
}

test('web host: a workload alias bomb sent to plan is invalid input with its location, not an engine error', async () => {
  const api = await connectWebHost(host.url);
  try {
    const lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]'];
    for (let i = 1; i < 9; i++) {
      const prev = String.fromCharCode(96 + i);
      const cur = String.fromCharCode(97 + i);
      lines.push(`${cur}: &${cur} [${Array(9).fill(`*${prev}`).join(',')}]`);
    }
    const err = await api.plan({ workload: null, workloadYaml: lines.join('\n') + '\n' }).then(() => undefined, (e: unknown) => e);
    assert.ok(err instanceof KneepointError, 'plan rejected the bomb');
    assert.equal(err.kind, 'invalid-input');
    assert.match(err.message, /workload\.yaml:\d+:/);
    assert.match(err.message, /alias/i);
  } finally { api.close(); }
});
