// Remote-target overhead: the same sweep grid measured (a) through `kneepoint sweep --target`
// (points streamed back over ssh into the local store) and (b) by hand on the remote
// (`kneepoint sweep` run there over ssh, the figures read from its JSON), in interleaved rounds.
// The "remote" is a real sshd on 127.0.0.1 (test/remote/sshd.ts), so both sides share this
// machine's CPUs: the figures isolate the protocol/stream cost, not a network. Prints figures;
// never fails on them.
//   npx node bench/remote.bench.ts [--rounds 3] [--batch 1,4] [--window-ms 500]
import { parseArgs } from 'node:util';
import { join } from 'node:path';
import { runCli, tempDir } from '../test/helpers/cli.ts';
import { sshConfigFor, sshdAvailable, startSshd } from '../test/remote/sshd.ts';
import { runRemote, parseSshUrl } from '../main/engine/remote/ssh.ts';
import { shScript } from '../main/engine/remote/shellQuote.ts';

const { values } = parseArgs({ options: { rounds: { type: 'string', default: '3' }, batch: { type: 'string', default: '1,4' }, 'window-ms': { type: 'string', default: '500' } } });
const rounds = Number(values.rounds);
const method = ['--window-ms', values['window-ms']!, '--max-windows', '4', '--min-samples', '300', '--no-anchor'];
const grid = ['--model', 'mlp-small', '--batch', values.batch!];

const missing = sshdAvailable();
if (missing) { console.error(`remote bench: ${missing}`); process.exit(1); }
const server = await startSshd();
const median = (xs: number[]) => { const s = [...xs].sort((a, b) => a - b); return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2; };
try {
  const dir = server.makeRemoteInstall('bench');
  const db = join(tempDir(), 'kp.db');
  const env = { KNEEPOINT_SSH_CONFIG: sshConfigFor([server], tempDir()) };
  process.env.KNEEPOINT_SSH_CONFIG = env.KNEEPOINT_SSH_CONFIG;
  const add = await runCli(['--db', db, 'targets', 'add', 'bench', server.url, '--identity', server.clientKey, '--remote-dir', dir], env);
  if (add.code !== 0) throw new Error(add.stderr);
  const target = { name: 'bench', url: server.url, ...parseSshUrl(server.url), identityFile: server.clientKey, remoteDir: dir };
  const byHandCmd = shScript('d=$1; shift; exec "$d/app/node_modules/node/bin/node" "$d/app/scripts/kneepoint.mjs" --db "$d/data/by-hand.db" --json sweep "$@"', [dir, ...grid, ...method]);

  type Figures = { wallMs: number; points: Array<{ batch: number; samplesPerSec: number; durationMs: number }> };
  const viaTarget = async (): Promise<Figures> => {
    const t0 = performance.now();
    const r = await runCli(['--db', db, '--json', 'sweep', '--target', 'bench', ...grid, ...method], env);
    const wallMs = performance.now() - t0;
    if (r.code !== 0) throw new Error(r.stderr);
    return { wallMs, points: JSON.parse(r.stdout).points.map((p: any) => ({ batch: p.config.batch, samplesPerSec: p.samplesPerSec, durationMs: p.durationMs })) };
  };
  const byHand = async (): Promise<Figures> => {
    const t0 = performance.now();
    const r = await runRemote(target, byHandCmd);
    const wallMs = performance.now() - t0;
    if (r.code !== 0) throw new Error(r.stderr);
    return { wallMs, points: JSON.parse(r.stdout).points.map((p: any) => ({ batch: p.config.batch, samplesPerSec: p.samplesPerSec, durationMs: p.durationMs })) };
  };

  await viaTarget(); // first contact: model cache, OS page cache
  const rows: Array<{ round: number; via: Figures; hand: Figures }> = [];
  for (let round = 1; round <= rounds; round++) {
    // alternate which side goes first, so drift over the run does not favour one
    const [x, y] = round % 2 ? [await viaTarget(), await byHand()] : (await (async () => { const h = await byHand(); return [await viaTarget(), h]; })());
    rows.push({ round, via: x, hand: y });
    console.log(`round ${round}: via --target ${(x.wallMs / 1000).toFixed(2)} s, by hand ${(y.wallMs / 1000).toFixed(2)} s; ` +
      x.points.map((p, i) => `b${p.batch} ${p.samplesPerSec.toFixed(0)} vs ${y.points[i]?.samplesPerSec.toFixed(0)} samples/s`).join(', '));
  }
  const nPoints = rows[0].via.points.length;
  console.log(`\nremote-target overhead, ${rounds} interleaved rounds, ${nPoints} point(s) per sweep (mlp-small, batch ${values.batch}, windows ${values['window-ms']} ms):`);
  for (let i = 0; i < nPoints; i++) {
    const ratios = rows.map((r) => r.via.points[i].samplesPerSec / r.hand.points[i].samplesPerSec);
    console.log(`  batch ${rows[0].via.points[i].batch}: throughput via --target / by hand = ${median(ratios).toFixed(3)} (median; per round ${ratios.map((x) => x.toFixed(3)).join(', ')})` +
      ` → cost ${((1 - median(ratios)) * 100).toFixed(1)} %`);
  }
  const addedMs = rows.map((r) => (r.via.wallMs - r.hand.wallMs) / nPoints);
  console.log(`  added wall time per point (whole command, incl. local CLI start, getInfo, cache check): median ${(median(addedMs) / 1000).toFixed(2)} s ` +
    `(per round ${addedMs.map((x) => (x / 1000).toFixed(2)).join(', ')} s)`);
  const pointMs = rows.map((r) => (r.via.points.reduce((a, p) => a + p.durationMs, 0) - r.hand.points.reduce((a, p) => a + p.durationMs, 0)) / nPoints);
  console.log(`  measured point duration (engine's own clock) via --target minus by hand: median ${median(pointMs).toFixed(0)} ms per point`);
  console.log('  note: the sshd runs on this machine; both sides compete for its CPUs, and rounds here swing up to 2x (ENVIRONMENT.md).');
} finally {
  await server.stop();
}
