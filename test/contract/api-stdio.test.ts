// The API contract through `kneepoint agent --stdio` (the transport a remote target uses, here
// without ssh): a real child process, newline-delimited JSON on its stdin/stdout.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { apiContractSuite } from './apiSuite.ts';
import { connectStdio } from '../../main/engine/remote/stdioRpc.ts';
import { BIN, ROOT } from '../helpers/cli.ts';

function startAgent(dir: string, extraArgs: string[] = []) {
  return spawn(process.execPath, [BIN, '--db', join(dir, 'kp.db'), 'agent', '--stdio', '--data-dir', dir, ...extraArgs], { cwd: ROOT, stdio: ['pipe', 'pipe', 'pipe'] });
}

apiContractSuite('stdio agent', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'kneepoint-contract-stdio-'));
  const api = await connectStdio(startAgent(dir), (code, stderr) => new Error(`agent exited (${code}): ${stderr}`));
  return { api, close: async () => { await api.close(); rmSync(dir, { recursive: true, force: true }); } };
});

test('stdio agent: a malformed line gets an error reply and the session goes on; closing stdin ends the agent', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'kneepoint-stdio-'));
  const child = startAgent(dir);
  const lines: string[] = [];
  let buf = '';
  child.stdout.setEncoding('utf8').on('data', (d: string) => {
    buf += d;
    const parts = buf.split('\n');
    buf = parts.pop()!;
    lines.push(...parts);
  });
  const waitFor = async (pred: (m: any) => boolean) => {
    for (let i = 0; i < 1200; i++) {
      const hit = lines.map((l) => JSON.parse(l)).find(pred);
      if (hit) return hit;
      await new Promise((r) => setTimeout(r, 50));
    }
    throw new Error(`no such message; got ${lines.join('\n')}`);
  };
  await waitFor((m) => m.ready === true);
  child.stdin.write('this is not json\n');
  child.stdin.write(`${JSON.stringify({ seq: 7, method: 'noSuchMethod', args: [] })}\n`);
  child.stdin.write(`${JSON.stringify({ seq: 8, method: 'inspectModel', args: [{ model: 'no-such-model' }] })}\n`);
  child.stdin.write(`${JSON.stringify({ seq: 9, method: 'listModels', args: [] })}\n`);
  assert.equal((await waitFor((m) => m.seq === -1)).error.kind, 'invalid-input');
  assert.match((await waitFor((m) => m.seq === 7)).error.message, /known method/);
  assert.equal((await waitFor((m) => m.seq === 8)).error.kind, 'invalid-input');
  assert.ok((await waitFor((m) => m.seq === 9)).result.some((m: { id: string }) => m.id === 'mlp-tiny'));
  // every stdout line is protocol
  for (const l of lines) assert.doesNotThrow(() => JSON.parse(l), l);
  const exited = new Promise<number | null>((r) => child.once('close', r));
  child.stdin.end();
  assert.equal(await exited, 0);
  rmSync(dir, { recursive: true, force: true });
});
