// Each shipped workload, planned against REAL quick sweeps of its model (test/fixtures/curves/
// real-<model>.json, captured by capture-real-curves.ts on a 2-core machine, labelled with the
// machine and the date), gives the verdict its header comment explains; and the plan's figures
// agree with each other and with the text a PM reads aloud.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { parseWorkloadYaml, planWorkload } from '../../main/common/plan/index.ts';
import type { Workload } from '../../main/common/plan/index.ts';
import { buildContext } from '../../main/common/plan/planContext.ts';
import { chooseRealtime } from '../../main/common/plan/costRealtime.ts';
import { latencyAt } from '../../main/common/plan/capacity.ts';
import { tQuantile } from '../../main/common/stats/tInterval.ts';
import type { SweepRunResult } from '../../main/common/types.ts';

const root = new URL('../../', import.meta.url);
type RealCurve = SweepRunResult & { capture: { machine: string; capturedAt: string; commands: string[] } };
const real = (model: string) => JSON.parse(readFileSync(new URL(`test/fixtures/curves/real-${model}.json`, root), 'utf8')) as RealCurve;
const workload = (name: string) => parseWorkloadYaml(readFileSync(new URL(`workloads/${name}.yaml`, root), 'utf8'), `workloads/${name}.yaml`);
const fast = { skipSensitivity: true };

const expected: Record<string, { verdict: string; variant?: string }> = {
  'product-page-recs': { verdict: 'realtime' },
  'nightly-recs': { verdict: 'batch' },
  'recs-hybrid': { verdict: 'hybrid' },
  'medical-scans': { verdict: 'deferred', variant: 'scale-to-zero' },
  'receipt-ocr': { verdict: 'deferred', variant: 'serverless' },
  'voice-vad': { verdict: 'realtime' },
  'weekly-churn': { verdict: 'batch' },
  'interactive-classifier': { verdict: 'infeasible' },
};

describe('shipped workloads on real curves', () => {
  it('every workload is covered and every model has a real curve labelled with its machine and date', () => {
    const files = readdirSync(new URL('workloads/', root)).filter((f) => f.endsWith('.yaml')).map((f) => f.replace(/\.yaml$/, ''));
    assert.deepEqual(files.sort(), Object.keys(expected).sort());
    for (const f of files) {
      const c = real(workload(f).model.id);
      assert.equal(c.model.id, workload(f).model.id);
      assert.match(c.capture.machine, /cores/);
      assert.ok(!Number.isNaN(Date.parse(c.capture.capturedAt)));
      assert.ok(c.points.length >= 4 && c.points.every((p) => p.histogram === undefined && (p.quantilesMs?.length ?? 0) >= 2));
    }
  });

  for (const [name, exp] of Object.entries(expected)) {
    it(`${name} lands on ${exp.verdict}`, () => {
      const w = workload(name);
      const r = planWorkload(real(w.model.id), w, fast);
      assert.equal(r.verdict, exp.verdict, r.explanation.join('\n'));
      assert.equal(r.curvesModelMismatch, undefined);
      if (exp.verdict !== 'infeasible') {
        assert.equal(r.plans[0].mode, exp.verdict);
        if (exp.variant) assert.equal(r.plans[0].variant, exp.variant);
      }
      for (const p of r.plans.filter((x) => x.feasible && (x.mode === 'realtime' || x.mode === 'hybrid'))) {
        // utilisation = today's peak / (replicas at peak × X_slo), headroom its complement
        assert.ok(p.utilization > 0 && p.utilization <= 1, `${p.mode} utilization ${p.utilization}`);
        const expectedU = p.peakRatePerSec! / (p.replicas * p.capacityPerReplicaPerSec!);
        assert.ok(Math.abs(p.utilization - expectedU) <= Math.max(0.0015, expectedU * 0.02), `${p.mode}: ${p.utilization} vs ${expectedU}`);
        assert.ok(Math.abs(p.headroomPct - 100 * (1 - p.utilization)) <= 0.11, `${p.mode}: headroom ${p.headroomPct} vs utilization ${p.utilization}`);
        assert.ok(p.designPeakRatePerSec! >= p.peakRatePerSec!);
        // the band is for the SLA percentile and contains its prediction
        const pr = p.predicted!;
        assert.equal(pr.slaPercentile, w.sla.percentile);
        assert.ok(pr.slaBandMs![0] <= pr.slaPercentileMs! && pr.slaPercentileMs! <= pr.slaBandMs![1], JSON.stringify(pr));
        assert.ok(pr.p99BandMs[0] <= pr.p99Ms && pr.p99Ms <= pr.p99BandMs[1], JSON.stringify(pr));
        assert.match(p.bindingConstraint, new RegExp(`p${w.sla.percentile} ≤`));
      }
    });
  }

  it('a real-time plan reads aloud consistently: peak × growth = design peak, replicas, utilisation and headroom as in the table', () => {
    const w = workload('product-page-recs');
    const r = planWorkload(real('mlp-small'), w, fast);
    const p = r.plans[0];
    const text = r.explanation.join('\n');
    assert.equal(p.mode, 'realtime');
    assert.ok(p.utilization > 0, 'a tiny load is not reported as 0');
    // peak 1,951/s from the profile × 1.2 growth margin = 2,341/s, said where the growth enters
    assert.match(text, /design peak of 2,341\/s \(peak 1,951\/s from the daily profile × 1\.2 growth margin\)/);
    assert.match(text, new RegExp(`= ${p.replicas} replicas`));
    assert.match(text, new RegExp(`the ${p.replicas} replicas run at [0-9.]+% of their capacity at the SLA: headroom ${p.headroomPct}%`));
    assert.doesNotMatch(text, /provisions for the peak of 1,951/);
  });

  it('a p95 workload is explained and bound at p95, not p99', () => {
    const base = workload('receipt-ocr');
    const w: Workload = { ...base, callers: { ...base.callers, acceptsAsync: false }, serverless: undefined };
    const r = planWorkload(real('ocr-det'), w, fast);
    assert.equal(r.verdict, 'realtime', r.explanation.join('\n'));
    const p = r.plans[0];
    assert.match(p.bindingConstraint, /p95 ≤ 1\.5 s/);
    assert.doesNotMatch(p.bindingConstraint, /p99/);
    const text = r.explanation.join('\n');
    assert.match(text, /p95 \d/);
    assert.doesNotMatch(text, /p99/);
    assert.equal(p.predicted!.slaPercentile, 95);
    assert.ok(p.predicted!.slaPercentileMs! <= p.predicted!.p99Ms);
  });

  it('capacity per replica is judged on the upper confidence bound of the SLA percentile', () => {
    const w = workload('voice-vad');
    const ctx = buildContext(real('silero-vad'), w, { simRequests: 2000, simReplications: 4, seed: 1 });
    const choice = chooseRealtime(ctx, 1)!;
    assert.ok(choice && choice.finding.xSloPerSec > 0);
    const at = latencyAt(choice.probe, choice.finding.xSloPerSec);
    assert.equal(at.replications, 4);
    assert.ok(at.slaPercentileUpperMs <= ctx.budgetMs, `${at.slaPercentileUpperMs} > ${ctx.budgetMs}`);
    assert.ok(at.slaPercentileUpperMs >= at.slaPercentileMs);
    // with 4 replications the bound is mean + t(0.95, 3)·s/√4, and t(0.95, 3) = 2.353
    assert.ok(Math.abs(tQuantile(0.95, 3) - 2.3533634) < 1e-6);
    const r = planWorkload(real('silero-vad'), w, fast);
    assert.match(r.plans[0].arithmetic.join('\n'), /upper 95% bound of its simulated p99 within budget \(4 × 2000 simulated requests per rate/);
  });

  it('the infeasible classifier misses by the int8 gap here and names the levers; 20 ms would be feasible', () => {
    const w = workload('interactive-classifier');
    const r = planWorkload(real('bert-small'), w);
    assert.ok(r.slaGapMs !== undefined && r.slaGapMs > 0.5 && r.slaGapMs < 3, `gap ${r.slaGapMs}`);
    assert.match(r.relaxations.find((x) => x.lever === 'lower-precision')!.change, /int8 measured at .* still .* over/);
    assert.ok(r.relaxations.some((x) => x.lever === 'faster-hardware'));
    assert.equal(r.sensitivity.sla.find((p) => p.slaMs === 20)?.verdict, 'realtime');
  });

  it('curves of another model: a loud first line and curvesModelMismatch, not a silent plan', () => {
    const w = workload('product-page-recs'); // mlp-small
    const r = planWorkload(real('mlp-large'), w, fast);
    assert.deepEqual(r.curvesModelMismatch, { run: 'mlp-large', workload: 'mlp-small' });
    assert.match(r.explanation[0], /^WARNING: these curves measured mlp-large, but the workload runs mlp-small/);
  });
});
