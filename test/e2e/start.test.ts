// `npm start` on a machine without the Electron binary (ENVIRONMENT.md: it cannot be downloaded
// here): scripts/start.mjs says so in one line, serves the UI through the web host and prints its
// URL; the page needs the token; Ctrl-C stops the host and its engine child cleanly.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../../', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'kneepoint-start-'));
let child: ChildProcess | undefined;

after(() => {
  if (child && child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  rmSync(dir, { recursive: true, force: true });
});

/** Pids whose parent is `pid` (Linux /proc; elsewhere an empty list and the check is skipped). */
function childPids(pid: number): number[] {
  if (!existsSync('/proc/self/stat')) return [];
  const out: number[] = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      // "pid (comm) state ppid …": comm may hold spaces and parentheses, so split after the last ')'
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (ppid === pid) out.push(Number(name));
    } catch { /* the process left while we looked */ }
  }
  return out;
}

const alive = (pid: number) => { try { process.kill(pid, 0); return true; } catch { return false; } };

/** Resolves with the stream's text once `pattern` matches it (rejects when the process exits first). */
function waitFor(text: () => string, pattern: RegExp, proc: ChildProcess): Promise<RegExpMatchArray> {
  return new Promise((resolve, reject) => {
    const check = () => {
      const m = pattern.exec(text());
      if (m) { clearInterval(timer); proc.off('exit', onExit); resolve(m); }
    };
    const onExit = (code: number | null) => { clearInterval(timer); reject(new Error(`start.mjs exited (${code}) before printing ${pattern}:\n${text()}`)); };
    const timer = setInterval(check, 50);
    proc.once('exit', onExit);
    check();
  });
}

test('npm start without the Electron binary: one line saying why, the UI served with its token, Ctrl-C stops it and its engine', async () => {
  let stdout = '';
  let stderr = '';
  child = spawn(process.execPath, [join(root, 'scripts', 'start.mjs')], {
    cwd: root,
    // its own process group, so SIGINT can go to the whole group the way a terminal's Ctrl-C does
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: {
      ...process.env,
      // a dist folder with no Electron in it: the binary is "missing" and no download is attempted
      ELECTRON_OVERRIDE_DIST_PATH: join(dir, 'no-electron-here'),
      KNEEPOINT_NO_ELECTRON_DOWNLOAD: '1',
      KNEEPOINT_NO_OPEN: '1',
      KNEEPOINT_DB: join(dir, 'kp.db'),
      KNEEPOINT_DATA_DIR: join(dir, 'data'),
      KNEEPOINT_PORT: '0',
      KNEEPOINT_WEB: '',
    },
  });
  child.stdout!.setEncoding('utf8').on('data', (s: string) => { stdout += s; });
  child.stderr!.setEncoding('utf8').on('data', (s: string) => { stderr += s; });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child!.once('exit', (code, signal) => resolve({ code, signal })));

  const [url] = await waitFor(() => stdout, /^http:\/\/127\.0\.0\.1:\d+\/\S*token=\S+$/m, child);
  const unavailable = stderr.split('\n').filter((l) => /desktop window unavailable/.test(l));
  assert.equal(unavailable.length, 1, `exactly one line says the desktop window is unavailable:\n${stderr}`);
  assert.match(unavailable[0], /ELECTRON_OVERRIDE_DIST_PATH has no Electron executable/, 'it says why');
  assert.match(unavailable[0], /browser/, 'and what happens instead');
  assert.equal(stdout.trim(), url, 'stdout is the URL alone (scripts can read it)');

  const { origin } = new URL(url);
  // without the token: refused
  const bare = await fetch(`${origin}/`);
  assert.ok(bare.status === 401 || bare.status === 403, `token-less request answered ${bare.status}`);
  // with it: the token becomes a session cookie (303), and the cookie gets our page
  const first = await fetch(url, { redirect: 'manual' });
  assert.equal(first.status, 303);
  const cookie = first.headers.get('set-cookie')?.split(';')[0];
  assert.ok(cookie, 'a session cookie is set');
  const page = await fetch(new URL(first.headers.get('location') ?? '/', origin), { headers: { cookie } });
  assert.equal(page.status, 200);
  assert.match(page.headers.get('content-type') ?? '', /text\/html/);
  const html = await page.text();
  assert.match(html, /<title>[^<]*Kneepoint/i, 'our HTML');

  const engines = childPids(child.pid!);
  if (existsSync('/proc/self/stat')) assert.ok(engines.length >= 1, 'the web host runs the engine in a child process');

  process.kill(-child.pid!, 'SIGINT');
  const { code, signal } = await exited;
  assert.equal(signal, null, `exited by itself, not killed by ${signal}:\n${stderr}`);
  assert.equal(code, 0, `clean exit:\n${stderr}`);
  for (const pid of engines) {
    // the engine child may take a moment to be reaped after its parent is gone
    for (let i = 0; i < 100 && alive(pid); i++) await new Promise((r) => setTimeout(r, 50));
    assert.equal(alive(pid), false, `engine child ${pid} is gone`);
  }
  assert.doesNotMatch(stderr, /engine (crashed|exited unexpectedly)/i, `no crash report on the way out:\n${stderr}`);
});
