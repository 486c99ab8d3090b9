// Compare's figures on real measured points (test/fixtures/curves): a latency delta is significant
// only when both points' 95 % intervals rule out no change and neither point is unstable; the
// summary line names the speed-up, the interval and how many points are significant; runs of one
// model are told apart by date, machine and grid.
import { it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import type { PointResult, SweepRunResult } from '../../main/common/types.ts';
import { gridText, latencyDelta, runLabel, summaryLine } from '../../renderer/src/views/compareDeltas.ts';

const load = (name: string) => JSON.parse(readFileSync(new URL(`../fixtures/curves/${name}.json`, import.meta.url), 'utf8')) as SweepRunResult;
const small = load('mlp-small');
const real = load('real-mlp-small');
const at = (r: SweepRunResult, precision: string, batch: number, instances = 1) =>
  r.points.find((p) => p.config.precision === precision && p.config.batch === batch && p.config.instances === instances)!;
const asOk = (p: PointResult): PointResult => ({ ...p, status: 'ok' });

it('int8 vs fp32 at batch 1: intervals apart, significant, with an interval that excludes 0', () => {
  const d = latencyDelta(at(small, 'fp32', 1), at(small, 'int8', 1), 'p99');
  assert.ok(d.latencyIntervalPct, 'both points have a p99 interval');
  assert.ok(d.latencyIntervalPct[1] < 0 || d.latencyIntervalPct[0] > 0, JSON.stringify(d.latencyIntervalPct));
  assert.equal(d.significant, true);
  assert.ok(d.latencyPct >= d.latencyIntervalPct[0] && d.latencyPct <= d.latencyIntervalPct[1]);
});

it('the same point against itself is within noise; an unstable point is never coloured', () => {
  const p = at(small, 'fp32', 16);
  const same = latencyDelta(p, p, 'p99');
  assert.equal(same.significant, false);
  assert.equal(same.why, 'within noise');
  // real-mlp-small's batch-1 and batch-32 × 2 points are far apart, but batch 1 is unstable
  const b1 = at(real, 'fp32', 1);
  assert.equal(b1.status, 'unstable');
  const apart = latencyDelta(b1, at(real, 'fp32', 32, 2), 'p99');
  assert.equal(apart.significant, false);
  assert.equal(apart.why, 'unstable');
  assert.equal(latencyDelta(asOk(b1), at(real, 'fp32', 32, 2), 'p99').significant, true, 'the same pair, both stable, is significant');
});

it('summary line: "<run> is N× faster at batch B …, p99 −X % [lo, hi], k of n points significant"', () => {
  const fp32 = small.points.filter((p) => p.config.precision === 'fp32' && p.config.instances === 1);
  const ds = fp32.map((b) => at(small, 'int8', b.config.batch)).map((o, i) => (o ? latencyDelta(fp32[i], o, 'p99') : null)).filter((d) => d !== null);
  const line = summaryLine('int8', ds, 'p99');
  assert.match(line, /^int8 is \d+(\.\d)?× (faster|slower) at batch \d+ \(1 inst\), p99 [+−]\d+(\.\d)? % \[[+−]?\d+(\.\d)?, [+−]?\d+(\.\d)?\], \d of \d points significant\.$/, line);
});

it('runs of the same model get different labels (date, machine, grid)', () => {
  const base = { kind: 'sweep' as const, model: 'mlp-small', status: 'completed' as const, pointCount: 10 };
  const a = runLabel({ ...base, id: 'run_a', createdAt: '2026-11-01T10:00:00Z', hardwareLabel: 'Xeon (2 cores)' }, real);
  const b = runLabel({ ...base, id: 'run_b', createdAt: '2026-11-02T10:00:00Z', hardwareLabel: 'Xeon (2 cores)' }, small);
  assert.notEqual(a, b);
  assert.match(gridText(real.points), /^batch 1–256 × inst 1–2 · fp32 · 10 points$/);
  assert.match(a, /mlp-small · .*2026.* · Xeon \(2 cores\) · batch 1–256/);
});
