// `kneepoint roofline RUN_ID`: each point's achieved GFLOP/s and share of this machine's measured
// peak, its arithmetic intensity and which roof bounds it. The peak is measured once per machine.
import type { Command } from 'commander';
import { withApi, globals } from '../openEngine.ts';
import { printJson, rate, table } from '../format.ts';
import type { RooflineResult } from '../../common/roofline.ts';

const g = (v: number | null) => (v === null || !Number.isFinite(v) ? '–' : v >= 100 ? v.toFixed(0) : v >= 1 ? v.toFixed(2) : v.toFixed(4));

export function printRoofline(r: RooflineResult): void {
  if (r.peak) console.log(`Machine roofs: ${g(r.peak.peakGflopsPerSec)} GFLOP/s peak, ${g(r.peak.memoryGbPerSec)} GB/s memory (ridge at ${g(r.ridgeIntensity)} FLOP/byte); measured ${r.peak.measuredAt.replace('T', ' ').slice(0, 19)}.`);
  if (r.flopsNote) console.log(r.flopsNote);
  console.log(table(['config', 'samples/s', 'GFLOP/s', 'share of peak', 'FLOP/byte', 'roof GFLOP/s', 'bound'], r.points.map((p) => [
    p.label, rate(p.samplesPerSec), g(p.achievedGflopsPerSec), p.shareOfPeak === null ? '–' : `${(p.shareOfPeak * 100).toFixed(1)} %`,
    g(p.arithmeticIntensity), g(p.attainableGflopsPerSec), p.bound ?? '–',
  ])));
  for (const n of r.notes) console.log(`note: ${n}`);
}

export function registerRoofline(program: Command): void {
  program.command('roofline <runId>').description('achieved GFLOP/s per point against this machine\'s measured peak FLOP/s and memory bandwidth (measured once, about 5 s)')
    .option('--no-measure', 'do not measure the machine\'s peak when it is not stored yet')
    .option('--remeasure', 'measure the machine\'s peak again')
    .action(async (runId: string, o: { measure: boolean; remeasure?: boolean }, cmd: Command) => withApi(cmd, async (api) => {
      const r = await api.roofline({ runId, measure: o.measure, remeasure: o.remeasure });
      if (globals(cmd).json) printJson(r); else printRoofline(r);
    }));
}
