// Remote-target overhead: the same sweep grid measured, in interleaved rounds (the order rotates
// every round), by
//   hand:   `kneepoint sweep` run on the remote over ssh by hand, the figures read from its JSON
//   target: `kneepoint sweep --target` here (a local CLI + engine + store; points streamed back)
//   agent:  this process talking to `kneepoint agent --stdio` over ssh directly (no local CLI or
//           store): tells the stream's cost apart from the local command's
//   agentwait: the same with 3 s between the agent's start-up and the sweep (optional arm)
// The "remote" is a real sshd on 127.0.0.1 (test/remote/sshd.ts), so the remote engine, sshd, the
// ssh client and the local CLI all share this machine's CPUs: a real remote would not. To show how
// much that matters, every sweep also records the CPU time used on this machine outside the
// measuring process while it ran (ssh, sshd, the local CLI, anything else), in core-seconds.
// Prints figures; never fails on them.
//   npx node bench/remote.bench.ts [--rounds 6] [--batch 1,8] [--window-ms 500] [--arms hand,target,agent[,agentwait]]
import { parseArgs } from 'node:util';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { execFileSync } from 'node:child_process';
import { runCli, tempDir } from '../test/helpers/cli.ts';
import { sshConfigFor, sshdAvailable, startSshd } from '../test/remote/sshd.ts';
import { runRemote, parseSshUrl, type Target } from '../main/engine/remote/ssh.ts';
import { shScript } from '../main/engine/remote/shellQuote.ts';
import { openAgent } from '../main/engine/remote/agentSession.ts';
import { sweepSpecSchema } from '../main/common/schemas.ts';

const { values } = parseArgs({
  options: {
    rounds: { type: 'string', default: '6' }, batch: { type: 'string', default: '1,8' }, 'window-ms': { type: 'string', default: '500' },
    arms: { type: 'string', default: 'hand,target,agent' },
  },
});
const rounds = Number(values.rounds);
const batches = values.batch!.split(',').map(Number);
const windowMs = Number(values['window-ms']);
const arms = values.arms!.split(',') as Arm[];
type Arm = 'hand' | 'target' | 'agent' | 'agentwait';
const method = ['--window-ms', String(windowMs), '--max-windows', '4', '--min-samples', '300', '--no-anchor'];
const grid = ['--model', 'mlp-small', '--batch', values.batch!];
const spec = sweepSpecSchema.parse({ model: 'mlp-small', batch: batches, method: { windowMinMs: windowMs, maxWindows: 4, minSamplesForP99: 300, anchor: false } });

const missing = sshdAvailable();
if (missing) { console.error(`remote bench: ${missing}`); process.exit(1); }
const median = (xs: number[]) => { const s = [...xs].sort((a, b) => a - b); return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2; };
const TICK = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;

/** busy jiffies of the whole machine (all CPUs) */
function machineBusy(): number {
  const f = readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/).slice(1).map(Number);
  const [user, nice, system, _idle, _iowait, irq, softirq, steal] = f;
  return user + nice + system + irq + softirq + steal;
}
/** CPU of this process's waited-for children (cutime + cstime): the local CLI and the ssh clients */
function childrenCpu(): number {
  const s = readFileSync('/proc/self/stat', 'utf8');
  const f = s.slice(s.lastIndexOf(')') + 2).split(' ');
  return Number(f[13]) + Number(f[14]);
}
function processCpu(pid: number): number | null {
  try {
    const s = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const f = s.slice(s.lastIndexOf(')') + 2).split(' ');
    return Number(f[11]) + Number(f[12]); // utime + stime, all threads
  } catch { return null; }
}

/** Watches the measuring process (the remote engine, found by a needle in its command line) while `run` runs. */
async function withCpu<T>(user: string, needle: string, run: () => Promise<T>): Promise<{ value: T; otherCoreS: number; measuringCoreS: number; localCoreS: number }> {
  const busy0 = machineBusy();
  const children0 = childrenCpu();
  const self0 = process.cpuUsage();
  let pid: number | null = null;
  let last = 0;
  const poll = setInterval(() => {
    if (pid === null) {
      try {
        // the node process itself, not the remote shell whose command line quotes the same words
        const line = execFileSync('ps', ['-u', user, '-o', 'pid=,args='], { encoding: 'utf8' }).split('\n')
          .find((l) => l.includes(needle) && /^\s*\d+\s+\S*node\s/.test(l));
        if (line) pid = Number(line.trim().split(/\s+/)[0]);
      } catch { /* none yet */ }
    }
    if (pid !== null) { const c = processCpu(pid); if (c !== null) last = c; }
  }, 100);
  try {
    const value = await run();
    const busy = machineBusy() - busy0;
    const self = process.cpuUsage(self0);
    const localCoreS = (childrenCpu() - children0) / TICK + (self.user + self.system) / 1e6;
    return { value, otherCoreS: (busy - last) / TICK, measuringCoreS: last / TICK, localCoreS };
  } finally {
    clearInterval(poll);
  }
}

const server = await startSshd();
try {
  const dir = server.makeRemoteInstall('bench');
  const db = join(tempDir(), 'kp.db');
  const env = { KNEEPOINT_SSH_CONFIG: sshConfigFor([server], tempDir()) };
  process.env.KNEEPOINT_SSH_CONFIG = env.KNEEPOINT_SSH_CONFIG;
  const add = await runCli(['--db', db, 'targets', 'add', 'bench', server.url, '--identity', server.clientKey, '--remote-dir', dir], env);
  if (add.code !== 0) throw new Error(add.stderr);
  const target: Target = { name: 'bench', url: server.url, ...parseSshUrl(server.url), identityFile: server.clientKey, remoteDir: dir };
  const byHandCmd = shScript('d=$1; shift; exec "$d/app/node_modules/node/bin/node" "$d/app/scripts/kneepoint.mjs" --db "$d/data/by-hand.db" --json sweep "$@"', [dir, ...grid, ...method]);
  const version = JSON.parse(readFileSync(join(dir, 'app', 'package.json'), 'utf8')).version as string;

  type Figures = { wallMs: number; otherCoreS: number; measuringCoreS: number; localCoreS: number; points: Array<{ batch: number; samplesPerSec: number; durationMs: number }> };
  const pointsOf = (run: { points: Array<{ config: { batch: number }; samplesPerSec: number; durationMs?: number }> }) =>
    run.points.map((p) => ({ batch: p.config.batch, samplesPerSec: p.samplesPerSec, durationMs: p.durationMs ?? 0 }));
  const timed = async (needle: string, fn: () => Promise<Figures['points']>): Promise<Figures> => {
    const t0 = performance.now();
    const r = await withCpu(server.user, needle, fn);
    return { wallMs: performance.now() - t0, otherCoreS: r.otherCoreS, measuringCoreS: r.measuringCoreS, localCoreS: r.localCoreS, points: r.value };
  };
  const run: Record<Arm, () => Promise<Figures>> = {
    target: () => timed('agent --stdio', async () => {
      const r = await runCli(['--db', db, '--json', 'sweep', '--target', 'bench', ...grid, ...method], env);
      if (r.code !== 0) throw new Error(r.stderr);
      return pointsOf(JSON.parse(r.stdout));
    }),
    hand: () => timed('by-hand.db', async () => {
      const r = await runRemote(target, byHandCmd);
      if (r.code !== 0) throw new Error(r.stderr);
      return pointsOf(JSON.parse(r.stdout));
    }),
    agent: () => agentArm(0),
    // the same, with 3 s between the agent's start-up (getInfo's provider probes, the model check)
    // and the sweep: tells a start-up transient on the remote apart from a steady cost
    agentwait: () => agentArm(3000),
  };
  function agentArm(waitMs: number): Promise<Figures> {
    return timed('agent --stdio', async () => {
      const s = await openAgent(target, version);
      try {
        await s.api.inspectModel({ model: 'mlp-small' });
        if (waitMs) await new Promise((r) => setTimeout(r, waitMs));
        const finished = new Promise<void>((resolve) => { s.api.on('job.finished', () => resolve()); });
        const ref = await s.api.startSweep(spec);
        await finished;
        return pointsOf(await s.api.getRun({ runId: ref.runId }));
      } finally {
        await s.close();
      }
    });
  }

  await run.target(); // first contact: model cache, OS page cache
  const rows: Array<Record<Arm, Figures>> = [];
  for (let round = 1; round <= rounds; round++) {
    // rotate the order, so drift over the run does not favour one arm
    const order = arms.map((_, i) => arms[(i + round) % arms.length]);
    const row = {} as Record<Arm, Figures>;
    for (const a of order) row[a] = await run[a]();
    rows.push(row);
    console.log(`round ${round} (${order.join(' → ')}): ` + arms.map((a) => `${a} ${(row[a].wallMs / 1000).toFixed(2)} s [` +
      row[a].points.map((p) => `b${p.batch} ${p.samplesPerSec.toFixed(0)}/s`).join(', ') + `; other CPU ${row[a].otherCoreS.toFixed(2)}, local ${row[a].localCoreS.toFixed(2)} core-s]`).join('; '));
  }
  console.log(`\nremote-target overhead, ${rounds} interleaved rounds, mlp-small batch ${values.batch}, 1 instance × 1 thread, windows ${windowMs} ms (max 4, n >= 300):`);
  for (const [i, b] of batches.entries()) {
    for (const a of arms.filter((x) => x !== 'hand')) {
      const ratios = rows.map((r) => r[a].points[i].samplesPerSec / r.hand.points[i].samplesPerSec);
      console.log(`  batch ${b}: throughput ${a} / hand = ${median(ratios).toFixed(3)} (median; per round ${ratios.map((x) => x.toFixed(3)).join(', ')}) → cost ${((1 - median(ratios)) * 100).toFixed(1)} %`);
    }
    const hand = rows.map((r) => r.hand.points[i].samplesPerSec);
    console.log(`  batch ${b}: by hand ${median(hand).toFixed(0)} samples/s median (range ${Math.min(...hand).toFixed(0)}–${Math.max(...hand).toFixed(0)}: the round-to-round spread of the baseline itself)`);
  }
  const nPoints = batches.length;
  for (const a of arms.filter((x) => x !== 'hand')) {
    const addedMs = rows.map((r) => (r[a].wallMs - r.hand.wallMs) / nPoints);
    const pointMs = rows.map((r) => (r[a].points.reduce((s, p) => s + p.durationMs, 0) - r.hand.points.reduce((s, p) => s + p.durationMs, 0)) / nPoints);
    console.log(`  ${a}: added wall time per point (whole command: CLI start, ssh, getInfo, model check) median ${(median(addedMs) / 1000).toFixed(2)} s ` +
      `(per round ${addedMs.map((x) => (x / 1000).toFixed(2)).join(', ')}); measured point duration minus by hand: median ${median(pointMs).toFixed(0)} ms`);
  }
  for (const a of arms) {
    console.log(`  ${a}: CPU outside the measuring process while it ran: median ${median(rows.map((r) => r[a].otherCoreS)).toFixed(2)} core-s, ` +
      `of which the local side (this bench, the local CLI, ssh clients) ${median(rows.map((r) => r[a].localCoreS)).toFixed(2)} core-s ` +
      `(measuring process ${median(rows.map((r) => r[a].measuringCoreS)).toFixed(2)} core-s, wall ${(median(rows.map((r) => r[a].wallMs)) / 1000).toFixed(1)} s)`);
  }
  console.log('  note: sshd, the ssh client and (for target) the local CLI run on the same CPUs as the measurement here; on a real remote only the agent and sshd would.');
} finally {
  await server.stop();
}
