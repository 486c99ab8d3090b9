// Page helpers shared by the end-to-end files: hash navigation and screenshots without toasts.
// Page-side functions (strings would need 'unsafe-eval', which our CSP rightly refuses) reach the
// page through an untyped globalThis: these files are type-checked without the DOM lib.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import type { ApiEvents, KneepointApi } from '../../main/common/api.ts';
import { startWebHost, type WebHost } from '../../main/web/server.ts';
import { QUICK_METHOD } from '../contract/apiSuite.ts';
import { connectWebHost } from '../contract/webHostClient.ts';
import { launchChromium } from './chromium.ts';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type PageGlobal = any;

export const SCREENSHOTS_DIR = join(fileURLToPath(new URL('../../', import.meta.url)), 'docs', 'screenshots');

/** Sets location.hash and waits until the router saw it. */
export async function go(page: Page, hash: string): Promise<void> {
  await page.evaluate((h) => { (globalThis as PageGlobal).location.hash = h; }, hash);
  await page.waitForFunction((h) => (globalThis as PageGlobal).location.hash === h, hash);
}

/** Screenshot of the whole page into docs/screenshots/NAME.png, without transient toasts (dismissed first). */
export async function shot(page: Page, name: string): Promise<void> {
  // always the first one: `.all()` would hand out nth=N locators that point nowhere once one toast has gone
  const first = page.locator('[data-testid=toast] .toast-close').first();
  while (await first.count() > 0) await first.click({ timeout: 2000 }).catch(() => { /* it left by itself */ });
  await page.waitForFunction(() => (globalThis as PageGlobal).document.getElementById('toasts')?.childElementCount === 0);
  await page.evaluate(() => (globalThis as PageGlobal).scrollTo(0, 0));
  await page.screenshot({ path: join(SCREENSHOTS_DIR, `${name}.png`), fullPage: true });
}

/** Drops a file with these bytes on the element matching `selector` (a real DataTransfer drop event). */
export async function dropFile(page: Page, selector: string, fileName: string, bytes: Uint8Array, type = 'application/octet-stream'): Promise<void> {
  const dt = await page.evaluateHandle(([name, data, mime]) => {
    const g = globalThis as PageGlobal;
    const d = new g.DataTransfer();
    d.items.add(new g.File([new g.Uint8Array(data)], name, { type: mime }));
    return d;
  }, [fileName, [...bytes], type] as const);
  await page.dispatchEvent(selector, 'drop', { dataTransfer: dt });
}

/** Launches Chromium, opens the UI at `url` (1360×900, light), collects page errors and console errors
 * into `problems`, and waits for the Overview. */
export async function openUi(url: string, problems: string[]): Promise<{ browser: Browser; page: Page }> {
  const browser = await launchChromium();
  // a context of its own (not browser.newPage): @axe-core/playwright needs one to inject into
  const context = await browser.newContext({ viewport: { width: 1360, height: 900 }, colorScheme: 'light' });
  const page = await context.newPage();
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  page.on('console', (m) => { if (m.type() === 'error') problems.push(`console: ${m.text()}`); });
  await page.goto(url);
  await page.waitForSelector('main[data-view="overview"]');
  return { browser, page };
}

/**
 * The set-up the Plan-view suites share: the UI built, a real web host on a temporary database,
 * an API client, one quick sweep of `model` stored, and Chromium on the UI. `close()` undoes it.
 */
export async function startUiWithSweep(prefix: string, sweep: { model: string; batch: number[]; name: string }): Promise<{
  dir: string; host: WebHost; client: KneepointApi & { close(): void }; browser: Browser; page: Page; problems: string[]; runId: string; close(): Promise<void>;
}> {
  const root = fileURLToPath(new URL('../../', import.meta.url));
  const b = spawnSync(process.execPath, [join(root, 'scripts', 'build.mjs')], { stdio: 'inherit', env: { ...process.env, KNEEPOINT_QUIET: '1' } });
  assert.equal(b.status, 0, 'UI build');
  const dir = mkdtempSync(join(tmpdir(), prefix));
  const host = await startWebHost({ dbPath: join(dir, 'kp.db'), dataDir: dir, log: () => {} });
  const client = await connectWebHost(host.url);
  let jobId = '';
  const done = new Promise<ApiEvents['job.finished']>((resolve) => { const off = client.on('job.finished', (e) => { if (e.jobId === jobId) { off(); resolve(e); } }); });
  const ref = await client.startSweep({ model: sweep.model, batch: sweep.batch, instances: [1], method: QUICK_METHOD, name: sweep.name });
  jobId = ref.jobId;
  assert.equal((await done).status, 'completed');
  const problems: string[] = [];
  const { browser, page } = await openUi(host.url, problems);
  return {
    dir, host, client, browser, page, problems, runId: ref.runId,
    async close() {
      await browser.close();
      client.close();
      await host.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
