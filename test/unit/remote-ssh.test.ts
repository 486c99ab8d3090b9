// The pieces of the remote path that need no server: quoting (checked by a real sh), URL parsing,
// ssh's argv, grid splitting and the hardware-class check (on this machine's real fingerprint).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { shCommand, shScript } from '../../main/engine/remote/shellQuote.ts';
import { normalizeRemoteDir, parseSshUrl, sshArgv } from '../../main/engine/remote/ssh.ts';
import { splitGrid } from '../../main/engine/remote/gridSplit.ts';
import { hardwareClassDifferences } from '../../main/engine/remote/hardwareClass.ts';
import { getHardware } from '../../main/engine/system/hardware.ts';
import { sweepSpecSchema } from '../../main/common/schemas.ts';

const HOSTILE = [`it's`, '$(echo pwned)', '`id`', '; rm -rf /', '"quoted"', 'two\nlines', '  spaces  ', '*', '~', '-n', '\\', "'", ''];

test('shCommand: every word reaches the remote shell unchanged, whatever it contains', () => {
  const out = execFileSync('sh', ['-c', shCommand(['printf', '%s\\0', ...HOSTILE])], { encoding: 'utf8' });
  assert.deepEqual(out.split('\0').slice(0, -1), HOSTILE);
  assert.throws(() => shCommand(['a\0b']), /NUL/);
});

test('shScript: user input arrives only as positional parameters', () => {
  const out = execFileSync('sh', ['-c', shScript('printf "%s|" "$@"', HOSTILE)], { encoding: 'utf8' });
  assert.equal(out, HOSTILE.map((h) => `${h}|`).join(''));
});

test('parseSshUrl: ssh://[user@]host[:port]; passwords, paths and option-like hosts are refused', () => {
  assert.deepEqual(parseSshUrl('ssh://gpu-box'), { host: 'gpu-box' });
  assert.deepEqual(parseSshUrl('ssh://ubuntu@10.0.0.7:2222'), { user: 'ubuntu', host: '10.0.0.7', port: 2222 });
  assert.deepEqual(parseSshUrl('ssh://me@[::1]:22'), { user: 'me', host: '::1', port: 22 });
  assert.throws(() => parseSshUrl('ubuntu@host'), /expected ssh:\/\//);
  assert.throws(() => parseSshUrl('ssh://u:secret@host'), /passwords are never stored/);
  assert.throws(() => parseSshUrl('ssh://host/some/dir'), /--remote-dir/);
  assert.throws(() => parseSshUrl('ssh://-oProxyCommand=x'), /not a host name/);
  assert.throws(() => parseSshUrl('ssh://a;b@host'), /not a user name/);
});

test('normalizeRemoteDir: ~ paths become home-relative; newlines refused', () => {
  assert.equal(normalizeRemoteDir(undefined), '.kneepoint');
  assert.equal(normalizeRemoteDir('~/bench/kp/'), 'bench/kp');
  assert.equal(normalizeRemoteDir('/opt/kneepoint'), '/opt/kneepoint');
  assert.throws(() => normalizeRemoteDir('a\nb'), /newlines/);
  assert.throws(() => normalizeRemoteDir('~bob/x'), /~user/);
});

test('sshArgv: strict host keys and BatchMode forced, the host after --, the remote command one argument', () => {
  const a = sshArgv({ name: 't', url: 'ssh://u@h:2200', user: 'u', host: 'h', port: 2200, identityFile: '/k', remoteDir: 'd' }, "'echo' 'x'");
  assert.ok(a.join(' ').includes('StrictHostKeyChecking=yes'));
  assert.ok(a.join(' ').includes('BatchMode=yes'));
  assert.deepEqual(a.slice(-3), ['--', 'h', "'echo' 'x'"]);
  assert.deepEqual(a.slice(a.indexOf('-i'), a.indexOf('-i') + 2), ['-i', '/k']);
});

test('splitGrid: an outer axis is dealt round-robin; batch only when nothing else is long enough; too short refused', () => {
  const spec = sweepSpecSchema.parse({ model: 'm', batch: [1, 2, 4, 8], instances: [1, 2], threads: [1] });
  const two = splitGrid(spec, 2);
  assert.deepEqual(two.map((s) => s.instances), [[1], [2]]);
  assert.deepEqual(two.map((s) => s.batch), [[1, 2, 4, 8], [1, 2, 4, 8]]);
  assert.deepEqual(two.map((s) => s.method.anchor), [true, false], 'one anchor per run');
  const three = splitGrid(spec, 3);
  assert.deepEqual(three.map((s) => s.batch), [[1, 8], [2], [4]]);
  assert.throws(() => splitGrid(spec, 5), /cannot be split across 5 targets.*--per-target/);
});

test('hardwareClassDifferences: the same machine is one class; another CPU, core count or GPU is named', async () => {
  const hw = await getHardware();
  assert.deepEqual(hardwareClassDifferences(hw, structuredClone(hw)), []);
  const other = { ...structuredClone(hw), cpu: { ...hw.cpu, model: 'Intel Xeon Platinum 8488C', cores: hw.cpu.cores * 2 }, gpus: [{ model: 'NVIDIA A10G', vendor: 'NVIDIA' }] };
  const diff = hardwareClassDifferences(hw, other);
  assert.equal(diff.length, 3);
  assert.match(diff.join('; '), /CPU .* vs Intel Xeon Platinum 8488C/);
  assert.match(diff.join('; '), /GPUs no GPU vs NVIDIA A10G/);
  assert.deepEqual(hardwareClassDifferences(hw, { ...structuredClone(hw), memoryBytes: hw.memoryBytes * 1.02 }), [], 'memory within 5 %');
});
