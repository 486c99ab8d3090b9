// The roofline of a run's points: achieved GFLOP/s (FLOPs per sample × samples/s) against the
// machine's measured roofs, and each point's arithmetic intensity. Pure: the engine, the CLI, Run
// detail and the report use the same figures.
import type { ModelInfo, PointResult, TensorInfo } from './types.ts';
import { configLabel } from './best/configLabel.ts';

/** A machine's achievable roofs, measured once (see main/engine/roofline/measurePeak.ts). */
export interface MachinePeak {
  fingerprint: string;
  /** dense fp32 MatMul at full threads, GFLOP/s */
  peakGflopsPerSec: number;
  /** streaming Add at full threads, GB/s (10^9 bytes) */
  memoryGbPerSec: number;
  threads: number;
  method: string;
  measuredAt: string;
  measureMs?: number;
}

export interface RooflinePoint {
  pointId?: number;
  label: string;
  batch: number;
  samplesPerSec: number;
  /** FLOPs per sample × samples/s / 10^9; null when the model's FLOPs are unknown */
  achievedGflopsPerSec: number | null;
  /** achieved / the machine's peak (0–1) */
  shareOfPeak: number | null;
  /** FLOPs per byte of minimum memory traffic per sample (weights once per batch + inputs + outputs) */
  arithmeticIntensity: number | null;
  /** min(peak, intensity × bandwidth): what the roofline allows at that intensity, GFLOP/s */
  attainableGflopsPerSec: number | null;
  bound: 'compute' | 'memory' | null;
  /** achieved above the DRAM roof: the working set (weights) stays in cache, so the memory roof does not bind */
  aboveMemoryRoof: boolean;
}

export interface RooflineResult {
  runId: string;
  model: string;
  flopsPerSample: number | null;
  /** why the figures are missing, when FLOPs per sample are unknown */
  flopsNote: string | null;
  peak: MachinePeak | null;
  points: RooflinePoint[];
  /** the intensity where the two roofs meet (peak / bandwidth), FLOP/byte */
  ridgeIntensity: number | null;
  method: string;
  notes: string[];
}

const BYTES: Record<string, number> = { float32: 4, float: 4, float16: 2, bfloat16: 2, float64: 8, double: 8, int64: 8, int32: 4, int16: 2, int8: 1, uint8: 1, bool: 1 };

/** Bytes of one sample of a tensor (the batch dim left out; unknown dims count as 1). */
function sampleBytes(t: TensorInfo, batchDim: number | null | undefined): number {
  const elems = t.shape.reduce<number>((acc, d, i) => (i === (batchDim ?? 0) ? acc : acc * (typeof d === 'number' && d > 0 ? d : 1)), 1);
  return elems * (BYTES[t.type] ?? 4);
}

export const ROOFLINE_METHOD = 'achieved GFLOP/s = FLOPs per sample (static count from the graph) × measured samples/s; intensity = FLOPs per sample ÷ (weight bytes ÷ batch + input and output bytes per sample), the least memory traffic a sample can cause; roofs measured on this machine (MatMul for compute, streaming Add for bandwidth)';

export function rooflineFor(run: { runId: string; model: string; points: PointResult[] }, info: Pick<ModelInfo, 'flopsPerSample' | 'flopsNote' | 'paramBytes' | 'inputs' | 'outputs' | 'batchDims'> | null, peak: MachinePeak | null): RooflineResult {
  const notes: string[] = [];
  const flops = info?.flopsPerSample ?? null;
  const flopsNote = flops === null || flops <= 0
    ? `FLOPs per sample are unknown for ${run.model}${info?.flopsNote ? ` (${info.flopsNote})` : info ? ' (operators the FLOP count does not cover)' : ' (the model is not on this machine)'}: no achieved GFLOP/s can be shown`
    : null;
  if (!peak) notes.push('this machine\'s peak is not measured yet: run `kneepoint roofline RUN --measure` (about 5 s)');
  const ioBytes = info ? [...info.inputs.map((t) => sampleBytes(t, info.batchDims?.[t.name])), ...info.outputs.map((t) => sampleBytes(t, 0))].reduce((a, b) => a + b, 0) : null;
  const points: RooflinePoint[] = run.points.filter((p) => p.status !== 'failed' && p.samplesPerSec > 0).map((p) => {
    const achieved = flopsNote ? null : (flops! * p.samplesPerSec) / 1e9;
    const bytesPerSample = ioBytes !== null && info?.paramBytes !== undefined ? info.paramBytes / p.config.batch + ioBytes : null;
    const intensity = !flopsNote && bytesPerSample ? flops! / bytesPerSample : null;
    const attainable = peak && intensity !== null ? Math.min(peak.peakGflopsPerSec, intensity * peak.memoryGbPerSec) : null;
    return {
      ...(p.id !== undefined ? { pointId: p.id } : {}),
      label: configLabel(p.config), batch: p.config.batch, samplesPerSec: p.samplesPerSec,
      achievedGflopsPerSec: achieved,
      shareOfPeak: achieved !== null && peak ? achieved / peak.peakGflopsPerSec : null,
      arithmeticIntensity: intensity,
      attainableGflopsPerSec: attainable,
      bound: peak && intensity !== null ? (intensity * peak.memoryGbPerSec < peak.peakGflopsPerSec ? 'memory' : 'compute') : null,
      aboveMemoryRoof: achieved !== null && attainable !== null && achieved > attainable,
    };
  });
  if (points.some((p) => p.aboveMemoryRoof)) {
    const mib = info?.paramBytes !== undefined ? ` (${(info.paramBytes / 2 ** 20).toFixed(1)} MiB of weights)` : '';
    notes.push(`some points run above the memory roof: the weights${mib} stay in the CPU caches, whose bandwidth is higher than the measured DRAM streaming bandwidth`);
  }
  if (flopsNote) notes.push(flopsNote);
  return {
    runId: run.runId, model: run.model, flopsPerSample: flopsNote ? null : flops, flopsNote, peak,
    points,
    ridgeIntensity: peak ? peak.peakGflopsPerSec / peak.memoryGbPerSec : null, method: ROOFLINE_METHOD, notes,
  };
}
