// The report's method page and docs/methodology.md state the figures the code uses, and those
// figures are the statistical results they claim: each number is read out of the sentence that
// states it and compared with the value computed here (binomial rule, CI existence, method defaults).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from '../helpers/cli.ts';
import { METHOD_DEFINITIONS } from '../../main/engine/report/methodDefinitions.ts';
import { minSamplesForPercentile, percentileCiRanks } from '../../main/common/stats/percentileCi.ts';
import { MIN_SAMPLES_P99, MIN_SAMPLES_P999 } from '../../main/common/stats/thresholds.ts';
import { methodSchema } from '../../main/common/schemas.ts';

const doc = readFileSync(join(ROOT, 'docs', 'methodology.md'), 'utf8').replace(/\s+/g, ' ').replace(/\*\*/g, '');
const report = METHOD_DEFINITIONS.map((d) => d.text).join('\n').replace(/\s+/g, ' ');
const defaults = methodSchema.parse({});

/** the number captured by `re` in `text` (the first group) */
function figure(text: string, re: RegExp, where: string): number {
  const m = re.exec(text);
  assert.ok(m, `${where}: no sentence matches ${re}`);
  return Number(m[1]);
}

/** fewest samples for which a 95 % distribution-free interval of p exists, found by search (not by the formula under test) */
function ciExistsFrom(p: number): number {
  let n = 1;
  while (!percentileCiRanks(n, p)) n++;
  return n;
}

test('sample minimums: the binomial rule gives 662 / 6636 and the constants, the report and the docs say those', () => {
  const p99 = minSamplesForPercentile(0.99, 0.99, 1);
  const p999 = minSamplesForPercentile(0.999, 0.99, 1);
  // independent check of the rule at n: P(Binomial(n, 0.01) ≤ 1) < 0.01, and not at n − 1
  const tail = (n: number, q: number) => (1 - q) ** n + n * q * (1 - q) ** (n - 1);
  assert.ok(tail(p99, 0.01) < 0.01 && tail(p99 - 1, 0.01) >= 0.01);
  assert.ok(tail(p999, 0.001) < 0.01 && tail(p999 - 1, 0.001) >= 0.01);
  assert.equal(MIN_SAMPLES_P99, p99);
  assert.equal(MIN_SAMPLES_P999, p999);
  assert.equal(defaults.minSamplesForP99, p99, 'the measurement stops on the same minimum');
  for (const [where, text] of [['report', report], ['docs', doc]] as const) {
    assert.equal(figure(text, /p99 needs (\d+) samples/, where), p99);
    assert.equal(figure(text, /p99\.9 needs (\d+)/, where), p999);
  }
  assert.equal(figure(doc, /with no miss: (\d+) and \d+/, 'docs'), minSamplesForPercentile(0.99, 0.99, 0));
  assert.equal(figure(doc, /with no miss: \d+ and (\d+)/, 'docs'), minSamplesForPercentile(0.999, 0.99, 0));
});

test('the p99 interval exists from the sample count the report and the docs state', () => {
  const from = ciExistsFrom(0.99);
  assert.equal(percentileCiRanks(from - 1, 0.99), null);
  assert.equal(figure(report, /below (\d+) samples\)/, 'report'), from);
  assert.equal(figure(doc, /p99 at 95 %: n < (\d+)/, 'docs'), from);
});

test('warm-up, windows and stability: the stated figures are the method defaults', () => {
  assert.equal(figure(report, /at least (\d+) runs/, 'report'), defaults.warmupMinRuns);
  assert.equal(figure(report, /by less than (\d+) %/, 'report'), defaults.warmupTolerancePct);
  for (const [where, text] of [['report', report], ['docs', doc]] as const) {
    assert.equal(figure(text, /≥ (\d+) s and ≥ \d+ completions/, where) * 1000, defaults.windowMinMs);
    assert.equal(figure(text, /≥ \d+ s and ≥ (\d+) completions/, where), defaults.windowMinRequests);
    assert.equal(figure(text, /last (\d+) windows agree within \d+ %/, where), defaults.stableWindows);
    assert.equal(figure(text, /last \d+ windows agree within (\d+) %/, where), defaults.stabilityTolerancePct);
  }
});

test('the percentile definition is stated the same way in both', () => {
  for (const text of [report, doc]) {
    assert.match(text, /x\[ceil\(n·X\) − 1\]/);
    assert.match(text, /[Nn]earest rank/);
    assert.match(text, /[Cc]ompleted samples \/ window wall time/);
  }
});
