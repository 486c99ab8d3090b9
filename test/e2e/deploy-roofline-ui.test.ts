// End to end in Debian Chromium with the real engine: the Plan view's Export deployment downloads
// a validated Triton config.pbtxt carrying the plan's values, and says plainly when a target does
// not fit; Run detail measures this machine's roofs on request and draws the roofline.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Page } from 'playwright-core';
import { parse } from 'yaml';
import type { KneepointApi } from '../../main/common/api.ts';
import { parseTritonConfig } from '../../main/engine/deploy/tritonSchema.ts';
import { chromiumAvailable } from './chromium.ts';
import { go, startUiWithSweep } from './pageHelpers.ts';

const root = fileURLToPath(new URL('../../', import.meta.url));
const skip = chromiumAvailable() ? false : 'no Chromium at /usr/bin/chromium (apt-get install chromium)';

let ui: Awaited<ReturnType<typeof startUiWithSweep>>;
let page: Page;
let client: KneepointApi & { close(): void };
let problems: string[] = [];
let runId = '';
let planId = '';
let plan: any;

before(async () => {
  if (skip) return;
  ui = await startUiWithSweep('kneepoint-e2e-deploy-', { model: 'mlp-small', batch: [1, 8], name: 'mlp-small' });
  ({ page, client, problems, runId } = ui);
  plan = await client.plan({ runId, workload: parse(readFileSync(join(root, 'workloads', 'product-page-recs.yaml'), 'utf8')) });
  planId = plan.planId;
});

after(async () => { await ui?.close(); });

test('Export deployment downloads a Triton config.pbtxt with the plan\'s values, and names the right format when one does not fit', { skip }, async () => {
  await go(page, `#/plan?plan=${planId}`);
  await page.waitForSelector('[data-testid=export-deployment]', { timeout: 60_000 });
  await page.locator('[data-testid=deploy-format]').selectOption('triton');
  const [dl] = await Promise.all([page.waitForEvent('download', { timeout: 60_000 }), page.click('[data-testid=export-deployment]')]);
  assert.equal(dl.suggestedFilename(), 'config.pbtxt');
  const text = readFileSync((await dl.path())!, 'utf8');
  const cfg: any = parseTritonConfig(text);
  const c = plan.plans.find((p: any) => p.mode === plan.verdict).config;
  assert.equal(cfg.maxBatchSize, c.batch);
  assert.equal(cfg.instanceGroup[0].count, c.instances);
  assert.match(text, new RegExp(`plan ${planId}`));
  await page.waitForFunction(() => /validated/.test((globalThis as any).document.querySelector('[data-testid=deploy-status]')?.textContent ?? ''));
  assert.deepEqual(problems, []);
});

test('Run detail measures the machine\'s roofs on request and draws the roofline', { skip }, async () => {
  await go(page, `#/runs/${runId}`);
  await page.waitForSelector('[data-testid=measure-roofs]', { timeout: 60_000 });
  await page.click('[data-testid=measure-roofs]');
  await page.waitForFunction(() => /GFLOP\/s peak/.test((globalThis as any).document.querySelector('[data-testid=roofline]')?.textContent ?? ''), undefined, { timeout: 60_000 });
  assert.equal(await page.locator('[data-testid=roofline] canvas').count(), 1);
  const rows = await page.locator('[data-testid=roofline] tbody tr').count();
  assert.equal(rows, 2);
  assert.match(await page.locator('[data-testid=roofline] tbody').textContent() ?? '', /%/);
  assert.deepEqual(problems, []);
});
