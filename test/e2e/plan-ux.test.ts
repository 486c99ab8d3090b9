// End to end, the Plan view in Debian Chromium with the real engine: a plan on another model's run
// shows the engine's refusal (no verdict) until the model is mapped; the YAML the user typed is kept
// and its errors carry line and column; the peak/mean slider scales a daily profile; Export
// downloads the plan shown with the sliders' values; an infeasible workload lists levers with
// numbers, and the int8 lever measures int8 and plans again.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import type { Page } from 'playwright-core';
import type { KneepointApi } from '../../main/common/api.ts';
import { chromiumAvailable } from './chromium.ts';
import { go, startUiWithSweep } from './pageHelpers.ts';
import type { PageGlobal } from './pageHelpers.ts';

const skip = chromiumAvailable() ? false : 'no Chromium at /usr/bin/chromium (apt-get install chromium)';

let ui: Awaited<ReturnType<typeof startUiWithSweep>>;
let page: Page;
let client: KneepointApi & { close(): void };
let problems: string[] = [];
let runId = '';

const PROFILE = [0.3, 0.2, 0.2, 0.2, 0.3, 0.5, 0.8, 1.2, 1.5, 1.6, 1.6, 1.5, 1.4, 1.4, 1.5, 1.6, 1.7, 1.8, 1.6, 1.3, 1.0, 0.8, 0.5, 0.4];
const workloadYaml = (modelId: string, extra = '') => `# typed by hand: this comment and the order below must survive
name: ux-${modelId}
model:
  id: ${modelId}
traffic:
  meanRatePerSec: 40
  dailyProfile: [${PROFILE.join(', ')}]
sla: { percentile: 99, slaMs: 50 }
callers:
  synchronous: true
instances:
  - name: c7i.large
    pricePerHourUsd: 0.0893
    measuredHere: true
${extra}`;

async function typeYaml(text: string): Promise<void> {
  await page.locator('[data-testid=workload-yaml]').fill(text);
}
async function plan(): Promise<void> {
  await page.click('[data-testid=make-plan]');
  await page.waitForSelector('[data-testid=verdict], [data-testid=plan-error]', { timeout: 60_000 });
}
async function download(format: 'html' | 'json'): Promise<{ name: string; text: string }> {
  await page.locator('[data-testid=verdict] select[aria-label="Export format"]').selectOption(format);
  const [dl] = await Promise.all([page.waitForEvent('download', { timeout: 60_000 }), page.click('[data-testid=export-plan]')]);
  return { name: dl.suggestedFilename(), text: readFileSync((await dl.path())!, 'utf8') };
}

before(async () => {
  if (skip) return;
  ui = await startUiWithSweep('kneepoint-e2e-plan-', { model: 'mlp-tiny', batch: [1, 4], name: 'mlp-tiny fp32' });
  ({ page, client, problems, runId } = ui);
});

after(async () => { await ui?.close(); });

test('a plan on another model\'s run shows the engine\'s refusal and no verdict; mapped, it says so first and in the report title', { skip }, async () => {
  await go(page, `#/plan?run=${runId}`);
  await page.waitForSelector('[data-testid=make-plan]');
  await typeYaml(workloadYaml('mlp-small'));
  await page.selectOption('[data-testid=plan-run]', runId);
  assert.equal(await page.locator('[data-testid=run-mismatch]').isHidden(), false);
  await plan();
  assert.equal(await page.locator('[data-testid=verdict]').count(), 0, 'no verdict computed in the page');
  assert.match(await page.locator('[data-testid=plan-error]').textContent() ?? '', /measured mlp-tiny, but the workload runs mlp-small/);
  assert.equal((await client.listPlans()).length, 0, 'nothing stored');

  await page.check('[data-testid=map-model]');
  await plan();
  assert.match(await page.locator('[data-testid=verdict] .explanation li').first().textContent() ?? '', /^Mapped model: mlp-small is planned with the curves measured for mlp-tiny/);
  const html = await download('html');
  assert.match(/<title>([^<]*)<\/title>/.exec(html.text)?.[1] ?? '', /mlp-small \(mapped to mlp-tiny(&#39;|')s curves\)/);
});

test('the YAML as typed is kept (comments, order) and a syntax error names line and column', { skip }, async () => {
  const text = workloadYaml('mlp-tiny');
  await typeYaml(text);
  await page.locator('input[data-field="traffic.meanRatePerSec"]').waitFor();
  await plan();
  await page.waitForSelector('[data-testid=verdict]');
  assert.equal(await page.locator('[data-testid=workload-yaml]').inputValue(), text, 'planning leaves the text alone');
  // reopened from the Overview's recent plans, the stored plan shows the text it was planned from
  const [latest] = await client.listPlans();
  await go(page, `#/plan?plan=${latest.id}`);
  await page.waitForSelector('[data-testid=stored-plan]');
  assert.equal(await page.locator('[data-testid=workload-yaml]').inputValue(), text);
  // a form edit changes its field only: the comment and the order stay
  await page.locator('input[data-field="traffic.meanRatePerSec"]').fill('45');
  await page.locator('input[data-field="traffic.meanRatePerSec"]').dispatchEvent('change');
  const edited = await page.locator('[data-testid=workload-yaml]').inputValue();
  assert.match(edited, /^# typed by hand/);
  assert.ok(edited.indexOf('traffic:') < edited.indexOf('sla:'), 'traffic still before sla');
  assert.match(edited, /meanRatePerSec: 45/);
  await typeYaml('name: broken\nmodel:\n  id: [mlp-tiny\n');
  await page.waitForFunction(() => /line \d+, column \d+/.test((globalThis as PageGlobal).document.querySelector('[data-testid=workload-yaml]')?.parentElement?.textContent ?? ''));
});

test('peak/mean scales the daily profile, and Export downloads the plan shown with the sliders\' values', { skip }, async () => {
  await typeYaml(workloadYaml('mlp-tiny'));
  await plan();
  await page.waitForSelector('[data-testid=verdict]');
  const peak = page.locator('input[data-slider=peak]');
  assert.match(await page.locator('label.slider:has(input[data-slider=peak])').textContent() ?? '', /scales the daily profile/);
  const before = await page.locator('[data-testid=verdict] .stats').textContent();
  await peak.fill('8');
  await page.waitForFunction((b) => (globalThis as PageGlobal).document.querySelector('[data-testid=verdict] .stats')?.textContent !== b, before, { timeout: 30_000 });
  const json = await download('json');
  const doc = JSON.parse(json.text);
  const profile = (doc.plan?.workload ?? doc.workload)?.traffic?.dailyProfile as number[];
  assert.ok(Array.isArray(profile), `the exported plan has the profile: ${json.text.slice(0, 300)}`);
  const ratio = Math.max(...profile) / (profile.reduce((a, x) => a + x, 0) / 24);
  assert.ok(ratio > 3, `peak/mean of the exported profile follows the slider (×8), got ×${ratio.toFixed(2)}`);
  const html = await download('html');
  assert.match(/<title>([^<]*)<\/title>/.exec(html.text)?.[1] ?? '', /mlp-tiny/, 'the report is titled with the workload\'s model');
});

test('infeasible: nearest feasible SLA, levers with numbers (no "—/month", no double bullets), and the int8 lever runs the int8 sweep', { skip }, async () => {
  await typeYaml(workloadYaml('mlp-tiny').replace('slaMs: 50', 'slaMs: 0.001'));
  await plan();
  await page.waitForSelector('[data-testid=levers]');
  assert.equal(await page.locator('[data-testid=verdict-mode]').textContent(), 'Infeasible');
  assert.match(await page.locator('[data-testid=nearest-sla]').textContent() ?? '', /Nearest feasible SLA: p99 ≥|Nearest feasible SLA: p99 ≤/);
  const text = await page.locator('[data-testid=verdict]').textContent() ?? '';
  assert.doesNotMatch(text, /—\/month/);
  for (const li of await page.locator('[data-testid=verdict] .explanation li').allTextContents()) assert.doesNotMatch(li, /^\s*- /, li);
  assert.equal(await page.locator('[data-lever=smaller-batch]').filter({ hasText: 'already at batch 1' }).count(), 0, 'a fact is not a lever');
  await page.click('[data-testid=int8-sweep]');
  await page.waitForFunction((old) => (globalThis as PageGlobal).document.querySelector('[data-testid=plan-run]')?.value !== old
    && !!(globalThis as PageGlobal).document.querySelector('[data-testid=verdict]'), runId, { timeout: 120_000 });
  await page.waitForSelector('[data-testid=verdict] [data-lever=lower-precision]:has-text("int8 measured at")', { timeout: 60_000 });
});

test('no page errors or CSP violations', { skip }, () => {
  assert.deepEqual(problems, []);
});
