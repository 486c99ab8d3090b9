// The knee marked on the latency-vs-throughput chart, on real measured series
// (test/fixtures/curves): the point of most throughput per unit of latency; a sweep that stopped
// before it says "not reached".
import { it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import type { SweepRunResult } from '../../main/common/types.ts';
import { findKnee, pointTag } from '../../renderer/src/charts/knee.ts';

const load = (name: string) => JSON.parse(readFileSync(new URL(`../fixtures/curves/${name}.json`, import.meta.url), 'utf8')) as SweepRunResult;
const series = (r: SweepRunResult, instances: number) => r.points.filter((p) => p.config.instances === instances && p.config.threadsPerInstance === 1 && p.config.precision === 'fp32');

it('mlp-large (measured here): the knee is at batch 32 of 1–256, where throughput per ms of p99 peaks', () => {
  const s = series(load('real-mlp-large'), 1);
  assert.deepEqual(s.map((p) => p.config.batch).sort((a, b) => a - b), [1, 8, 32, 128, 256]);
  const v = findKnee(s, 'p99');
  assert.equal(v.kind, 'knee');
  assert.equal(v.kind === 'knee' && v.point.config.batch, 32);
  const power = (b: number) => { const p = s.find((x) => x.config.batch === b)!; return p.samplesPerSec / p.latencyMs.p99; };
  assert.ok(power(32) > power(8) && power(32) > power(128));
  assert.equal(v.kind === 'knee' && pointTag(v.point), 'b32×1');
});

it('the same model swept only up to batch 32 never reached the knee', () => {
  const v = findKnee(series(load('real-mlp-large'), 1).filter((p) => p.config.batch <= 32), 'p99');
  assert.equal(v.kind, 'not-reached');
  assert.equal(v.kind === 'not-reached' && v.last.config.batch, 32);
});

it('two points are too few to call a knee', () => {
  assert.equal(findKnee(series(load('real-mlp-large'), 1).slice(0, 2), 'p99').kind, 'too-few');
});
