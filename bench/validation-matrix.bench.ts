// The validation matrix of docs/validation.md: `kneepoint validate` on models that dominate their
// own latency (plus mlp-small, the sub-millisecond case, reported separately), unbatched and
// batched (B=8, D=2 ms), at 30/50/70/80 % load, with repetitions. Prints a markdown table per model
// and the summary figures (median |p99 error|, worst optimistic p99, capacity error, band coverage
// and width); asserts nothing. Run on a quiet machine:
//   npx node bench/validation-matrix.bench.ts [models=ocr-cls,oww-embedding,cnn-medium,ocr-rec,mlp-small (MODEL:REPEAT allowed)] [repeat=3] [seconds=6]
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ValidationResult } from '../main/common/loadTypes.ts';

const models = (process.argv[2] ?? 'ocr-cls,oww-embedding,cnn-medium,ocr-rec,mlp-small').split(',');
const repeat = process.argv[3] ?? '3';
const seconds = process.argv[4] ?? '6';
const dir = mkdtempSync(join(tmpdir(), 'kp-matrix-'));
const db = join(dir, 'matrix.db');
const f = (x: number | null | undefined, d = 2) => (x === null || x === undefined || !Number.isFinite(x) ? '–' : x.toFixed(d));
const all: Array<{ model: string; v: ValidationResult }> = [];

for (const entry of models) {
  // MODEL or MODEL:REPEAT (a slow model can take fewer repetitions)
  const [model, rep] = entry.split(':');
  const args = ['main/cli/kneepoint.ts', 'validate', '--model', model, '--repeat', rep ?? repeat, '--seconds', seconds, '--json', '--db', db];
  const t0 = Date.now();
  let out: string;
  try {
    out = execFileSync(process.execPath, args, { encoding: 'utf8', maxBuffer: 64 << 20, stdio: ['ignore', 'pipe', 'inherit'] });
  } catch (e) {
    console.log(`\n## ${model}: validate failed: ${(e as Error).message.split('\n')[0]}`);
    continue;
  }
  const v = JSON.parse(out) as ValidationResult;
  all.push({ model, v });
  writeFileSync(join(dir, `${model}.json`), out);
  console.log(`\n## ${model} — validate run ${v.runId}, ${((Date.now() - t0) / 1000).toFixed(0)} s: \`kneepoint ${args.slice(1, -3).join(' ')}\` (load average after: ${loadavg().map((x) => x.toFixed(2)).join(' ')})`);
  const cal = v.calibration;
  if (cal) {
    console.log(`calibration: run() ×${f(cal.serviceScale, 3)} under load, busy − run() ${f(cal.overheadMs, 3)} ms/batch, stalls ${f(cal.stalls?.ratePerSec, 1)}/s ` +
      `(median ${f(cal.stalls?.durationQuantilesMs[50])} ms, max ${f(cal.stalls?.durationQuantilesMs[100])} ms), band σ machine ${f(cal.band?.sigmaMachine)} model ${f(cal.band?.sigmaModel)} at ρ ${f(cal.band?.atUtilization)}`);
  }
  console.log('| config | load | rate/s | p99 predicted [95% band] ms | p99 measured (reps low–high) ms | reference gen p99 ms | error | inside band |');
  console.log('|---|---|---|---|---|---|---|---|');
  for (const r of v.rows) {
    console.log(`| ${r.config} | ${(r.loadFraction * 100).toFixed(0)}% | ${f(r.ratePerSec, 1)} | ${f(r.predicted.p99Ms)} [${f(r.predicted.p99BandMs[0])}, ${f(r.predicted.p99BandMs[1])}] | ` +
      `${f(r.measured.p99Ms)} (${f(r.measured.p99RangeMs?.[0])}–${f(r.measured.p99RangeMs?.[1])}) | ${r.reference ? f(r.reference.p99Ms) : '–'} | ${f(r.p99ErrorPct, 1)}% | ${r.insideBand ? 'yes' : 'no'} |`);
  }
  const s = v.summary;
  console.log(`summary: median |p99 err| ${f(s.medianAbsP99ErrorPct, 1)}%, worst optimistic ${f(s.worstOptimisticP99ErrorPct, 1)}%, band coverage ${f(s.bandCoveragePct, 0)}% ` +
    `(median width ${f(s.medianBandWidthPct, 0)}% of the prediction); capacity at p99 ≤ ${v.capacity.slaMs} ms: predicted ${f(v.capacity.predictedPerSec, 1)}/s, ` +
    `measured ${f(v.capacity.measuredPerSec, 1)}/s (${v.capacity.errorPct === null ? v.capacity.measuredNote : f(v.capacity.errorPct, 1) + '%'}); safe (band upper end) ${f(v.capacity.safePerSec, 1)}/s` +
    `${v.capacity.safeErrorPct === null || v.capacity.safeErrorPct === undefined ? '' : ` (${f(v.capacity.safeErrorPct, 1)}%)`}`);
}

const main = all.filter((x) => x.model !== 'mlp-small');
const rows = main.flatMap((x) => x.v.rows);
if (rows.length) {
  const med = (a: number[]) => { const s = [...a].sort((p, q) => p - q); return s.length ? (s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2) : NaN; };
  const low = rows.filter((r) => r.predicted.utilization <= 0.8);
  console.log(`\n## models that dominate their latency (${main.map((x) => x.model).join(', ')}): ${rows.length} levels`);
  console.log(`median |p99 error| at utilisation ≤ 0.8: ${f(med(low.map((r) => Math.abs(r.p99ErrorPct))), 1)}%; worst optimistic p99: ${f(Math.min(...rows.map((r) => r.p99ErrorPct)), 1)}%; ` +
    `band coverage: ${f((rows.filter((r) => r.insideBand).length / rows.length) * 100, 0)}%; median band width: ${f(med(rows.map((r) => ((r.predicted.p99BandMs[1] - r.predicted.p99BandMs[0]) / r.predicted.p99Ms) * 100)), 0)}% of the prediction`);
  console.log(`capacity at the SLA, predicted vs measured: ${main.map((x) => `${x.model} ${x.v.capacity.errorPct === null ? 'not bracketed' : f(x.v.capacity.errorPct, 1) + '%'}`).join(', ')}`);
  console.log(`safe capacity (band upper end) vs measured: ${main.map((x) => `${x.model} ${x.v.capacity.safeErrorPct === null || x.v.capacity.safeErrorPct === undefined ? 'not bracketed' : f(x.v.capacity.safeErrorPct, 1) + '%'}`).join(', ')}`);
}
console.log(`\nraw JSON per model in ${dir}`);
