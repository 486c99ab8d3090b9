// End to end in Debian Chromium with the real engine: the Plan view's Export deployment downloads
// a validated Triton config.pbtxt carrying the plan's values, and says plainly when a target does
// not fit; Run detail measures this machine's roofs on request and draws the roofline.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { parse } from 'yaml';
import type { ApiEvents, KneepointApi } from '../../main/common/api.ts';
import { startWebHost } from '../../main/web/server.ts';
import type { WebHost } from '../../main/web/server.ts';
import { QUICK_METHOD } from '../contract/apiSuite.ts';
import { connectWebHost } from '../contract/webHostClient.ts';
import { parseTritonConfig } from '../../main/engine/deploy/tritonSchema.ts';
import { chromiumAvailable } from './chromium.ts';
import { go, openUi } from './pageHelpers.ts';

const root = fileURLToPath(new URL('../../', import.meta.url));
const skip = chromiumAvailable() ? false : 'no Chromium at /usr/bin/chromium (apt-get install chromium)';

let dir: string;
let host: WebHost;
let browser: Browser;
let page: Page;
let client: KneepointApi & { close(): void };
const problems: string[] = [];
let runId = '';
let planId = '';
let plan: any;

before(async () => {
  if (skip) return;
  const b = spawnSync(process.execPath, [join(root, 'scripts', 'build.mjs')], { stdio: 'inherit', env: { ...process.env, KNEEPOINT_QUIET: '1' } });
  assert.equal(b.status, 0, 'UI build');
  dir = mkdtempSync(join(tmpdir(), 'kneepoint-e2e-deploy-'));
  host = await startWebHost({ dbPath: join(dir, 'kp.db'), dataDir: dir, log: () => {} });
  client = await connectWebHost(host.url);
  let jobId = '';
  const done = new Promise<ApiEvents['job.finished']>((resolve) => { const off = client.on('job.finished', (e) => { if (e.jobId === jobId) { off(); resolve(e); } }); });
  const ref = await client.startSweep({ model: 'mlp-small', batch: [1, 8], instances: [1], method: QUICK_METHOD, name: 'mlp-small' });
  jobId = ref.jobId;
  assert.equal((await done).status, 'completed');
  runId = ref.runId;
  plan = await client.plan({ runId, workload: parse(readFileSync(join(root, 'workloads', 'product-page-recs.yaml'), 'utf8')) });
  planId = plan.planId;
  ({ browser, page } = await openUi(host.url, problems));
});

after(async () => {
  await browser?.close();
  client?.close();
  await host?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

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
