// End to end, the Plan view in Debian Chromium with the real engine: a plan whose model has no
// validate run on this machine says it is not checked and offers "Check this prediction", which
// starts a real quick validate as an engine job with progress and a working Cancel.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import type { ApiEvents, KneepointApi } from '../../main/common/api.ts';
import { startWebHost } from '../../main/web/server.ts';
import type { WebHost } from '../../main/web/server.ts';
import { QUICK_METHOD } from '../contract/apiSuite.ts';
import { connectWebHost } from '../contract/webHostClient.ts';
import { chromiumAvailable } from './chromium.ts';
import { go, openUi } from './pageHelpers.ts';
import type { PageGlobal } from './pageHelpers.ts';

const root = fileURLToPath(new URL('../../', import.meta.url));
const skip = chromiumAvailable() ? false : 'no Chromium at /usr/bin/chromium (apt-get install chromium)';

let dir: string;
let host: WebHost;
let browser: Browser;
let page: Page;
let client: KneepointApi & { close(): void };
const problems: string[] = [];
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
  const b = spawnSync(process.execPath, [join(root, 'scripts', 'build.mjs')], { stdio: 'inherit', env: { ...process.env, KNEEPOINT_QUIET: '1' } });
  assert.equal(b.status, 0, 'UI build');
  dir = mkdtempSync(join(tmpdir(), 'kneepoint-e2e-check-'));
  host = await startWebHost({ dbPath: join(dir, 'kp.db'), dataDir: dir, log: () => {} });
  client = await connectWebHost(host.url);
  let jobId = '';
  const done = new Promise<ApiEvents['job.finished']>((resolve) => { const off = client.on('job.finished', (e) => { if (e.jobId === jobId) { off(); resolve(e); } }); });
  const ref = await client.startSweep({ model: 'mlp-tiny', batch: [1, 4], instances: [1], method: QUICK_METHOD, name: 'mlp-tiny fp32' });
  jobId = ref.jobId;
  assert.equal((await done).status, 'completed');
  runId = ref.runId;
  ({ browser, page } = await openUi(host.url, problems));
});

after(async () => {
  await browser?.close();
  client?.close();
  await host?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

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
