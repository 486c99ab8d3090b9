// End to end, the Plan view in Debian Chromium with the real engine: a plan whose model has no
// validate run on this machine says it is not checked and offers "Check this prediction", which
// starts a real quick validate as an engine job with progress and a working Cancel.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
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

const workloadYaml = `name: check-mlp-tiny
model:
  id: mlp-tiny
traffic:
  meanRatePerSec: 40
  peakToMean: 2
sla: { percentile: 99, slaMs: 50 }
callers:
  synchronous: true
instances:
  - name: c7i.large
    pricePerHourUsd: 0.0893
    measuredHere: true
`;

before(async () => {
  if (skip) return;
  ui = await startUiWithSweep('kneepoint-e2e-check-', { model: 'mlp-tiny', batch: [1, 4], name: 'mlp-tiny fp32' });
  ({ page, client, problems, runId } = ui);
});

after(async () => { await ui?.close(); });

test('an unchecked plan says so and "Check this prediction" runs a validate job that can be cancelled', { skip }, async () => {
  await go(page, `#/plan?run=${runId}`);
  await page.waitForSelector('[data-testid=make-plan]');
  await page.locator('[data-testid=workload-yaml]').fill(workloadYaml);
  await page.click('[data-testid=make-plan]');
  await page.waitForSelector('[data-testid=verdict]', { timeout: 60_000 });
  const lines = await page.locator('[data-testid=verdict] .explanation li').allTextContents();
  assert.ok(lines.some((l) => /^Not checked on this machine: no validate run of mlp-tiny here.*kneepoint validate --model mlp-tiny --quick/.test(l)), lines.join('\n'));
  const button = page.locator('[data-testid=check-prediction]');
  assert.match(await button.textContent() ?? '', /Check this prediction \(quick validate, about \d+ s\)/);
  await button.click();
  await page.waitForFunction(() => /Validating mlp-tiny: /.test((globalThis as PageGlobal).document.querySelector('[data-testid=check-status]')?.textContent ?? ''), undefined, { timeout: 60_000 });
  const jobs = await client.listJobs();
  assert.equal(jobs.length, 1);
  assert.equal(jobs[0].kind, 'validate');
  await page.getByRole('button', { name: 'Cancel' }).click();
  await page.waitForFunction(() => /The validate run ended cancelled/.test((globalThis as PageGlobal).document.querySelector('[data-testid=check-status]')?.textContent ?? ''), undefined, { timeout: 60_000 });
  const run = (await client.listRuns({ kind: 'validate' }))[0];
  assert.equal(run.status, 'cancelled');
  assert.deepEqual(problems, [], 'no console errors or failed requests');
});
