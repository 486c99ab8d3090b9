// `kneepoint gate` on real sweeps of shipped models and a real SQLite file: a heavier model in the
// same configurations fails the gate (exit 1), a re-measure of the same model passes (exit 0).
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { readFileSync } from 'node:fs';
import { json, runCli, tempDir } from '../helpers/cli.ts';

const dir = tempDir();
const db = join(dir, 'kp.db');
const withDb = (...args: string[]) => ['--db', db, ...args];
// short windows, anchor kept: each sweep re-measures its first point, the gate's A/A noise envelope.
// The gate judges p50 here: on this shared 2-core machine a re-measure's p99 can move 10× with the
// other processes' load (measured), which no interval of one run can foresee; the median cannot.
const GATE = ['--percentile', 'p50', '--max-regression', '50%'];
const sweepArgs = (model: string, batch = '1,8') => withDb('sweep', '--model', model, '--batch', batch, '--quick', '--json');

let base: any;
let again: any;
let heavier: any;
before(async () => {
  for (const [name, model] of [['base', 'mlp-small'], ['again', 'mlp-small'], ['heavier', 'mlp-large']] as const) {
    const r = await runCli(sweepArgs(model));
    assert.equal(r.code, 0, r.stderr);
    const s = json(r);
    if (name === 'base') base = s; else if (name === 'again') again = s; else heavier = s;
  }
});

test('a candidate 16× heavier per sample in the same configurations is a regression: exit 1, JUnit failure, Markdown', async () => {
  const junit = join(dir, 'gate.xml');
  const md = join(dir, 'gate.md');
  const r = await runCli(withDb('gate', '--baseline', base.runId, '--candidate', heavier.runId, ...GATE, '--junit', junit, '--markdown', md, '--json'));
  assert.equal(r.code, 1, r.stderr);
  const out = json(r);
  assert.equal(out.verdict, 'regression');
  assert.equal(out.comparisons.length, 2);
  assert.ok(out.comparisons.some((c: any) => c.status === 'regression'));
  for (const c of out.comparisons.filter((x: any) => x.status === 'regression')) {
    assert.ok(c.latency.changePct > 50 || c.throughput.changePct < -50, JSON.stringify(c));
  }
  assert.ok(out.notes.some((n: string) => /model file differs/.test(n)));
  assert.equal(typeof out.noiseEnvelopePct, 'number', 'both sweeps re-measured their anchor');
  const xml = readFileSync(junit, 'utf8');
  assert.match(xml, /<testsuite [^>]*tests="2"/);
  assert.match(xml, /<failure [^>]*type="performance-regression"/);
  const summary = readFileSync(md, 'utf8');
  assert.match(summary, /^## Kneepoint performance gate: ❌ regression/);
  assert.match(summary, /\| configuration +\| verdict/);
});

test('a re-measure of the same model and configurations passes (exit 0), from a run id or an exported JSON file', async () => {
  const r = await runCli(withDb('gate', '--baseline', base.runId, '--candidate', again.runId, ...GATE, '--json'));
  assert.equal(r.code, 0, r.stdout + r.stderr);
  const out = json(r);
  assert.equal(out.verdict, 'pass');
  assert.equal(out.comparisons.length, 2);
  assert.ok(out.comparisons.every((c: any) => c.status !== 'regression'));
  const file = join(dir, 'baseline.json');
  assert.equal((await runCli(withDb('export', base.runId, '--format', 'json', '--out', file))).code, 0);
  const fromFile = await runCli(withDb('gate', '--baseline', file, '--candidate', again.runId, ...GATE, '--json'));
  assert.equal(fromFile.code, 0, fromFile.stderr);
  assert.equal(json(fromFile).baseline.runId, base.runId);
  assert.equal(json(fromFile).baseline.source, 'baseline.json');
  // human output: the sentence and the table
  const human = await runCli(withDb('gate', '--baseline', file, '--candidate', again.runId, ...GATE));
  assert.equal(human.code, 0);
  assert.match(human.stdout, /^No significant regression beyond 50 % in 2 matched configuration\(s\)/);
});

test('configs in one run only are listed, not judged; --match narrows the matching', async () => {
  const partial = json(await runCli(sweepArgs('mlp-small', '1,4')));
  const r = json(await runCli(withDb('gate', '--baseline', base.runId, '--candidate', partial.runId, ...GATE, '--json')));
  assert.equal(r.comparisons.length, 1);
  assert.deepEqual(r.baselineOnly, ['batch 8 × 1 instance × 1 thread']);
  assert.deepEqual(r.candidateOnly, ['batch 4 × 1 instance × 1 thread']);
  const byInstances = json(await runCli(withDb('gate', '--baseline', base.runId, '--candidate', partial.runId, '--match', 'instances,threads', ...GATE, '--json')));
  assert.ok(byInstances.notes.some((n: string) => /matched on instances, threads only/.test(n)));
});

test('bad input exits 2 with the reason', async () => {
  const cases: Array<[string[], RegExp]> = [
    [['--baseline', join(dir, 'missing.json'), '--candidate', again.runId], /no such file/],
    [['--baseline', 'run_nope', '--candidate', again.runId], /run run_nope not found/],
    [['--baseline', base.runId, '--candidate', again.runId, '--max-regression', 'lots'], /--max-regression/],
    [['--baseline', base.runId, '--candidate', again.runId, '--percentile', 'p42'], /--percentile/],
    [['--baseline', base.runId, '--candidate', again.runId, '--match', 'colour'], /--match/],
  ];
  for (const [args, re] of cases) {
    const r = await runCli(withDb('gate', ...args));
    assert.equal(r.code, 2, `${args.join(' ')}: ${r.stderr}`);
    assert.match(r.stderr, re);
  }
});
