// The service points a prediction simulates: a batch size whose closed-loop point is unstable keeps
// its own measured time (not the next batch size's), and a batch size the serving path measured is
// used even where the closed-loop sweep has no point for it.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { servingPathPoints } from '../../main/common/plan/serving.ts';
import { servicePointsFromRun, serviceModelFromRun } from '../../main/engine/load/serviceCurves.ts';
import type { ServingCalibration } from '../../main/common/plan/types.ts';
import type { PointResult, SweepRunResult } from '../../main/common/types.ts';

const point = (batch: number, meanMs: number, status: PointResult['status'], requests = 1000) => ({
  config: { batch, instances: 1, threadsPerInstance: 1, precision: 'fp32', provider: 'cpu' },
  status, requests, latencyMs: { mean: meanMs },
}) as unknown as PointResult;
const run = (points: PointResult[]) => ({ runId: 'run_test', points }) as unknown as SweepRunResult;
const group = { instances: 1, threadsPerInstance: 1, precision: 'fp32' as const, provider: 'cpu' as const };

describe('service points from a sweep', () => {
  it('keeps an unstable batch-1 point instead of modelling batch 1 with batch 2', () => {
    const r = servicePointsFromRun(run([point(1, 0.78, 'unstable'), point(2, 1.43, 'ok'), point(4, 2.8, 'ok')]), { instances: 1, threads: 1 });
    assert.deepEqual(r.points.map((p) => [p.batch, p.meanMs]), [[1, 0.78], [2, 1.43], [4, 2.8]]);
    assert.match(r.notes.join(' '), /batch 1 is from unstable points/);
    // an unstable point above an ok one is left out: interpolating the ok points is the better guess
    const above = servicePointsFromRun(run([point(1, 0.73, 'ok'), point(2, 1.47, 'ok'), point(8, 7.59, 'unstable')]), { instances: 1, threads: 1 });
    assert.deepEqual(above.points.map((p) => p.batch), [1, 2]);
    const m = serviceModelFromRun(run([point(1, 0.78, 'unstable'), point(2, 1.43, 'ok')]), { instances: 1, threads: 1 }).model;
    assert.equal(m.meanMs(1), 0.78);
  });

  it('prefers an ok point over an unstable one at the same batch size, and the one with more requests among equals', () => {
    const r = servicePointsFromRun(run([point(1, 0.9, 'unstable', 5000), point(1, 0.7, 'ok', 100), point(1, 0.75, 'ok', 900)]), { instances: 1, threads: 1 });
    assert.deepEqual(r.points.map((p) => p.meanMs), [0.75]);
    assert.deepEqual(r.notes, []);
  });
});

describe('serving-path points', () => {
  const cal: ServingCalibration = {
    overheadMs: 0.07, serviceScale: 1.1, source: 'test',
    servingPath: {
      ...group,
      byBatch: { 1: { meanMs: 0.91, quantilesMs: [0.6, 0.9, 4], samples: 4000 } },
      ratioByBatch: { 1: 1.2, 8: 1.05 },
    },
  };

  it('uses the measured busy time for a batch size the sweep lacks, and scales the others by the nearest ratio', () => {
    const r = servingPathPoints([{ batch: 2, meanMs: 1.4 }, { batch: 8, meanMs: 6 }], cal, group);
    assert.equal(r.measured, true);
    assert.equal(r.overheadMs, 0);
    assert.deepEqual(r.points.map((p) => [p.batch, Number(p.meanMs.toFixed(4))]), [[1, 0.91], [2, 1.68], [8, 6.3]]);
  });

  it('without a matching serving path: the closed-loop points × the pooled scale, plus the overhead', () => {
    const r = servingPathPoints([{ batch: 1, meanMs: 1 }], cal, { ...group, instances: 2 });
    assert.equal(r.measured, false);
    assert.equal(r.overheadMs, 0.07);
    assert.equal(r.points[0].meanMs, 1.1);
  });
});
