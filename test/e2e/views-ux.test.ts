// End to end in Debian Chromium with the real engine (two real mlp-tiny sweeps and stored plans):
// Run detail names the best configuration for a typed SLA (the `kneepoint best` rule), marks the
// knee and labels each point; Compare colours only significant deltas, says so in a summary line and
// tells same-model runs apart; the Overview puts what the user can do first, folds unavailable
// providers and lists every workload; the sweep form has the per-operator profile option.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { chromiumAvailable } from './chromium.ts';
import { go, openUi } from './pageHelpers.ts';
import { openView, startTour, tourViews, type Tour } from './uiTour.ts';

const root = fileURLToPath(new URL('../../', import.meta.url));
const skip = chromiumAvailable() ? false : 'no Chromium at /usr/bin/chromium (apt-get install chromium)';

let tour: Tour;
let browser: Browser;
let page: Page;
const problems: string[] = [];
const view = (name: string) => tourViews(tour).find((v) => v.name === name)!;

before(async () => {
  if (skip) return;
  const b = spawnSync(process.execPath, [join(root, 'scripts', 'build.mjs')], { stdio: 'inherit', env: { ...process.env, KNEEPOINT_QUIET: '1' } });
  assert.equal(b.status, 0, 'UI build');
  tour = await startTour();
  ({ browser, page } = await openUi(tour.host.url, problems));
});

after(async () => {
  await browser?.close();
  tour?.client.close();
  await tour?.host.close();
  if (tour) rmSync(tour.dir, { recursive: true, force: true });
});

test('run detail: the SLA box names the best configuration in a sentence with the top 3, and says why the rest fail', { skip }, async () => {
  await openView(page, view('run-detail'));
  const sla = page.locator('input[aria-label="SLA in milliseconds"]');
  await sla.fill('1000');
  const sentence = await page.locator('[data-testid=best-sentence]').textContent() ?? '';
  assert.match(sentence, /^batch \d+ .*: [\d.,]+ samples\/s at p99 [\d.]+ ms \[[\d.]+, [\d.]+\], the highest throughput under 1000 ms/, sentence);
  const top = await page.locator('[data-testid=best-top] li').count();
  assert.ok(top >= 1 && top <= 3, `top ${top}`);
  // the same answer as the engine's `best` (one shared rule)
  const best = await tour.client.bestConfig({ runId: tour.runIds[0], sla: 'p99:1000' });
  assert.equal(sentence, best.sentence);
  await sla.fill('0.00001');
  assert.match(await page.locator('[data-testid=best-sentence]').textContent() ?? '', /^No configuration in this run meets p99 ≤ 0\.00001 ms: the closest is/);
  await page.click('[data-testid=best-rejected] summary');
  assert.ok(await page.locator('[data-testid=best-rejected] li').count() >= 1, 'why the others fail');
  assert.match(await page.locator('.stat:has(.stat-label:text-is("point quality")) .stat-value').textContent() ?? '', /^\d+ failed, \d+ unstable$/);
});

test('run detail: each point labelled with batch × instances; the knee marked, or "no knee reached" with what to sweep next', { skip }, async () => {
  const chart = page.locator('[data-testid=run-chart]');
  assert.equal(await chart.getAttribute('data-tags'), await chart.getAttribute('data-points'), 'one label per point');
  const knee = await chart.getAttribute('data-knee') ?? '';
  const noKnee = await chart.getAttribute('data-no-knee') ?? '';
  assert.ok(knee || noKnee, 'every 3-point series is judged');
  if (knee) assert.match(knee, /b\d+×1/);
  const note = await page.locator('[data-testid=knee-note]').textContent() ?? '';
  if (noKnee) assert.match(note, /No knee reached .* sweep larger batch sizes or more instances next/);
  else assert.match(note, /Knee of .*: batch \d+/);
});

test('compare: summary line; deltas coloured only when significant, grey "within noise"/"unstable" otherwise; distinct run labels', { skip }, async () => {
  await openView(page, view('compare'));
  assert.match(await page.locator('[data-testid=compare-summary]').textContent() ?? '', /mlp-tiny int8 is [\d.]+× (faster|slower) at batch \d+ \(1 inst\), p99 [+−]?[\d.]+ %.*, \d of \d points significant\./);
  const cells = await page.locator('[data-testid=latency-delta]').evaluateAll((els) => els.map((e: any) => ({ cls: e.className, text: e.textContent, sig: e.closest('tr').dataset.significant })));
  assert.ok(cells.length >= 3);
  for (const c of cells) {
    if (c.sig === 'true') assert.match(c.cls, /better|worse/);
    else { assert.match(c.cls, /noise/); assert.match(c.text, /within noise|unstable|no interval/); }
  }
  const labels = await page.locator('[data-testid=run-chip]').allTextContents();
  assert.equal(new Set(labels).size, labels.length, `labels tell runs apart: ${labels.join(' | ')}`);
  for (const l of labels) assert.match(l, /mlp-tiny · .* · .* · batch 1–16 × inst 1 · (fp32|int8) · 3 points/);
});

test('overview: what to do first, available providers before the others (folded with reasons), every workload listed', { skip }, async () => {
  await openView(page, view('overview'));
  const titles = await page.locator('main .view > .card > h2, main .view > .grid > .card > h2').allTextContents();
  assert.equal(titles[0], 'Start here', titles.join(', '));
  for (const b of await page.locator('[data-testid=providers-available] .badge').allTextContents()) assert.equal(b, 'available');
  const info = await tour.client.getInfo();
  const off = info.providers.filter((p) => !p.available).length;
  if (off) assert.match(await page.locator('[data-testid=providers-unavailable] summary').textContent() ?? '', new RegExp(`^${off} not available`));
  assert.equal(await page.locator('[data-testid=workload-list] li').count(), (await tour.client.listWorkloads()).length);
});

test('sweep form: the per-operator profile option gives a run with a breakdown', { skip }, async () => {
  await go(page, '#/sweep?model=mlp-tiny');
  await page.waitForSelector('[data-testid=start-sweep]');
  for (const b of ['2', '4', '8']) await page.uncheck(`input[data-axis=batch][value="${b}"]`);
  await page.check('[data-testid=sweep-profile]');
  await page.click('[data-testid=start-sweep]');
  await page.waitForSelector('[data-testid=progress-text][data-status=completed]', { timeout: 60_000 });
  const runs = await tour.client.listRuns();
  const run = await tour.client.getRun({ runId: runs[0].id });
  assert.equal(run.points.length, 1);
  assert.ok(run.points[0].profile, 'the point carries a per-operator profile');
  await page.click('[data-testid=open-run]');
  await page.waitForSelector('text=top nodes');
});

test('no page errors or CSP violations', { skip }, () => {
  assert.deepEqual(problems, []);
});
