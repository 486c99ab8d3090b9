// Closed-loop measurement of one point: k instances each running back-to-back.
// Warm-up until the rolling median settles (per instance), then windows (>= windowMinMs and
// >= windowMinRequests completions). The point stops as soon as the last `stableWindows` agree on
// throughput and p99, there are enough samples for p99 and the p99's 95 % interval is within
// ± p99CiTolerancePct; or at `maxWindows` (then, if not stable, it is stored as unstable).
import type { MethodSpec } from '../../common/schemas.ts';
import type { PointResult } from '../../common/types.ts';
import { summarize, quantiles101, percentileNearestRank } from '../../common/stats/percentiles.ts';
import { percentileCi } from '../../common/stats/percentileCi.ts';
import { warmupDone } from '../../common/stats/warmup.ts';
import { windowsStable, type WindowStats } from '../../common/stats/stability.ts';
import { littleGapPct } from '../../common/stats/littlesLaw.ts';
import { createLatencyHistogram, recordMs, encodeHistogram } from '../../common/stats/histogram.ts';
import type { InstancePool } from './instancePool.ts';

/** The measured part of a point (the sweep adds config, status, session and first-inference times). */
export type ClosedLoopResult = Pick<PointResult, 'requests' | 'samples' | 'samplesPerSec' | 'requestsPerSec' | 'latencyMs' | 'p99CiMs' |
  'warmupRuns' | 'windows' | 'peakRssBytes'> & Required<Pick<PointResult, 'quantilesMs' | 'histogram' | 'littleGapPct' | 'durationMs' | 'notes'>> & {
  stable: boolean;
};

export interface ClosedLoopOptions {
  batch: number;
  method: MethodSpec;
  signal?: AbortSignal;
  onPhase?: (phase: string) => void;
  /** hard cap on the point's wall time; then it is stored as unstable */
  maxPointMs?: number;
}

interface Window { startMs: number; endMs: number; latencies: number[] }

export class CancelledError extends Error {
  constructor() { super('cancelled'); this.name = 'CancelledError'; }
}

/** The p99's 95 % interval over every window so far is within ± tolerancePct of the p99. */
export function p99IntervalTight(windows: ReadonlyArray<{ latencies: number[] }>, tolerancePct: number): boolean {
  const n = windows.reduce((s, w) => s + w.latencies.length, 0);
  const sorted = new Float64Array(n);
  let i = 0;
  for (const w of windows) for (const l of w.latencies) sorted[i++] = l;
  sorted.sort();
  const ci = percentileCi(sorted, 0.99);
  if (!ci) return false;
  const p99 = summarize(sorted).p99;
  return p99 > 0 && (ci[1] - ci[0]) / 2 <= (p99 * tolerancePct) / 100;
}

export async function measureClosedLoop(pool: InstancePool, opts: ClosedLoopOptions): Promise<ClosedLoopResult> {
  const { method, batch } = opts;
  const k = pool.size;
  const started = performance.timeOrigin + performance.now();
  const maxPointMs = opts.maxPointMs ?? Math.max(60_000, method.windowMinMs * method.maxWindows * 4);
  const perInstance: number[][] = Array.from({ length: k }, () => []);
  const warmDone: boolean[] = new Array(k).fill(false);
  let warmupRuns = 0;
  let warmEndMs: number | null = null;
  const windows: Window[] = [];
  /** each closed window's throughput, p99 and sorted latencies, computed once when it closes */
  const stats: WindowStats[] = [];
  let current: Window | null = null;
  let done = false;
  let stable = false;
  let verdict: ReturnType<typeof windowsStable> | null = null;
  let failure: Error | null = null;
  let peakRss = process.memoryUsage().rss;
  const notes: string[] = [];
  opts.onPhase?.('warm-up');

  let finish!: () => void;
  const finished = new Promise<void>((res) => { finish = res; });
  const end = () => { if (!done) { done = true; pool.stopLoop(); finish(); } };

  const rssTimer = setInterval(() => { peakRss = Math.max(peakRss, process.memoryUsage().rss); }, 100);
  const onAbort = () => { failure = new CancelledError(); end(); };
  opts.signal?.addEventListener('abort', onAbort);
  const deadline = setTimeout(() => { notes.push(`stopped after ${Math.round(maxPointMs / 1000)} s without reaching stability`); end(); }, maxPointMs);

  const closeWindowIfDue = (t: number) => {
    if (!current) return;
    if (t - current.startMs < method.windowMinMs || current.latencies.length < method.windowMinRequests) return;
    current.endMs = t;
    windows.push(current);
    current = { startMs: t, endMs: t, latencies: [] };
    const w = windows[windows.length - 1];
    const wSorted = Float64Array.from(w.latencies).sort();
    stats.push({
      samplesPerSec: (w.latencies.length * batch) / ((w.endMs - w.startMs) / 1000),
      p99Ms: percentileNearestRank(wSorted, 0.99),
      sortedMs: wSorted,
    });
    const total = windows.reduce((s, w) => s + w.latencies.length, 0);
    if (windows.length >= method.stableWindows) {
      verdict = windowsStable(stats, method.stableWindows, method.stabilityTolerancePct);
      stable = verdict.stable;
      if (stable && total >= method.minSamplesForP99 && p99IntervalTight(windows, method.p99CiTolerancePct)) { end(); return; }
    }
    opts.onPhase?.(`window ${windows.length}/${method.maxWindows} (n=${total})`);
    if (windows.length >= method.maxWindows) end();
  };

  const loopDone = pool.startLoop((chunk, inst) => {
    if (done) return;
    const { endsMs, latenciesMs } = chunk;
    for (let i = 0; i < endsMs.length; i++) {
      const t = endsMs[i];
      const lat = latenciesMs[i];
      if (warmEndMs === null) {
        warmupRuns++;
        const own = perInstance[inst];
        own.push(lat);
        if (!warmDone[inst] && (warmupDone(own, method.warmupMinRuns, method.warmupTolerancePct) || own.length >= method.warmupMaxRuns)) {
          warmDone[inst] = true;
          if (own.length >= method.warmupMaxRuns) notes.push(`instance ${inst}: warm-up hit its cap of ${method.warmupMaxRuns} runs`);
        }
        if (warmDone.every(Boolean)) {
          warmEndMs = t;
          current = { startMs: t, endMs: t, latencies: [] };
          opts.onPhase?.('measuring');
        }
        continue;
      }
      if (t < warmEndMs) continue;
      current!.latencies.push(lat);
      closeWindowIfDue(t);
      if (done) return;
    }
  }).catch((e: Error) => { failure ??= e; end(); });

  await finished;
  await loopDone;
  clearInterval(rssTimer);
  clearTimeout(deadline);
  opts.signal?.removeEventListener('abort', onAbort);
  pool.resetControl();
  if (failure) throw failure;

  if (windows.length === 0) {
    // Bounded out before a single full window: report what the partial window holds.
    if (current && (current as Window).latencies.length > 0) {
      const c = current as Window;
      c.endMs = Math.max(c.startMs + 1, performance.timeOrigin + performance.now());
      windows.push(c);
    } else {
      throw new Error('no completed inference after warm-up: the point timed out (a single run may be slower than the point time limit)');
    }
  }
  const all: number[] = [];
  for (const w of windows) for (const l of w.latencies) all.push(l);
  const sorted = Float64Array.from(all).sort();
  const wallMs = windows[windows.length - 1].endMs - windows[0].startMs;
  const requests = sorted.length;
  const requestsPerSec = requests / (wallMs / 1000);
  const sum = summarize(sorted);
  const h = createLatencyHistogram();
  for (const l of all) recordMs(h, l);
  if (!stable) {
    // assigned in the chunk callback, which the compiler does not follow
    const last = verdict as ReturnType<typeof windowsStable> | null;
    const spread = last ? `: the last ${method.stableWindows} differ by ${last.throughputSpreadPct.toFixed(0)}% in throughput and ${last.p99SpreadPct.toFixed(0)}% in p99` : '';
    notes.push(`not stable after ${windows.length} windows (tolerance ${method.stabilityTolerancePct}%)${spread}`);
  }
  const judged = verdict as ReturnType<typeof windowsStable> | null;
  if (stable && judged?.p99Agreement === 'sampling') {
    const perWindow = Math.round(windows.slice(-method.stableWindows).reduce((s, w) => s + w.latencies.length, 0) / method.stableWindows);
    notes.push(`the last ${method.stableWindows} windows' p99s differ by ${judged.p99SpreadPct.toFixed(0)}% (above the ${method.stabilityTolerancePct}% tolerance) but each window's count above the pooled p99 is what one shared p99 gives (about ${perWindow} requests a window): sampling error, not drift`);
  }
  if (requests < method.minSamplesForP99) notes.push(`p99 from n=${requests} < ${method.minSamplesForP99} samples: treat it as indicative`);
  else if (stable && !p99IntervalTight(windows, method.p99CiTolerancePct)) notes.push(`p99 interval wider than ± ${method.p99CiTolerancePct}% after ${windows.length} windows`);
  return {
    requests,
    samples: requests * batch,
    samplesPerSec: requestsPerSec * batch,
    requestsPerSec,
    latencyMs: { p50: sum.p50, p90: sum.p90, p95: sum.p95, p99: sum.p99, p999: sum.p999, mean: sum.mean, min: sum.min, max: sum.max },
    p99CiMs: percentileCi(sorted, 0.99),
    quantilesMs: quantiles101(sorted),
    histogram: encodeHistogram(h),
    warmupRuns,
    windows: windows.length,
    stable,
    littleGapPct: littleGapPct({ instances: k, requestsPerSec, meanLatencyMs: sum.mean }),
    peakRssBytes: peakRss,
    durationMs: performance.timeOrigin + performance.now() - started,
    notes,
  };
}
