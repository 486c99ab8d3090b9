// End to end: the real UI in Debian Chromium, served by the web host with the real engine on a
// temporary database and real models (mlp-tiny; ocr-cls uploaded through the page). Saves a
// screenshot of every view to docs/screenshots/. Short method windows keep it around a minute.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import type { ApiEvents, KneepointApi } from '../../main/common/api.ts';
import { startWebHost } from '../../main/web/server.ts';
import type { WebHost } from '../../main/web/server.ts';
import { MLP_TINY_WORKLOAD, QUICK_METHOD } from '../contract/apiSuite.ts';
import { connectWebHost } from '../contract/webHostClient.ts';
import { chromiumAvailable } from './chromium.ts';
import { dropFile, go as goPage, openUi, SCREENSHOTS_DIR as shots, shot as shotPage } from './pageHelpers.ts';
import type { PageGlobal } from './pageHelpers.ts';

const root = fileURLToPath(new URL('../../', import.meta.url));
const skip = chromiumAvailable() ? false : 'no Chromium at /usr/bin/chromium (apt-get install chromium)';

let dir: string;
let host: WebHost;
let browser: Browser;
let page: Page;
let client: KneepointApi & { close(): void };
const problems: string[] = [];
const runIds: string[] = [];
let planId = '';

async function sweepAndWait(spec: Parameters<KneepointApi['startSweep']>[0]): Promise<string> {
  let jobId = '';
  const done = new Promise<ApiEvents['job.finished']>((resolve) => { const off = client.on('job.finished', (e) => { if (e.jobId === jobId) { off(); resolve(e); } }); });
  const ref = await client.startSweep(spec);
  jobId = ref.jobId;
  const fin = await done;
  assert.equal(fin.status, 'completed', fin.error);
  return ref.runId;
}

const shot = (name: string) => shotPage(page, name);
const go = (hash: string) => goPage(page, hash);
const waitChartPoints = (testId: string, atLeast: number) => page.waitForFunction(([id, n]) =>
  Number((globalThis as PageGlobal).document.querySelector(`[data-testid=${id}]`)?.dataset.points ?? 0) >= Number(n), [testId, atLeast] as const, { timeout: 60_000 });

before(async () => {
  if (skip) return;
  const b = spawnSync(process.execPath, [join(root, 'scripts', 'build.mjs')], { stdio: 'inherit', env: { ...process.env, KNEEPOINT_QUIET: '1' } });
  assert.equal(b.status, 0, 'UI build');
  mkdirSync(shots, { recursive: true });
  dir = mkdtempSync(join(tmpdir(), 'kneepoint-e2e-'));
  host = await startWebHost({ dbPath: join(dir, 'kp.db'), dataDir: dir, log: () => {} });
  client = await connectWebHost(host.url);
  // two finished runs to open and compare
  runIds.push(await sweepAndWait({ model: 'mlp-tiny', batch: [1, 4, 16], instances: [1], method: QUICK_METHOD, name: 'mlp-tiny fp32' }));
  runIds.push(await sweepAndWait({ model: 'mlp-tiny', batch: [1, 4, 16], instances: [1], precision: ['int8'], method: QUICK_METHOD, name: 'mlp-tiny int8' }));
  // a stored plan for the Overview's recent plans
  planId = (await client.plan({ runId: runIds[0], workload: MLP_TINY_WORKLOAD }) as { planId: string }).planId;
  ({ browser, page } = await openUi(host.url, problems));
});

after(async () => {
  await browser?.close();
  client?.close();
  await host?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

test('a request without the token is refused (401)', { skip }, async () => {
  const res = await fetch(`http://127.0.0.1:${host.port}/`);
  assert.equal(res.status, 401);
  // the page itself got in: the token became an HttpOnly cookie and left the address bar
  assert.doesNotMatch(page.url(), /token=/);
  assert.equal(await page.evaluate(() => (globalThis as PageGlobal).document.cookie), '');
});

test('overview shows this machine and its providers', { skip }, async () => {
  await page.waitForSelector('text=This machine');
  await page.waitForSelector('text=Execution providers');
  assert.ok(await page.locator('.providers li').count() >= 1);
  await page.waitForSelector(`[data-testid=recent-plans] tr[data-plan="${planId}"]`);
  await shot('overview');
});

test('overview lists recent plans; a plan opens in the Plan view with its workload, run and result', { skip }, async () => {
  await page.click(`[data-testid=recent-plans] tr[data-plan="${planId}"] a`);
  await page.waitForSelector('[data-testid=stored-plan]');
  await page.waitForSelector('[data-testid=verdict-mode]');
  assert.match(await page.locator('[data-testid=workload-yaml]').inputValue(), /name: contract-mlp-tiny/);
  assert.equal(await page.locator('[data-testid=plan-run]').inputValue(), runIds[0]);
  assert.ok(await page.locator('[data-testid=plans-table] tbody tr').count() >= 1);
});

test('models: catalog with provenance and an inspection panel', { skip }, async () => {
  await go('#/models/mlp-tiny');
  await page.waitForSelector('text=Inspect:');
  assert.ok(await page.locator('[data-testid=models-table] tbody tr').count() >= 5);
});

test('models: import a real model by file upload; a dropped bad file shows the engine\'s error', { skip }, async () => {
  await page.setInputFiles('#model-file', join(root, 'models', 'real', 'ocr-cls.onnx'));
  await page.waitForSelector('[data-testid=import-status][data-state=added]', { timeout: 30_000 });
  const added = page.locator('[data-testid=models-table] tbody tr[data-model^="user-"]');
  assert.equal(await added.count(), 1);
  assert.match(await added.textContent() ?? '', /ocr-cls/);
  await page.waitForSelector('text=Inspect: ocr-cls');
  const stored = (await client.listModels()).find((m) => m.id.startsWith('user-'));
  assert.ok(stored && stored.path.startsWith(join(dir, 'models')), `written into the data dir: ${stored?.path}`);
  await shot('models');
  // random bytes dropped on the drop zone: the engine's actionable error stays on screen
  await dropFile(page, '.dropzone', 'junk.onnx', randomBytes(2048));
  await page.waitForSelector('[data-testid=import-status][data-state=error]');
  const error = await page.locator('[data-testid=import-status] [role=alert]').textContent();
  assert.match(error ?? '', /junk\.onnx is not a (valid|usable) ONNX model/);
  assert.doesNotMatch(error ?? '', new RegExp(dir.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')), 'the error names the picked file, not the copy');
  await shot('models-bad-file');
});

test('start a small sweep from the UI and see points appear on the chart', { skip }, async () => {
  await go('#/sweep?model=mlp-tiny');
  await page.waitForSelector('[data-testid=start-sweep]');
  await page.selectOption('#sweep-model', 'mlp-tiny');
  // batch 1, 2, 4, 8 are preselected; the estimate says how many points
  await page.waitForFunction(() => (globalThis as PageGlobal).document.querySelector('[data-testid=estimate]')?.textContent?.includes('4'));
  await page.click('[data-testid=start-sweep]');
  await waitChartPoints('sweep-chart', 1);
  await page.waitForSelector('[data-testid=progress-text][data-status=completed]', { timeout: 60_000 });
  assert.equal(await page.locator('[data-testid=sweep-chart]').getAttribute('data-points'), '4');
  await shot('sweep');
});

test('cancel a running sweep', { skip }, async () => {
  for (const b of ['16', '32', '64', '128', '256']) await page.check(`input[data-axis=batch][value="${b}"]`);
  await page.click('[data-testid=start-sweep]');
  await waitChartPoints('sweep-chart', 1);
  await page.click('[data-testid=cancel-sweep]');
  await page.waitForSelector('[data-testid=progress-text][data-status=cancelled]', { timeout: 60_000 });
  const points = Number(await page.locator('[data-testid=sweep-chart]').getAttribute('data-points'));
  assert.ok(points >= 1 && points < 9, `cancelled after ${points} of 9 points`);
});

test('a reload during a sweep re-attaches to it; its run detail follows it live and cancels it', { skip }, async () => {
  // the batch 1…256 selection of the previous test is still there
  await page.click('[data-testid=start-sweep]');
  await waitChartPoints('sweep-chart', 1);
  await page.reload();
  await page.waitForSelector('[data-testid=progress-text][data-attached=true]', { timeout: 30_000 });
  const [job] = await client.listJobs();
  assert.ok(job, 'the sweep is still running');
  assert.equal(await page.locator('[data-testid=cancel-sweep]').isEnabled(), true);
  assert.equal(await page.locator('[data-testid=start-sweep]').isEnabled(), false);
  const attached = Number(await page.locator('[data-testid=sweep-chart]').getAttribute('data-points'));
  assert.ok(attached >= 1, 'points measured before the reload are back on the chart');
  await waitChartPoints('sweep-chart', attached + 1); // and new ones keep arriving
  await shot('sweep-reattached');
  // the run detail of the running run: live progress, points, Cancel
  await go(`#/runs/${job.runId}`);
  await page.waitForSelector('[data-testid=live-run]');
  const shown = await page.locator('[data-testid=points-table] tbody tr').count();
  await page.waitForFunction((n) => (globalThis as PageGlobal).document.querySelectorAll('[data-testid=points-table] tbody tr').length > n, shown, { timeout: 60_000 });
  await shot('run-detail-live');
  await page.click('[data-testid=cancel-run]');
  // when the job finishes the view shows the stored run: no live card, status cancelled
  await page.waitForSelector('[data-testid=live-run]', { state: 'detached', timeout: 60_000 });
  await page.waitForSelector('.stat:has(.stat-label:text-is("status")) .stat-value:text-is("cancelled")');
  assert.deepEqual(await client.listJobs(), []);
});

test('runs: the history lists every run', { skip }, async () => {
  await go('#/runs');
  await page.waitForSelector('[data-testid=runs-table]');
  assert.ok(await page.locator('[data-testid=runs-table] tbody tr').count() >= 4);
  await shot('runs');
});

test('runs: rename, tag, filter, and delete with a confirm', { skip }, async () => {
  const row = () => page.locator(`[data-testid=runs-table] tr[data-run="${runIds[1]}"]`);
  await row().getByRole('button', { name: 'Rename' }).click();
  await page.getByLabel('name', { exact: true }).fill('int8 renamed');
  await page.getByRole('button', { name: 'Save' }).click();
  await page.waitForSelector('text=int8 renamed');
  await row().getByRole('button', { name: 'Tag' }).click();
  await page.getByLabel('comma-separated tags').fill('quantized, e2e');
  await page.getByRole('button', { name: 'Save' }).click();
  await page.waitForSelector('.tag:text("quantized")');
  await page.getByLabel('Filter runs').fill('quantized');
  assert.equal(await page.locator('[data-testid=runs-table] tbody tr').count(), 1);
  await page.getByLabel('Filter runs').fill('');
  const before = await page.locator('[data-testid=runs-table] tbody tr').count();
  const victim = page.locator('[data-testid=runs-table] tbody tr').filter({ hasText: 'cancelled' }).first();
  await victim.getByRole('button', { name: 'Delete' }).click();
  await page.click('[data-testid=confirm]');
  await page.waitForFunction((n) => (globalThis as PageGlobal).document.querySelectorAll('[data-testid=runs-table] tbody tr').length === n - 1, before);
  // its "Run deleted" toast goes away by itself after a few seconds (none is left for the next screenshots)
  await page.waitForSelector('[data-testid=toast]:has-text("Run deleted")');
  await page.waitForSelector('[data-testid=toast]', { state: 'detached', timeout: 10_000 });
});

test('open a run: chart, distribution and the table of points with n and CIs', { skip }, async () => {
  await page.click(`[data-testid=runs-table] a[href="#/runs/${runIds[0]}"]`);
  await page.waitForSelector('[data-testid=points-table]');
  assert.equal(await page.locator('[data-testid=points-table] tbody tr').count(), 3);
  assert.equal(await page.locator('[data-testid=run-chart]').getAttribute('data-points'), '3');
  await page.selectOption('[data-testid=percentile]', 'p50');
  await page.selectOption('[data-testid=percentile]', 'p99');
  await page.fill('input[aria-label="SLA in milliseconds"]', '0.05');
  await shot('run-detail');
  await page.click('.theme-toggle');
  await page.waitForSelector('[data-testid=points-table]');
  await shot('run-detail-dark');
  await page.click('.theme-toggle');
});

test('export from run detail: HTML, JSON and CSV downloads of the run', { skip }, async () => {
  await page.waitForSelector('[data-testid=points-table]');
  const download = async (format: string) => {
    await page.selectOption('select[aria-label="Export format"]', format);
    const [dl] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Export', exact: true }).click()]);
    return { name: dl.suggestedFilename(), text: readFileSync((await dl.path())!, 'utf8') };
  };
  const json = await download('json');
  assert.match(json.name, /\.json$/);
  assert.ok(json.text.includes(runIds[0]), 'the JSON document is of this run');
  JSON.parse(json.text);
  const csv = await download('csv');
  assert.match(csv.name, /\.csv$/);
  assert.equal(csv.text.trim().split('\n').length, 1 + 3, 'a header and one row per point');
  const html = await download('html');
  assert.match(html.name, /\.html$/);
  assert.match(html.text, /^<!doctype html>/i);
  assert.ok(html.text.includes('mlp-tiny'));
});

test('run detail: the per-operator breakdown of a run swept with profiling on', { skip }, async () => {
  const profiled = await sweepAndWait({ model: 'mlp-tiny', batch: [1, 8], instances: [1], method: QUICK_METHOD, sessionOptions: { profile: true }, name: 'mlp-tiny profiled' });
  await go(`#/runs/${profiled}`);
  await page.waitForSelector('text=top nodes');
  assert.ok(await page.locator('.card:has(h2:text-is("Per-operator breakdown")) tbody tr').count() >= 1);
  assert.equal(await page.locator('text=Not profiled').count(), 0);
  await page.locator('.card:has(h2:text-is("Per-operator breakdown"))').scrollIntoViewIfNeeded();
  await shot('run-detail-profile');
});

test('compare two runs: overlaid chart and a delta table', { skip }, async () => {
  await go(`#/compare?runs=${runIds.join(',')}`);
  await page.waitForSelector('[data-testid=delta-table]');
  assert.ok(await page.locator('[data-testid=delta-table] tbody tr').count() >= 3);
  assert.equal(await page.locator('[data-testid=compare-chart]').getAttribute('data-points'), '6');
  await shot('compare');
});

test('plan: verdict, then a what-if slider changes the cost', { skip }, async () => {
  await go(`#/plan?run=${runIds[0]}`);
  await page.waitForSelector('[data-testid=make-plan]');
  // the form and the YAML round-trip: plan the shipped workload's traffic with the model we measured
  await page.locator('input[data-field="model.id"]').fill('mlp-tiny');
  await page.locator('input[data-field="model.id"]').dispatchEvent('change');
  assert.match(await page.locator('[data-testid=workload-yaml]').inputValue(), /id: mlp-tiny/);
  await page.selectOption('[data-testid=plan-run]', runIds[0]);
  assert.equal(await page.locator('[data-testid=run-mismatch]').isHidden(), true);
  // the run picker lists runs of the workload's model first; others are grouped apart and warned about
  assert.ok(await page.locator('[data-testid=plan-run] optgroup[label="runs of mlp-tiny"] option').count() >= 2);
  await page.locator('input[data-field="model.id"]').fill('ocr-cls');
  await page.locator('input[data-field="model.id"]').dispatchEvent('change');
  assert.equal(await page.locator('[data-testid=plan-run] optgroup[label="no runs of ocr-cls yet"]').count(), 1);
  assert.ok(await page.locator('[data-testid=plan-run] optgroup[label="other models"] option').count() >= 2);
  assert.equal(await page.locator('[data-testid=run-mismatch]').isHidden(), false);
  await page.locator('input[data-field="model.id"]').fill('mlp-tiny');
  await page.locator('input[data-field="model.id"]').dispatchEvent('change');
  await page.selectOption('[data-testid=plan-run]', runIds[0]);
  assert.equal(await page.locator('[data-testid=run-mismatch]').isHidden(), true);
  await page.click('[data-testid=make-plan]');
  await page.waitForSelector('[data-testid=verdict]', { timeout: 60_000 });
  const verdict = await page.locator('[data-testid=verdict-mode]').textContent();
  assert.ok(verdict && verdict.length > 0);
  const before = await page.locator('[data-testid=verdict] .stats').textContent();
  await page.locator('input[data-slider=price]').fill(String(await page.locator('input[data-slider=price]').getAttribute('max')));
  await page.waitForFunction((b) => (globalThis as PageGlobal).document.querySelector('[data-testid=verdict] .stats')?.textContent !== b, before, { timeout: 30_000 });
  const afterText = await page.locator('[data-testid=verdict] .stats').textContent();
  assert.notEqual(afterText, before);
  await shot('plan');
});

test('no page errors or CSP violations', { skip }, () => {
  assert.deepEqual(problems, []);
});
