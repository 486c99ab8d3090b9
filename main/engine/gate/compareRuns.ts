// The CI gate's judgement: points matched by configuration, and a regression called only when it
// is larger than the allowed margin AND significant:
//   latency    the candidate's percentile CI lies wholly above the baseline's, by more than the
//              A/A noise envelope (lower bound of candidate > upper bound of baseline × (1 + noise));
//   throughput the drop exceeds the A/A noise envelope, and the per-request evidence agrees (the
//              candidate's p50 CI lies wholly above the baseline's: the typical request got slower).
// The A/A envelope is what the runs themselves measured of the machine's noise: each sweep
// re-measures its first point at the end (anchorDriftPct); the larger of the two runs' drifts, as a
// factor (so a 2× slowdown and a 2× speed-up are the same noise), is used.
import type { PointConfig, PointResult } from '../../common/types.ts';
import { configKey, configLabel, CONFIG_FIELDS, type ConfigField } from '../../common/best/configLabel.ts';
import { percentileWithCi } from '../../common/best/bestConfig.ts';
import type { SlaPercentile } from '../../common/best/sla.ts';
import type { GateRun } from './gateInput.ts';

export type GateVerdict = 'pass' | 'regression';
export type ComparisonStatus = 'regression' | 'improvement' | 'no significant change' | 'not comparable';

export interface MetricComparison {
  baseline: number;
  candidate: number;
  /** (candidate − baseline) / baseline × 100 */
  changePct: number;
  baselineCi: [number, number] | null;
  candidateCi: [number, number] | null;
  significant: boolean;
}

export interface ConfigComparison {
  config: PointConfig;
  label: string;
  status: ComparisonStatus;
  latency: MetricComparison | null;
  throughput: MetricComparison | null;
  /** either side's point was unstable (its windows disagreed) */
  unstable: boolean;
  /** the gate's reasoning for this config, in words */
  reasons: string[];
}

export interface GateResult {
  verdict: GateVerdict;
  percentile: SlaPercentile;
  maxRegressionPct: number;
  /** the A/A envelope used, %; null when neither run re-measured a point */
  noiseEnvelopePct: number | null;
  baseline: Omit<GateRun, 'points'>;
  candidate: Omit<GateRun, 'points'>;
  comparisons: ConfigComparison[];
  baselineOnly: string[];
  candidateOnly: string[];
  notes: string[];
  sentence: string;
}

export interface GateOptions {
  percentile: SlaPercentile;
  maxRegressionPct: number;
  /** which config fields must be equal for two points to be compared (default all) */
  match?: readonly ConfigField[];
}

const pctName = (p: SlaPercentile) => (p === 'p999' ? 'p99.9' : p);
const f1 = (v: number) => (Math.abs(v) >= 100 ? v.toFixed(0) : v.toFixed(1));
const fms = (v: number) => (v >= 100 ? v.toFixed(0) : v >= 10 ? v.toFixed(1) : v >= 1 ? v.toFixed(2) : v.toFixed(3));
const change = (b: number, c: number) => ((c - b) / b) * 100;

function ci(p: PointResult, pct: SlaPercentile): { ms: number; ciMs: [number, number] | null } | null {
  const v = percentileWithCi(p, pct);
  if ('missing' in v) {
    const est = p.latencyMs[pct];
    return est === null || est === undefined ? null : { ms: est, ciMs: null };
  }
  return v;
}

function compareOne(b: PointResult, c: PointResult, o: GateOptions, noisePct: number): ConfigComparison {
  const label = configKey(b.config) === configKey(c.config) ? configLabel(c.config) : `${configLabel(b.config)} → ${configLabel(c.config)}`;
  const reasons: string[] = [];
  const unstable = b.status === 'unstable' || c.status === 'unstable';
  if (b.status === 'failed') {
    return { config: c.config, label, status: 'not comparable', latency: null, throughput: null, unstable, reasons: ['the baseline point failed: nothing to compare with'] };
  }
  if (c.status === 'failed') {
    return { config: c.config, label, status: 'regression', latency: null, throughput: null, unstable, reasons: [`the candidate point failed (${c.error ?? 'no result'}) where the baseline measured`] };
  }
  const noise = 1 + noisePct / 100;
  // latency at the gate's percentile
  const bl = ci(b, o.percentile);
  const cl = ci(c, o.percentile);
  let latency: MetricComparison | null = null;
  let latencyRegressed = false;
  let latencyImproved = false;
  if (bl && cl) {
    const significantUp = !!(bl.ciMs && cl.ciMs && cl.ciMs[0] > bl.ciMs[1] * noise);
    const significantDown = !!(bl.ciMs && cl.ciMs && cl.ciMs[1] * noise < bl.ciMs[0]);
    const changePct = change(bl.ms, cl.ms);
    latency = { baseline: bl.ms, candidate: cl.ms, changePct, baselineCi: bl.ciMs, candidateCi: cl.ciMs, significant: significantUp || significantDown };
    const p = pctName(o.percentile);
    if (!bl.ciMs || !cl.ciMs) reasons.push(`${p}: too few requests for an interval on ${!bl.ciMs ? 'the baseline' : 'the candidate'}: not judged`);
    else if (changePct > o.maxRegressionPct && significantUp) {
      latencyRegressed = true;
      reasons.push(`${p} ${fms(bl.ms)} → ${fms(cl.ms)} ms (+${f1(changePct)} %, over the ${o.maxRegressionPct} % allowed); intervals [${fms(bl.ciMs[0])}, ${fms(bl.ciMs[1])}] and [${fms(cl.ciMs[0])}, ${fms(cl.ciMs[1])}] do not overlap${noisePct > 0 ? ` even with ${f1(noisePct)} % A/A noise` : ''}`);
    } else if (changePct > o.maxRegressionPct) {
      reasons.push(`${p} +${f1(changePct)} % but not significant: the intervals overlap${noisePct > 0 ? ' within the A/A noise' : ''}`);
    } else if (-changePct > o.maxRegressionPct && significantDown) {
      latencyImproved = true;
      reasons.push(`${p} ${fms(bl.ms)} → ${fms(cl.ms)} ms (${f1(changePct)} %): faster`);
    }
  }
  // throughput
  const bp50 = ci(b, 'p50');
  const cp50 = ci(c, 'p50');
  const typicalSlower = !!(bp50?.ciMs && cp50?.ciMs && cp50.ciMs[0] > bp50.ciMs[1]);
  const typicalFaster = !!(bp50?.ciMs && cp50?.ciMs && cp50.ciMs[1] < bp50.ciMs[0]);
  const tChange = change(b.samplesPerSec, c.samplesPerSec);
  const ratio = c.samplesPerSec / b.samplesPerSec;
  const beyondNoise = ratio > noise || ratio * noise < 1;
  const throughput: MetricComparison = {
    baseline: b.samplesPerSec, candidate: c.samplesPerSec, changePct: tChange, baselineCi: null, candidateCi: null,
    significant: beyondNoise && (tChange < 0 ? typicalSlower : typicalFaster),
  };
  let throughputRegressed = false;
  let throughputImproved = false;
  if (-tChange > o.maxRegressionPct) {
    if (throughput.significant) {
      throughputRegressed = true;
      reasons.push(`throughput ${Math.round(b.samplesPerSec)} → ${Math.round(c.samplesPerSec)} samples/s (${f1(tChange)} %, over the ${o.maxRegressionPct} % allowed; p50 intervals do not overlap${noisePct > 0 ? `, beyond the ${f1(noisePct)} % A/A noise` : ''})`);
    } else {
      reasons.push(`throughput ${f1(tChange)} % but not significant (${!beyondNoise ? `within the ${f1(noisePct)} % A/A noise` : 'p50 intervals overlap'})`);
    }
  } else if (tChange > o.maxRegressionPct && throughput.significant) {
    throughputImproved = true;
    reasons.push(`throughput +${f1(tChange)} %: faster`);
  }
  if (unstable) reasons.push('an unstable point (windows disagreed): figures may move on a re-measure');
  const status: ComparisonStatus = latencyRegressed || throughputRegressed ? 'regression'
    : latencyImproved || throughputImproved ? 'improvement' : 'no significant change';
  if (status === 'no significant change' && !reasons.length) reasons.push(`within ${o.maxRegressionPct} %`);
  return { config: c.config, label, status, latency, throughput, unstable, reasons };
}

export function compareRuns(baseline: GateRun, candidate: GateRun, o: GateOptions): GateResult {
  const notes: string[] = [];
  // a drift of +d % or of −d/(1+d) % is the same factor (1 + d) between the two measurements
  const factors = [baseline.anchorDriftPct, candidate.anchorDriftPct].filter((d): d is number => d !== null && Number.isFinite(d) && d > -100)
    .map((d) => (d >= 0 ? 1 + d / 100 : 1 / (1 + d / 100)));
  const noiseEnvelopePct = factors.length ? (Math.max(...factors) - 1) * 100 : null;
  if (noiseEnvelopePct === null) notes.push('neither run re-measured a point (sweep --no-anchor): no A/A noise envelope; significance rests on the intervals alone');
  if (baseline.modelSha256 && candidate.modelSha256 && baseline.modelSha256 !== candidate.modelSha256) {
    notes.push(`the model file differs (baseline ${baseline.modelId} ${baseline.modelSha256.slice(0, 12)}, candidate ${candidate.modelId} ${candidate.modelSha256.slice(0, 12)}): this is what the gate measures`);
  }
  if (baseline.hardwareFingerprint && candidate.hardwareFingerprint && baseline.hardwareFingerprint !== candidate.hardwareFingerprint) {
    notes.push('measured on different machines: a change may be the machine, not the model');
  }
  const fields = o.match ?? CONFIG_FIELDS;
  const key = (p: PointResult) => configKey(p.config, fields);
  const byKey = new Map(baseline.points.map((p) => [key(p), p]));
  const candKeys = new Set(candidate.points.map(key));
  if (fields.length < CONFIG_FIELDS.length) notes.push(`points matched on ${fields.join(', ')} only: ${CONFIG_FIELDS.filter((f) => !fields.includes(f)).join(', ')} may differ, and that difference is what is judged`);
  const comparisons: ConfigComparison[] = [];
  const candidateOnly: string[] = [];
  for (const c of candidate.points) {
    const b = byKey.get(key(c));
    if (!b) { candidateOnly.push(configLabel(c.config)); continue; }
    comparisons.push(compareOne(b, c, o, noiseEnvelopePct ?? 0));
  }
  const baselineOnly = baseline.points.filter((p) => !candKeys.has(key(p))).map((p) => configLabel(p.config));
  if (baselineOnly.length) notes.push(`not in the candidate (not judged): ${baselineOnly.join('; ')}`);
  if (candidateOnly.length) notes.push(`new in the candidate (not judged): ${candidateOnly.join('; ')}`);
  const regressions = comparisons.filter((c) => c.status === 'regression');
  const verdict: GateVerdict = regressions.length ? 'regression' : 'pass';
  const strip = ({ points: _p, ...rest }: GateRun) => rest;
  const sentence = regressions.length
    ? `Regression in ${regressions.length} of ${comparisons.length} configuration(s): ${regressions.map((r) => `${r.label} (${r.reasons[0]})`).join('; ')}.`
    : `No significant regression beyond ${o.maxRegressionPct} % in ${comparisons.length} matched configuration(s)${noiseEnvelopePct !== null ? ` (A/A noise ${f1(noiseEnvelopePct)} %)` : ''}.`;
  return { verdict, percentile: o.percentile, maxRegressionPct: o.maxRegressionPct, noiseEnvelopePct, baseline: strip(baseline), candidate: strip(candidate), comparisons, baselineOnly, candidateOnly, notes, sentence };
}
