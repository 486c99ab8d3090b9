// A real OpenSSH server for the remote-target tests: Debian's sshd on 127.0.0.1, a free port, a
// generated host key and client key, logins only as a non-root user with its own home. As root
// (CI) that user is created (`useradd`) and sshd runs as root with privilege separation; as any
// other user sshd runs as that user and logs in as itself.
//
// The "remote install" is a directory of its own under that user's home: package.json, main/ and
// scripts/ copied from this checkout, node_modules/ and models/ symlinked to this checkout's (for
// speed: a real `npm install` there is what `targets install` does, tested separately).
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { createServer, connect } from 'node:net';
import { tmpdir, userInfo } from 'node:os';
import { dirname, join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { ROOT } from '../helpers/cli.ts';

export const SSHD = '/usr/sbin/sshd';
export const TEST_USER = 'kneepoint-remote';
const isRoot = process.getuid?.() === 0;

export function sshdAvailable(): string | null {
  if (!existsSync(SSHD)) return `${SSHD} is missing: apt-get install -y openssh-server openssh-client (.ci/run installs them)`;
  try { execFileSync('ssh', ['-V'], { stdio: 'ignore' }); } catch { return 'the ssh client is missing: apt-get install -y openssh-client'; }
  if (isRoot) letOthersTraverse(ROOT);
  return null;
}

/** The remote tests' `skip` option: false where sshd runs here; in CI a missing sshd is an error, not a skip. */
export function sshdSkip(): string | false {
  const missing = sshdAvailable();
  if (missing && process.env.CI) throw new Error(`${missing} (required in CI)`);
  return missing ? `no OpenSSH server here: ${missing}` : false;
}

/**
 * The remote user runs this checkout's Node through the symlinked node_modules, so it must be able
 * to traverse every directory above the checkout. A clone under a mode-700 directory (mktemp -d, as
 * fresh-clone-ci makes) would not let it: as root, add the traverse bit (o+x, not read) where missing.
 */
function letOthersTraverse(dir: string): void {
  for (let d = dir; ; d = dirname(d)) {
    const mode = statSync(d).mode;
    if (!(mode & 0o001)) chmodSync(d, (mode & 0o7777) | 0o001);
    if (dirname(d) === d) break;
  }
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => { const p = (s.address() as { port: number }).port; s.close(() => resolve(p)); });
  });
}

function keygen(path: string, comment: string): string {
  execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', comment, '-f', path]);
  return readFileSync(`${path}.pub`, 'utf8').trim();
}

/** The login user: created when running as root (CI); else this user. */
function loginUser(): { name: string; home: string; uid: number; gid: number } {
  if (!isRoot) {
    const u = userInfo();
    return { name: u.username, home: u.homedir, uid: u.uid, gid: u.gid };
  }
  try { execFileSync('id', ['-u', TEST_USER], { stdio: 'ignore' }); } catch {
    execFileSync('useradd', ['--create-home', '--shell', '/bin/sh', TEST_USER]);
  }
  // useradd leaves the password field '!' (locked), and sshd without PAM refuses locked accounts
  // even for key logins; '*' is "no password" without the lock.
  execFileSync('usermod', ['-p', '*', TEST_USER]);
  const uid = Number(execFileSync('id', ['-u', TEST_USER], { encoding: 'utf8' }).trim());
  const gid = Number(execFileSync('id', ['-g', TEST_USER], { encoding: 'utf8' }).trim());
  const home = execFileSync('sh', ['-c', `getent passwd ${TEST_USER} | cut -d: -f6`], { encoding: 'utf8' }).trim();
  return { name: TEST_USER, home, uid, gid };
}

export interface SshServer {
  port: number;
  user: string;
  home: string;
  /** client private key accepted by this server */
  clientKey: string;
  /** a key this server does not accept */
  strangerKey: string;
  /** an ssh_config (for KNEEPOINT_SSH_CONFIG) that trusts this server's host key */
  sshConfig: string;
  /** the same with a different key recorded for this host (as after a reinstall or an attack) */
  sshConfigChangedKey: string;
  /** the same with no key recorded for this host */
  sshConfigUnknownHost: string;
  url: string;
  /** this server's known_hosts line */
  knownHostsLine: string;
  /** make a remote install directory (owned by the login user); `version` overrides package.json's */
  makeRemoteInstall(name: string, opts?: { version?: string; empty?: boolean }): string;
  chownToUser(path: string): void;
  stop(): Promise<void>;
}

export async function startSshd(): Promise<SshServer> {
  const user = loginUser();
  const dir = mkdtempSync(join(tmpdir(), 'kneepoint-sshd-'));
  chmodSync(dir, 0o755);
  const port = await freePort();
  const hostPub = keygen(join(dir, 'host_ed25519'), 'test host');
  const otherHostPub = keygen(join(dir, 'other_host_ed25519'), 'another host');
  const clientPub = keygen(join(dir, 'client_ed25519'), 'test client');
  keygen(join(dir, 'stranger_ed25519'), 'stranger');
  writeFileSync(join(dir, 'authorized_keys'), `${clientPub}\n`, { mode: 0o644 });
  writeFileSync(join(dir, 'sshd_config'), [
    `Port ${port}`, 'ListenAddress 127.0.0.1', `HostKey ${join(dir, 'host_ed25519')}`, `PidFile ${join(dir, 'sshd.pid')}`,
    `AuthorizedKeysFile ${join(dir, 'authorized_keys')}`, 'PasswordAuthentication no', 'KbdInteractiveAuthentication no',
    // the key files live in a temp dir under /tmp (world-writable), which StrictModes would reject
    'UsePAM no', 'StrictModes no', `AllowUsers ${user.name}`, 'PermitRootLogin no', 'LogLevel ERROR', '',
  ].join('\n'));
  const known = (pub: string) => `[127.0.0.1]:${port} ${pub.split(' ').slice(0, 2).join(' ')}\n`;
  writeFileSync(join(dir, 'known_hosts'), known(hostPub));
  writeFileSync(join(dir, 'known_hosts_changed'), known(otherHostPub));
  writeFileSync(join(dir, 'known_hosts_empty'), '');
  const config = (kh: string) => {
    const f = join(dir, `ssh_config_${kh}`);
    writeFileSync(f, ['Host *', `  UserKnownHostsFile ${join(dir, kh)}`, '  GlobalKnownHostsFile /dev/null', '  ControlMaster no', ''].join('\n'));
    return f;
  };
  if (isRoot) mkdirSync('/run/sshd', { recursive: true, mode: 0o755 });
  const proc: ChildProcess = spawn(SSHD, ['-D', '-e', '-f', join(dir, 'sshd_config')], { stdio: ['ignore', 'ignore', 'pipe'] });
  let log = '';
  proc.stderr!.on('data', (d) => { log += d; });
  for (let i = 0; ; i++) {
    if (proc.exitCode !== null) throw new Error(`sshd exited (${proc.exitCode}): ${log}`);
    const up = await new Promise<boolean>((r) => { const c = connect(port, '127.0.0.1', () => { c.end(); r(true); }); c.on('error', () => r(false)); });
    if (up) break;
    if (i > 200) throw new Error(`sshd did not listen on ${port}: ${log}`);
    await sleep(50);
  }
  const chownToUser = (path: string) => { if (isRoot) execFileSync('chown', ['-R', `${user.uid}:${user.gid}`, path]); };
  const installs: string[] = [];
  return {
    port, user: user.name, home: user.home,
    clientKey: join(dir, 'client_ed25519'), strangerKey: join(dir, 'stranger_ed25519'),
    sshConfig: config('known_hosts'), sshConfigChangedKey: config('known_hosts_changed'), sshConfigUnknownHost: config('known_hosts_empty'),
    url: `ssh://${user.name}@127.0.0.1:${port}`,
    knownHostsLine: known(hostPub),
    chownToUser,
    makeRemoteInstall(name, opts = {}) {
      const remoteDir = join(user.home, `kneepoint-test-${port}-${name}`);
      rmSync(remoteDir, { recursive: true, force: true });
      mkdirSync(join(remoteDir, 'app'), { recursive: true });
      if (!opts.empty) {
        const app = join(remoteDir, 'app');
        for (const d of ['main', 'scripts']) cpSync(join(ROOT, d), join(app, d), { recursive: true });
        const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));
        if (opts.version) pkg.version = opts.version;
        writeFileSync(join(app, 'package.json'), JSON.stringify(pkg, null, 2));
        symlinkSync(join(ROOT, 'node_modules'), join(app, 'node_modules'));
        symlinkSync(join(ROOT, 'models'), join(app, 'models'));
      }
      chownToUser(remoteDir);
      installs.push(remoteDir);
      return remoteDir;
    },
    async stop() {
      proc.kill('SIGTERM');
      if (proc.exitCode === null) await new Promise((r) => proc.once('close', r));
      for (const d of installs) rmSync(d, { recursive: true, force: true });
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** An ssh_config trusting the host keys of all these servers (and no others). */
export function sshConfigFor(servers: SshServer[], dir: string): string {
  writeFileSync(join(dir, 'known_hosts'), servers.map((s) => s.knownHostsLine).join(''));
  writeFileSync(join(dir, 'ssh_config'), ['Host *', `  UserKnownHostsFile ${join(dir, 'known_hosts')}`, '  GlobalKnownHostsFile /dev/null', '  ControlMaster no', ''].join('\n'));
  return join(dir, 'ssh_config');
}

/** Pids of the login user's processes whose command line contains `needle` (the test's own remote agents). */
export function remotePids(user: string, needle: string): number[] {
  let out = '';
  try { out = execFileSync('ps', ['-u', user, '-o', 'pid=,args='], { encoding: 'utf8' }); } catch { return []; }
  return out.split('\n').filter((l) => l.includes(needle)).map((l) => Number(l.trim().split(/\s+/)[0])).filter(Number.isFinite);
}
