// The report's method page states the same definitions and thresholds as docs/methodology.md.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from '../helpers/cli.ts';
import { METHOD_DEFINITIONS } from '../../main/engine/report/methodDefinitions.ts';

const doc = readFileSync(join(ROOT, 'docs', 'methodology.md'), 'utf8');
const text = METHOD_DEFINITIONS.map((d) => d.text).join('\n');

test('the report and docs/methodology.md give the same percentile definition and sample minimums', () => {
  for (const phrase of ['x[ceil(n·X) − 1]', '662', '6636', 'nearest rank']) {
    assert.ok(doc.toLowerCase().includes(phrase.toLowerCase()), `docs/methodology.md lacks "${phrase}"`);
    assert.ok(text.toLowerCase().includes(phrase.toLowerCase()), `report definitions lack "${phrase}"`);
  }
});

test('the report and docs/methodology.md give the same warm-up, stability and throughput rules', () => {
  const pairs: Array<[RegExp, RegExp]> = [
    [/at least 10\s+runs/, /at least 10 runs/],
    [/less\s+than 5 %/, /less than 5 %/],
    [/≥ 1 s and ≥ 50 completions/, /≥ 1 s and ≥ 50 completions/],
    [/last 3\s+windows agree within 10 %/, /last 3 windows agree within 10 %/],
    [/completed samples \/ window wall time/, /Completed samples \/ window wall time/],
    [/368/, /368/],
  ];
  for (const [inDoc, inReport] of pairs) {
    assert.match(doc, inDoc);
    assert.match(text, inReport);
  }
});
