// End to end: the real UI in Debian Chromium, served by the web host with the real engine on a
// temporary database and a real model (mlp-tiny). Saves a screenshot of every view to
// docs/screenshots/. Short method windows keep it around a minute.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import type { ApiEvents, KneepointApi } from '../../main/common/api.ts';
import { startWebHost } from '../../main/web/server.ts';
import type { WebHost } from '../../main/web/server.ts';
import { QUICK_METHOD } from '../contract/apiSuite.ts';
import { connectWebHost } from '../contract/webHostClient.ts';
import { chromiumAvailable, launchChromium } from './chromium.ts';

const root = fileURLToPath(new URL('../../', import.meta.url));
const shots = join(root, 'docs', 'screenshots');
const skip = chromiumAvailable() ? false : 'no Chromium at /usr/bin/chromium (apt-get install chromium)';

let dir: string;
let host: WebHost;
let browser: Browser;
let page: Page;
let client: KneepointApi & { close(): void };
const problems: string[] = [];
const runIds: string[] = [];

async function sweepAndWait(spec: Parameters<KneepointApi['startSweep']>[0]): Promise<string> {
  let jobId = '';
  const done = new Promise<ApiEvents['job.finished']>((resolve) => { const off = client.on('job.finished', (e) => { if (e.jobId === jobId) { off(); resolve(e); } }); });
  const ref = await client.startSweep(spec);
  jobId = ref.jobId;
  const fin = await done;
  assert.equal(fin.status, 'completed', fin.error);
  return ref.runId;
}

const shot = async (name: string) => { await page.evaluate(() => { const g = globalThis as PageGlobal; g.scrollTo(0, 0); g.document.getElementById('toasts')?.replaceChildren(); }); await page.screenshot({ path: join(shots, `${name}.png`), fullPage: true }); };
// Page-side functions (strings would need 'unsafe-eval', which our CSP rightly refuses). This file
// is type-checked without the DOM lib, so they reach the page through an untyped globalThis.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type PageGlobal = any;
const go = async (hash: string) => {
  await page.evaluate((h) => { (globalThis as PageGlobal).location.hash = h; }, hash);
  await page.waitForFunction((h) => (globalThis as PageGlobal).location.hash === h, hash);
};
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
  browser = await launchChromium();
  page = await browser.newPage({ viewport: { width: 1360, height: 900 }, colorScheme: 'light' });
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  page.on('console', (m) => { if (m.type() === 'error') problems.push(`console: ${m.text()}`); });
  await page.goto(host.url);
  await page.waitForSelector('main[data-view="overview"]');
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
  await shot('overview');
});

test('models: catalog with provenance and an inspection panel', { skip }, async () => {
  await go('#/models/mlp-tiny');
  await page.waitForSelector('text=Inspect:');
  assert.ok(await page.locator('[data-testid=models-table] tbody tr').count() >= 5);
  await shot('models');
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
