// Every view of the UI with the data it needs: a web host on a temporary database seeded with real
// sweeps of mlp-tiny (fp32 and int8) and a plan, and the list of views with what to wait for. Used by
// the accessibility/layout suite and by scripts/screenshots.ts (docs/screenshots, both themes).
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import type { ApiEvents, KneepointApi } from '../../main/common/api.ts';
import { startWebHost } from '../../main/web/server.ts';
import type { WebHost } from '../../main/web/server.ts';
import { MLP_TINY_WORKLOAD, QUICK_METHOD } from '../contract/apiSuite.ts';
import { connectWebHost } from '../contract/webHostClient.ts';
import type { PageGlobal } from './pageHelpers.ts';

export interface Tour {
  dir: string;
  host: WebHost;
  client: KneepointApi & { close(): void };
  runIds: string[];
  planId: string;
  infeasiblePlanId: string;
}

export interface TourView {
  /** file name stem for screenshots */
  name: string;
  hash: string;
  /** present once the view shows its content */
  ready: string;
}

async function sweep(client: KneepointApi, spec: Parameters<KneepointApi['startSweep']>[0]): Promise<string> {
  let jobId = '';
  const done = new Promise<ApiEvents['job.finished']>((resolve) => { const off = client.on('job.finished', (e) => { if (e.jobId === jobId) { off(); resolve(e); } }); });
  const ref = await client.startSweep(spec);
  jobId = ref.jobId;
  const fin = await done;
  assert.equal(fin.status, 'completed', fin.error);
  return ref.runId;
}

/** A host with two real runs of mlp-tiny (fp32, int8) and two stored plans (feasible, infeasible). */
export async function startTour(): Promise<Tour> {
  const dir = mkdtempSync(join(tmpdir(), 'kneepoint-tour-'));
  const host = await startWebHost({ dbPath: join(dir, 'kp.db'), dataDir: dir, log: () => {} });
  const client = await connectWebHost(host.url);
  const runIds = [
    await sweep(client, { model: 'mlp-tiny', batch: [1, 4, 16], instances: [1], method: QUICK_METHOD, name: 'mlp-tiny fp32' }),
    await sweep(client, { model: 'mlp-tiny', batch: [1, 4, 16], instances: [1], precision: ['int8'], method: QUICK_METHOD, name: 'mlp-tiny int8' }),
  ];
  const planId = (await client.plan({ runId: runIds[0], workload: MLP_TINY_WORKLOAD })).planId;
  const infeasiblePlanId = (await client.plan({ runId: runIds[0], workload: { ...MLP_TINY_WORKLOAD, name: 'too-tight', sla: { percentile: 99, slaMs: 0.001 } } })).planId;
  return { dir, host, client, runIds, planId, infeasiblePlanId };
}

export function tourViews(t: Tour): TourView[] {
  return [
    { name: 'overview', hash: '#/overview', ready: '[data-testid=recent-plans]' },
    { name: 'models', hash: '#/models/mlp-tiny', ready: 'text=Inspect:' },
    { name: 'sweep', hash: '#/sweep?model=mlp-tiny', ready: '[data-testid=start-sweep]' },
    { name: 'runs', hash: '#/runs', ready: '[data-testid=runs-table]' },
    { name: 'run-detail', hash: `#/runs/${t.runIds[0]}`, ready: '[data-testid=points-table]' },
    { name: 'compare', hash: `#/compare?runs=${t.runIds.join(',')}`, ready: '[data-testid=delta-table]' },
    { name: 'plan', hash: `#/plan?plan=${t.planId}`, ready: '[data-testid=verdict]' },
    { name: 'plan-infeasible', hash: `#/plan?plan=${t.infeasiblePlanId}`, ready: '[data-testid=levers]' },
    { name: 'learn', hash: '#/learn', ready: '[data-testid=learn-index]' },
    { name: 'learn-glossary', hash: '#/learn/glossary', ready: '[data-testid=glossary]' },
  ];
}

/** Opens a view and waits for its content (and for the router to have rendered it). */
export async function openView(page: Page, v: TourView): Promise<void> {
  await page.evaluate((h) => { (globalThis as PageGlobal).location.hash = h; }, v.hash);
  await page.waitForSelector(v.ready, { timeout: 30_000 });
  // charts draw on the next frames
  await page.evaluate(() => new Promise((r) => (globalThis as PageGlobal).requestAnimationFrame(() => (globalThis as PageGlobal).requestAnimationFrame(r))));
}

/** Switches the app's theme the way a person does (the theme button) and waits until it is applied. */
export async function setTheme(page: Page, theme: 'light' | 'dark'): Promise<void> {
  const now = await page.evaluate(() => (globalThis as PageGlobal).document.documentElement.dataset.theme);
  if (now !== theme) await page.click('.theme-toggle');
  await page.waitForFunction((t) => (globalThis as PageGlobal).document.documentElement.dataset.theme === t, theme);
}
