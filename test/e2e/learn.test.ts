// End to end: the Learn view in Debian Chromium against the web host with the real engine.
// Walks every scenario from its bundled recording (keyboard navigation), runs one small scenario
// for real through the API, moves the live queue's controls and checks its counters move, opens
// the glossary from a link, and presenter mode. Screenshots: docs/screenshots/learn-*.png.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { startWebHost } from '../../main/web/server.ts';
import type { WebHost } from '../../main/web/server.ts';
import { SCENARIOS } from '../../main/common/learn/scenarios.ts';
import { chromiumAvailable } from './chromium.ts';
import { openUi } from './pageHelpers.ts';

const root = fileURLToPath(new URL('../../', import.meta.url));
const shots = join(root, 'docs', 'screenshots');
const skip = chromiumAvailable() ? false : 'no Chromium at /usr/bin/chromium (apt-get install chromium)';

// Page-side functions reach the page through an untyped globalThis (this file has no DOM lib).
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type PageGlobal = any;

let dir: string;
let host: WebHost;
let browser: Browser;
let page: Page;
const problems: string[] = [];

const go = async (hash: string) => {
  await page.evaluate((h) => { (globalThis as PageGlobal).location.hash = h; }, hash);
  await page.waitForFunction((h) => (globalThis as PageGlobal).location.hash.startsWith(h.split('?')[0]), hash);
};
const shot = async (name: string, fullPage = true) => {
  await page.evaluate(() => { const g = globalThis as PageGlobal; g.scrollTo(0, 0); g.document.getElementById('toasts')?.replaceChildren(); g.document.activeElement?.blur?.(); });
  await page.screenshot({ path: join(shots, `${name}.png`), fullPage });
};
const text = (sel: string) => page.locator(sel).first().innerText();
/** Sets a range input's value and fires `input`, as a drag would. */
const setRange = (control: string, value: number | 'max' | 'frac') => page.evaluate(([c, v]) => {
  const el = (globalThis as PageGlobal).document.querySelector(`input[data-control=${c}]`);
  const target = v === 'max' ? Number(el.max) : Number(v);
  el.value = String(target);
  el.dispatchEvent(new (globalThis as PageGlobal).Event('input', { bubbles: true }));
}, [control, value] as const);

before(async () => {
  if (skip) return;
  const b = spawnSync(process.execPath, [join(root, 'scripts', 'build.mjs')], { stdio: 'inherit', env: { ...process.env, KNEEPOINT_QUIET: '1' } });
  assert.equal(b.status, 0, 'UI build');
  mkdirSync(shots, { recursive: true });
  dir = mkdtempSync(join(tmpdir(), 'kneepoint-e2e-learn-'));
  host = await startWebHost({ dbPath: join(dir, 'kp.db'), dataDir: dir, log: () => {} });
  ({ browser, page } = await openUi(host.url, problems));
});

after(async () => {
  await browser?.close();
  await host?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

test('the Learn index lists every scenario, the live queue and the glossary', { skip }, async () => {
  await go('#/learn');
  await page.waitForSelector('[data-testid=learn-index]');
  for (const s of SCENARIOS) assert.equal(await page.locator(`[data-testid=learn-open-${s.id}]`).count(), 1, s.id);
  await shot('learn-index');
});

for (const s of SCENARIOS) {
  test(`scenario ${s.id}: every step from the recording, with the keyboard`, { skip }, async () => {
    await go(`#/learn/${s.id}`);
    await page.waitForSelector(`[data-testid=learn-walkthrough][data-scenario="${s.id}"][data-step="1"]`);
    assert.equal(await page.locator('[data-testid=learn-walkthrough]').getAttribute('data-source'), 'recording');
    for (const [i, step] of s.steps.entries()) {
      await page.waitForSelector(`[data-testid=learn-walkthrough][data-step="${i + 1}"]`);
      assert.equal(await text('[data-testid=learn-step-title]'), step.title);
      const body = await text('[data-testid=learn-text]');
      assert.doesNotMatch(body, /\{\w+\}/, `unfilled figure in ${s.id} step ${i + 1}`);
      if (step.view.kind === 'verdicts') {
        assert.equal(await page.locator('[data-testid=learn-verdicts] [data-verdict]').count(), step.view.workloads.length);
        await shot(`learn-${s.id}`);
      }
      if (step.view.kind === 'curve') {
        await page.waitForFunction(() => Number((globalThis as PageGlobal).document.querySelector('[data-testid=learn-curve]')?.dataset.points ?? 0) >= 2);
      }
      if (step.view.kind === 'queue') {
        await page.waitForSelector('[data-testid=queue-canvas]');
        if (s.id === 'voice-assistant') {
          await page.waitForTimeout(4000);
          await shot('learn-voice-assistant-queue');
        }
        const before = await text('[data-testid=queue-sim-p99]');
        await setRange('batch', 0); // max batch 1
        await page.waitForFunction((b) => (globalThis as PageGlobal).document.querySelector('[data-testid=queue-sim-p99]')?.textContent !== b, before);
      }
      if (i < s.steps.length - 1) {
        await page.locator('[data-testid=learn-step-title]').click(); // focus off any slider so arrows move steps
        await page.keyboard.press('ArrowRight');
      }
    }
    await page.keyboard.press('ArrowLeft');
    await page.waitForSelector(`[data-testid=learn-walkthrough][data-step="${s.steps.length - 1}"]`);
  });
}

test('restaurant: "Run it for real" measures mlp-small through the API and re-plans', { skip }, async () => {
  await go('#/learn/restaurant');
  await page.waitForSelector('[data-testid=learn-walkthrough][data-scenario="restaurant"]');
  await page.locator('.learn-dot').nth(1).click();
  await page.waitForSelector('[data-testid=learn-run-real]');
  await page.click('[data-testid=learn-run-real]');
  await page.waitForSelector('[data-testid=learn-walkthrough][data-source="measured"]', { timeout: 90_000 });
  assert.match(await text('[data-testid=learn-run-status]'), /Done/);
  assert.match(await text('.learn-source-line'), /Measured just now/);
  await shot('learn-run-real');
  await page.keyboard.press('End');
  await page.waitForSelector('[data-testid=learn-verdicts] [data-verdict]');
  // one verdict per workload, planned from this machine's curves (which mode depends on the machine)
  assert.equal(await page.locator('[data-testid=learn-verdicts] [data-verdict]').count(), 2);
  assert.equal(await page.locator('[data-testid=learn-walkthrough]').getAttribute('data-source'), 'measured');
  // the index and a later visit show this machine's figures, not the stale recording state
  await go('#/learn');
  await page.waitForSelector('[data-testid=learn-index]');
  assert.match(await text('[data-testid=learn-state-restaurant]'), /^measured here · /);
  assert.match(await text('[data-testid=learn-state-large-scans]'), /bundled recording/);
  await go('#/learn/restaurant');
  await page.waitForSelector('[data-testid=learn-walkthrough][data-scenario="restaurant"][data-source="measured"]');
  assert.match(await text('.learn-source-line'), /Measured here on /);
});

test('the live queue: counters run, and move when the controls move', { skip }, async () => {
  await go('#/learn/queue');
  await page.waitForSelector('[data-testid=queue-canvas]');
  await page.waitForFunction(() => Number(((globalThis as PageGlobal).document.querySelector('[data-testid=queue-live-completed]')?.textContent ?? '0').replace(/,/g, '')) > 10, undefined, { timeout: 20_000 });
  await page.waitForFunction(() => Number((globalThis as PageGlobal).document.querySelector('[data-testid=knee-chart]')?.dataset.points ?? 0) > 5);
  const simBefore = await text('[data-testid=queue-sim-p99]');
  await setRange('rate', 'max'); // past the stability bound
  await page.waitForFunction((b) => (globalThis as PageGlobal).document.querySelector('[data-testid=queue-sim-p99]')?.textContent !== b, simBefore);
  assert.match(await text('[data-testid=queue-sim-p99]'), /saturated/);
  await setRange('rate', 0); // clamps to 1 % of capacity
  await setRange('cv', 2);
  await setRange('instances', 2);
  await setRange('delay', 6);
  await setRange('batch', 3); // max batch 8
  await page.waitForFunction(() => Number(((globalThis as PageGlobal).document.querySelector('[data-testid=queue-live-completed]')?.textContent ?? '0').replace(/,/g, '')) > 5, undefined, { timeout: 20_000 });
  assert.doesNotMatch(await text('[data-testid=queue-sim-p99]'), /saturated/);
  await setRange('rate', 520); // 2 instances of the 8 ms + 2 ms × m kitchen (≈ 670 req/s at batch 8): busy, near the knee
  await setRange('speed', 45);
  await page.waitForTimeout(6000);
  await shot('learn-queue');
  // at small widths the lane titles are shortened, never drawn over each other
  for (const width of [1024, 800]) {
    await page.setViewportSize({ width, height: 800 });
    await page.waitForFunction((w) => Number((globalThis as PageGlobal).document.querySelector('[data-testid=queue-canvas]')?.clientWidth) < w, width);
    await page.waitForTimeout(300);
    const boxes = JSON.parse(await page.locator('[data-testid=queue-canvas]').getAttribute('data-title-boxes') ?? '[]') as Array<[number, number]>;
    assert.equal(boxes.length, 3);
    for (let i = 1; i < boxes.length; i++) assert.ok(boxes[i - 1][1] <= boxes[i][0], `at ${width} px title ${i} [${boxes[i - 1]}] ends before title ${i + 1} [${boxes[i]}] starts`);
  }
  await page.setViewportSize({ width: 1360, height: 900 });
});

test('glossary: every term has an anchor, and links from the walkthrough land on it', { skip }, async () => {
  await go('#/learn/glossary');
  await page.waitForSelector('[data-testid=glossary]');
  for (const id of ['latency-percentiles', 'throughput', 'utilization', 'littles-law', 'coordinated-omission', 'cold-start', 'dynamic-batching', 'sla', 'goodput']) {
    assert.equal(await page.locator(`#glossary-${id}`).count(), 1, id);
  }
  await go('#/learn/voice-assistant?step=3');
  await page.waitForSelector('[data-testid=learn-walkthrough][data-step="3"]');
  await page.locator('.learn-terms a.glossary-link[data-term="dynamic-batching"]').click();
  await page.waitForSelector('#glossary-dynamic-batching.highlight');
  await shot('learn-glossary', false);
});

test('presenter mode: no navigation, large type, keyboard to move and Esc to leave', { skip }, async () => {
  await go('#/learn/int8?step=3&present=1');
  await page.waitForSelector('[data-testid=learn-walkthrough][data-scenario="int8"][data-step="3"]');
  assert.equal(await page.evaluate(() => (globalThis as PageGlobal).document.body.classList.contains('presenter')), true);
  assert.equal(await page.locator('nav.sidebar').isVisible(), false);
  await page.waitForFunction(() => Number((globalThis as PageGlobal).document.querySelector('[data-testid=learn-curve]')?.dataset.points ?? 0) >= 2);
  await shot('learn-presenter', false);
  await page.keyboard.press('ArrowRight');
  await page.waitForSelector('[data-testid=learn-walkthrough][data-step="4"]');
  await page.keyboard.press('Escape');
  assert.equal(await page.evaluate(() => (globalThis as PageGlobal).document.body.classList.contains('presenter')), false);
  assert.equal(await page.locator('nav.sidebar').isVisible(), true);
});

test('no page errors while learning', { skip }, () => {
  assert.deepEqual(problems, []);
});
