// `targets install` for real: this checkout packed with `npm pack`, copied over ssh, installed by
// npm on the remote under the login user's system Node (20 on CI) with Node 24 coming from the
// registry; then the installed agent answers `targets test` and runs a sweep. Needs the npm
// registry (CI has it); slow (an npm install of onnxruntime-node and node@24).
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { json, runCli, tempDir, QUICK } from '../helpers/cli.ts';
import { sshConfigFor, sshdSkip, startSshd, type SshServer } from './sshd.ts';

const skip = sshdSkip();

let server: SshServer;
let db: string;
let env: Record<string, string>;
let dir: string;
before(async () => {
  if (skip) return;
  server = await startSshd();
  db = join(tempDir(), 'kp.db');
  env = { KNEEPOINT_SSH_CONFIG: sshConfigFor([server], tempDir()) };
  dir = server.makeRemoteInstall('installed', { empty: true });
});
after(async () => { await server?.stop(); });

test('targets install: npm pack here, npm install there (Node 24 from the registry); then test and sweep work', { skip, timeout: 600_000 }, async () => {
  assert.equal((await runCli(['--db', db, 'targets', 'add', 'fresh', server.url, '--identity', server.clientKey, '--remote-dir', dir], env)).code, 0);
  const before = json(await runCli(['--db', db, '--json', 'targets', 'test', 'fresh'], env));
  assert.equal(before.ok, false);
  assert.match(before.error, /not installed .*kneepoint targets install fresh/);

  const inst = await runCli(['--db', db, '--json', 'targets', 'install', 'fresh'], env);
  assert.equal(inst.code, 0, inst.stderr);
  const r = json(inst);
  assert.match(r.node, /^v24\./);
  assert.match(r.tarball, /^kneepoint-.*\.tgz$/);
  assert.ok(existsSync(join(dir, 'app', 'kneepoint', 'scripts', 'kneepoint.mjs')), 'the package is unpacked beside its dependencies');
  assert.ok(existsSync(join(dir, 'app', 'node_modules', 'node', 'bin', 'node')));
  assert.ok(!existsSync(join(dir, 'app', 'kneepoint', 'node_modules')), 'not a copy of this checkout');

  const t = json(await runCli(['--db', db, '--json', 'targets', 'test', 'fresh'], env));
  assert.equal(t.ok, true, t.error);
  assert.match(t.node, /^v24\./);
  const sweep = await runCli(['--db', db, '--json', 'sweep', '--target', 'fresh', '--model', 'mlp-tiny', '--batch', '1', ...QUICK], env);
  assert.equal(sweep.code, 0, sweep.stderr);
  assert.equal(json(sweep).status, 'completed');
});
