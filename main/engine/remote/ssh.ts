// Talking to a target through the system OpenSSH client. Every call is an argv array for `ssh`
// (never a local shell); the single remote command string is built with shQuote. Strict host-key
// checking is forced on and BatchMode keeps ssh from ever prompting inside a headless child.
import { spawn, type ChildProcess } from 'node:child_process';
import type { Readable } from 'node:stream';
import { KneepointError, invalidInput } from '../../common/errors.ts';

export interface Target {
  name: string;
  /** ssh://[user@]host[:port] as the user typed it */
  url: string;
  user?: string;
  host: string;
  port?: number;
  /** a private key file on this machine (its path only is stored; never its contents) */
  identityFile?: string;
  /** where Kneepoint lives on the remote; relative paths are relative to the remote home */
  remoteDir: string;
  addedAt?: string;
}

export const DEFAULT_REMOTE_DIR = '.kneepoint';
const NAME_RE = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;
const HOST_RE = /^[A-Za-z0-9._:%-]+$/;

export function checkTargetName(name: string): string {
  if (!NAME_RE.test(name)) {
    throw invalidInput(`target name "${name}" is not valid: use letters, digits, '.', '_' or '-' (up to 64, no commas: a comma list names several targets)`);
  }
  return name;
}

/** ssh://[user@]host[:port] → its parts; anything else is refused with the expected form. */
export function parseSshUrl(url: string): { user?: string; host: string; port?: number } {
  const usage = `expected ssh://[user@]host[:port] (got "${url}")`;
  if (!/^ssh:\/\//i.test(url)) throw invalidInput(`target URL: ${usage}`);
  let u: URL;
  try { u = new URL(url); } catch { throw invalidInput(`target URL: ${usage}`); }
  if (u.password) throw invalidInput('target URL: passwords are never stored: remove it from the URL and use a key (--identity FILE) or your ssh agent');
  if ((u.pathname && u.pathname !== '/') || u.search || u.hash) throw invalidInput(`target URL: no path or query allowed (use --remote-dir DIR): ${usage}`);
  const host = u.hostname.replace(/^\[(.*)\]$/, '$1');
  if (!host || !HOST_RE.test(host) || host.startsWith('-')) throw invalidInput(`target URL: "${u.hostname}" is not a host name: ${usage}`);
  const user = u.username ? decodeURIComponent(u.username) : undefined;
  if (user !== undefined && (!/^[A-Za-z0-9._][A-Za-z0-9._-]*$/.test(user))) throw invalidInput(`target URL: "${user}" is not a user name`);
  const port = u.port ? Number(u.port) : undefined;
  return { ...(user ? { user } : {}), host, ...(port ? { port } : {}) };
}

/** A remote dir as the remote shell should see it: "~/x" becomes "x" (ssh commands start in the home). */
export function normalizeRemoteDir(dir: string | undefined): string {
  const d = (dir ?? DEFAULT_REMOTE_DIR).trim();
  if (!d || /[\0\n\r]/.test(d)) throw invalidInput('--remote-dir must be a path without newlines');
  if (d.startsWith('~') && d !== '~' && !d.startsWith('~/')) {
    throw invalidInput(`--remote-dir "${d}": ~user paths are not supported; give a path relative to the remote home or an absolute one`);
  }
  const rel = d === '~' ? '.' : d.startsWith('~/') ? d.slice(2) || '.' : d;
  return rel.replace(/\/+$/, '') || (rel.startsWith('/') ? '/' : '.');
}

/** How a person would type it: user@host:port. */
export function targetAddress(t: Pick<Target, 'user' | 'host' | 'port'>): string {
  const host = t.host.includes(':') ? `[${t.host}]` : t.host;
  return `${t.user ? `${t.user}@` : ''}${host}${t.port ? `:${t.port}` : ''}`;
}

/** The same connection as a command line a person can paste (for error messages). */
export function manualSshCommand(t: Target): string {
  return ['ssh', ...(t.port ? ['-p', String(t.port)] : []), ...(t.identityFile ? ['-i', t.identityFile] : []),
    ...(process.env.KNEEPOINT_SSH_CONFIG ? ['-F', process.env.KNEEPOINT_SSH_CONFIG] : []),
    `${t.user ? `${t.user}@` : ''}${t.host}`].join(' ');
}

function sshBinary(): string {
  return process.env.KNEEPOINT_SSH || 'ssh';
}

/** ssh's argv for one remote command (already quoted for the remote shell). */
export function sshArgv(t: Target, remoteCommand: string): string[] {
  const a = ['-T', '-o', 'BatchMode=yes', '-o', 'StrictHostKeyChecking=yes', '-o', 'ConnectTimeout=15',
    '-o', 'ServerAliveInterval=15', '-o', 'ServerAliveCountMax=4', '-o', 'LogLevel=ERROR'];
  if (process.env.KNEEPOINT_SSH_CONFIG) a.unshift('-F', process.env.KNEEPOINT_SSH_CONFIG);
  if (t.identityFile) a.push('-i', t.identityFile, '-o', 'IdentitiesOnly=yes');
  if (t.port) a.push('-p', String(t.port));
  if (t.user) a.push('-l', t.user);
  a.push('--', t.host, remoteCommand);
  return a;
}

/** Turn ssh's own failure (exit 255) into what happened and what to do. */
export function sshFailure(t: Target, stderr: string, code: number | null): KneepointError {
  const where = `target ${t.name} (${targetAddress(t)})`;
  const known = t.port ? `[${t.host}]:${t.port}` : t.host;
  const last = stderr.trim().split('\n').filter(Boolean).slice(-1)[0] ?? `exit ${code}`;
  let msg: string;
  if (/REMOTE HOST IDENTIFICATION HAS CHANGED|Host key for .* has changed|key for host .* has changed/i.test(stderr)) {
    msg = `${where}: the server's host key has CHANGED since it was recorded in known_hosts, so the connection was refused. ` +
      'This can be an attack, or the server was reinstalled. Check the new key fingerprint with whoever runs the machine, then ' +
      `remove the old key with \`ssh-keygen -R '${known}'\` and connect once by hand (\`${manualSshCommand(t)}\`) to accept the new one.`;
  } else if (/No \S+ host key is known|Host key verification failed|host key is not known/i.test(stderr)) {
    msg = `${where}: the server's host key is not in known_hosts, and Kneepoint never accepts a host key on its own. ` +
      `Connect once by hand (\`${manualSshCommand(t)}\`) and compare the fingerprint it shows with the server's ` +
      `(\`ssh-keygen -lf /etc/ssh/ssh_host_ed25519_key.pub\` there), then run this again.`;
  } else if (/Permission denied \(/i.test(stderr)) {
    msg = `${where}: the server refused the login${t.user ? ` as ${t.user}` : ''} (${last.trim()}). ` +
      `${t.identityFile ? `Add the public key of ${t.identityFile} (${t.identityFile}.pub)` : 'Add your public key (or one your ssh agent holds)'} ` +
      `to ~/.ssh/authorized_keys of that user on the remote, and check that \`${manualSshCommand(t)}\` logs in without a password prompt ` +
      '(Kneepoint runs ssh with BatchMode: no password or passphrase prompts).';
  } else if (/Connection refused/i.test(stderr)) {
    msg = `${where}: connection refused: no ssh server listens on ${targetAddress(t)}. Check the host and port (${t.url}).`;
  } else if (/Could not resolve hostname/i.test(stderr)) {
    msg = `${where}: cannot resolve the host name ${t.host}: check the URL (${t.url}) or your ~/.ssh/config.`;
  } else if (/timed out/i.test(stderr)) {
    msg = `${where}: the connection timed out (${last.trim()}): check that the machine is up and reachable from here.`;
  } else if (/Identity file .* not accessible|no such identity/i.test(stderr)) {
    msg = `${where}: the identity file ${t.identityFile ?? ''} cannot be read here: fix the path with \`kneepoint targets add ${t.name} ${t.url} --identity FILE\`.`;
  } else {
    msg = `${where}: ssh failed (exit ${code}): ${last.trim()}`;
  }
  return new KneepointError('engine', msg);
}

/** Start ssh running one remote command; stdio are pipes. */
export function spawnSsh(t: Target, remoteCommand: string): ChildProcess {
  return spawn(sshBinary(), sshArgv(t, remoteCommand), { stdio: ['pipe', 'pipe', 'pipe'] });
}

export interface RemoteResult { code: number | null; stdout: string; stderr: string }

/**
 * Run one remote command to completion. ssh's own failures (exit 255) become an actionable
 * KneepointError; the remote command's exit status is returned as is.
 */
export function runRemote(t: Target, remoteCommand: string, opts: { input?: Readable | Buffer | string; timeoutMs?: number } = {}): Promise<RemoteResult> {
  return new Promise((resolve, reject) => {
    const child = spawnSsh(t, remoteCommand);
    let stdout = '';
    let stderr = '';
    child.stdout!.setEncoding('utf8').on('data', (d: string) => { stdout += d; });
    child.stderr!.setEncoding('utf8').on('data', (d: string) => { stderr += d; });
    const timer = opts.timeoutMs ? setTimeout(() => child.kill('SIGTERM'), opts.timeoutMs) : null;
    child.on('error', (e) => {
      if (timer) clearTimeout(timer);
      reject(new KneepointError('engine', `cannot run ssh (${sshBinary()}): ${e.message}. Install the OpenSSH client (Debian: apt-get install openssh-client).`));
    });
    child.on('close', (code) => {
      if (timer) clearTimeout(timer);
      if (code === 255) reject(sshFailure(t, stderr, code));
      else resolve({ code, stdout, stderr });
    });
    child.stdin!.on('error', () => { /* the remote closed early: its exit status says why */ });
    const input = opts.input;
    if (input === undefined) child.stdin!.end();
    else if (typeof input === 'string' || Buffer.isBuffer(input)) child.stdin!.end(input);
    else input.pipe(child.stdin!);
  });
}
