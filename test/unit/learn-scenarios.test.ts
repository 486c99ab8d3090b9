// The scenario data is consistent: every {figure} in a text is defined, every workload and
// measurement a step names exists, every glossary term resolves, every measurement has a
// recording, and walking a scenario from its recording fills every figure.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { SCENARIOS } from '../../main/common/learn/scenarios.ts';
import { GLOSSARY, findGlossaryEntry } from '../../main/common/learn/glossary.ts';
import { RECORDING_IDS, loadRecording } from '../../main/common/learn/recordings.ts';
import { buildWalkthrough, quantileGridMeanMs } from '../../main/common/learn/walkthrough.ts';
import type { FigureSpec, StepView } from '../../main/common/learn/types.ts';
import { ROOT } from '../helpers/cli.ts';

const workloadYaml = (id: string) => readFileSync(join(ROOT, 'workloads', `${id}.yaml`), 'utf8');

function namedIds(f: FigureSpec | StepView): { measurements: string[]; workloads: string[] } {
  const o = f as Record<string, unknown>;
  const measurements: string[] = [];
  const workloads: string[] = [];
  if (typeof o.measurement === 'string') measurements.push(o.measurement);
  if (typeof o.workload === 'string') workloads.push(o.workload);
  if (typeof o.slaOf === 'string') workloads.push(o.slaOf);
  if (Array.isArray(o.workloads)) workloads.push(...(o.workloads as string[]));
  if (Array.isArray(o.series)) measurements.push(...(o.series as Array<{ measurement: string }>).map((s) => s.measurement));
  const preset = o.preset as { measurement?: string } | undefined;
  if (preset?.measurement) measurements.push(preset.measurement);
  return { measurements, workloads };
}

for (const s of SCENARIOS) {
  test(`scenario ${s.id}: texts, figures, workloads, measurements and terms all resolve`, () => {
    const mIds = new Set(s.measurements.map((m) => m.id));
    const wKeys = new Set(s.workloads.map((w) => w.key));
    for (const w of s.workloads) assert.ok(mIds.has(w.measurement), `${w.key} uses unknown measurement ${w.measurement}`);
    for (const m of s.measurements) assert.ok(RECORDING_IDS.includes(m.id), `no recording for ${m.id}`);
    for (const step of s.steps) {
      const keys = new Set(step.figures.map((f) => f.key));
      for (const [, key] of step.text.matchAll(/\{(\w+)\}/g)) assert.ok(keys.has(key), `"${step.title}" uses {${key}} but defines no such figure`);
      for (const item of [...step.figures, step.view]) {
        const ids = namedIds(item);
        for (const m of ids.measurements) assert.ok(mIds.has(m), `"${step.title}" names unknown measurement ${m}`);
        for (const w of ids.workloads) assert.ok(wKeys.has(w), `"${step.title}" names unknown workload ${w}`);
      }
      for (const t of step.terms ?? []) assert.ok(findGlossaryEntry(t), `"${step.title}" links unknown glossary term ${t}`);
    }
  });

  test(`scenario ${s.id}: walks through from its recording with every figure filled`, () => {
    const runs = Object.fromEntries(s.measurements.map((m) => [m.id, loadRecording(m.id)]));
    const yaml = Object.fromEntries(s.workloads.map((w) => [w.workload, workloadYaml(w.workload)]));
    const w = buildWalkthrough(s, runs, yaml, 'recording');
    assert.equal(w.steps.length, s.steps.length);
    for (const step of w.steps) assert.doesNotMatch(step.text, /\{\w+\}/);
    assert.equal(w.verdicts.length, s.workloads.length);
  });
}

test('every recording is a labelled real sweep without histograms', () => {
  for (const id of RECORDING_IDS) {
    const r = loadRecording(id);
    assert.match(r.recording.machine, /cores/);
    assert.match(r.recording.command, /^kneepoint sweep --model /);
    assert.ok(r.points.length >= 2, id);
    for (const p of r.points) {
      assert.equal(p.histogram, undefined);
      assert.equal(p.quantilesMs?.length, 101);
    }
  }
});

test('the glossary has the terms the product uses, each with a unique id', () => {
  const ids = GLOSSARY.map((e) => e.id);
  assert.equal(new Set(ids).size, ids.length);
  for (const t of ['p99', 'throughput', 'utilization', "Little's law", 'coordinated omission', 'cold start', 'dynamic batching', 'SLA', 'goodput']) {
    assert.ok(findGlossaryEntry(t), t);
  }
});

test('the mean of a quantile grid is the mean of the linear interpolation between quantiles', () => {
  assert.equal(quantileGridMeanMs([0, 1]), 0.5);
  assert.equal(quantileGridMeanMs([1, 1, 1]), 1);
  assert.equal(quantileGridMeanMs([0, 0, 10]), 2.5);
});
