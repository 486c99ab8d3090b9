// End to end: importing runs through the Runs view in Debian Chromium. A run measured and exported
// as JSON by one web host (its own temporary database) is imported into a second, fresh one through
// the page; so are a copy that says it was measured on a GPU server, the perf_analyzer CSV fixture
// (then planned with), and a PNG that must be refused with the engine's reason.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
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
import { dropFile, go, openUi, SCREENSHOTS_DIR, shot } from './pageHelpers.ts';

const root = fileURLToPath(new URL('../../', import.meta.url));
const PA_CSV = join(root, 'test', 'fixtures', 'perf_analyzer', 'resnet50_onnx_t4_concurrency.csv');
const skip = chromiumAvailable() ? false : 'no Chromium at /usr/bin/chromium (apt-get install chromium)';

let dir: string;
let host: WebHost;
let browser: Browser;
let page: Page;
let client: KneepointApi & { close(): void };
const problems: string[] = [];
/** the run measured on the first host, as its JSON export and as the first host stored it */
let exported: { runId: string; path: string; serverPath: string; points: number; p99Ms: number[] };

const status = '[data-testid=run-import-status]';
const row = (runId: string) => `[data-testid=runs-table] tr[data-run="${runId}"]`;

/** Waits for the import's outcome and returns the run id its link names. */
async function outcome(state: 'imported' | 'duplicate'): Promise<string> {
  await page.waitForSelector(`${status}[data-state=${state}]`, { timeout: 30_000 });
  return (await page.locator(`${status} [data-testid=imported-run-link]`).textContent()) ?? '';
}

before(async () => {
  if (skip) return;
  const b = spawnSync(process.execPath, [join(root, 'scripts', 'build.mjs')], { stdio: 'inherit', env: { ...process.env, KNEEPOINT_QUIET: '1' } });
  assert.equal(b.status, 0, 'UI build');
  mkdirSync(SCREENSHOTS_DIR, { recursive: true });
  dir = mkdtempSync(join(tmpdir(), 'kneepoint-e2e-import-'));

  // "the other machine": its own host and database, a real sweep, exported as JSON through the API
  const source = await startWebHost({ dbPath: join(dir, 'source.db'), dataDir: join(dir, 'source'), log: () => {} });
  const sourceClient = await connectWebHost(source.url);
  try {
    let jobId = '';
    const done = new Promise<ApiEvents['job.finished']>((resolve) => { const off = sourceClient.on('job.finished', (e) => { if (e.jobId === jobId) { off(); resolve(e); } }); });
    const ref = await sourceClient.startSweep({ model: 'mlp-tiny', batch: [1, 4], instances: [1], method: QUICK_METHOD, name: 'mlp-tiny measured elsewhere' });
    jobId = ref.jobId;
    assert.equal((await done).status, 'completed');
    const run = await sourceClient.getRun({ runId: ref.runId });
    const file = await sourceClient.exportReport({ id: ref.runId, format: 'json' });
    assert.match(file.fileName, /\.json$/);
    const path = join(dir, file.fileName);
    writeFileSync(path, Buffer.from(file.base64, 'base64'));
    // the same document as a GPU server would have written it: another machine, same points
    const doc = JSON.parse(readFileSync(path, 'utf8')) as { hardware: Record<string, unknown> };
    doc.hardware = { cpu: { model: 'AMD EPYC 7R32', cores: 8, physicalCores: 4, speedGHz: 2.8 }, memoryBytes: 32 * 2 ** 30, gpus: [{ model: 'NVIDIA A10G', vendor: 'NVIDIA' }], os: 'linux' };
    const serverPath = join(dir, 'from-gpu-server.json');
    writeFileSync(serverPath, JSON.stringify(doc));
    exported = { runId: ref.runId, path, serverPath, points: run.points.length, p99Ms: run.points.map((p) => p.latencyMs.p99) };
  } finally {
    sourceClient.close();
    await source.close();
  }

  // "this machine": a fresh host and database, driven through the page
  host = await startWebHost({ dbPath: join(dir, 'kp.db'), dataDir: join(dir, 'data'), log: () => {} });
  client = await connectWebHost(host.url);
  ({ browser, page } = await openUi(host.url, problems));
});

after(async () => {
  await browser?.close();
  client?.close();
  await host?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

test('a fresh database opens Runs with the import card showing', { skip }, async () => {
  await go(page, '#/runs');
  await page.waitForSelector('[data-testid=run-import]');
  assert.equal(await page.locator('[data-testid=run-import]').isVisible(), true, 'no runs yet: the import card is open');
  assert.equal(await page.locator('[data-testid=import-runs]').getAttribute('aria-expanded'), 'true');
});

test('a JSON export from another host imports through the file picker, is listed as imported and opens with the same points', { skip }, async () => {
  await page.setInputFiles('#run-import-file', exported.path);
  const runId = await outcome('imported');
  assert.equal(runId, exported.runId, 'the run keeps its id');
  assert.match(await page.locator(status).textContent() ?? '', new RegExp(`Imported the Kneepoint JSON export .* as run ${runId} \\(${exported.points} points\\)`));
  await page.waitForSelector(`${row(runId)}[data-imported=kneepoint-json] [data-testid=imported-badge]`);
  assert.match(await page.locator(`${row(runId)} [data-testid=imported-badge]`).getAttribute('title') ?? '', /imported from .*\.json \(Kneepoint JSON\)/);
  // measured on this same machine (another database, same hardware): it says so
  assert.equal(await page.locator(`${row(runId)} [data-testid=run-hardware]`).textContent(), 'this machine');

  // importing it again writes nothing and says where it already is
  await page.setInputFiles('#run-import-file', exported.path);
  assert.equal(await outcome('duplicate'), runId);
  assert.match(await page.locator(status).textContent() ?? '', /was already imported: run .*Nothing was written/);
  assert.equal(await page.locator(row(runId)).count(), 1);
  assert.equal((await client.listRuns()).length, 1);

  // the link opens the run: same points, same statistics
  await page.click(`${status} [data-testid=imported-run-link]`);
  await page.waitForSelector('[data-testid=points-table]');
  assert.equal(await page.locator('[data-testid=points-table] tbody tr').count(), exported.points);
  const stored = await client.getRun({ runId });
  assert.deepEqual(stored.points.map((p) => p.latencyMs.p99), exported.p99Ms);
});

test('a run measured on a GPU server shows that machine in the list (drag-and-drop)', { skip }, async () => {
  await go(page, '#/runs?import');
  await page.waitForSelector('[data-testid=run-import]');
  await dropFile(page, '[data-testid=run-import] .dropzone', 'from-gpu-server.json', readFileSync(exported.serverPath), 'application/json');
  const runId = await outcome('imported');
  assert.notEqual(runId, exported.runId, 'same id, other content: stored beside the first, not over it');
  await page.waitForSelector(`${row(runId)}[data-imported=kneepoint-json]`);
  assert.equal(await page.locator(`${row(runId)} [data-testid=run-hardware]`).textContent(), 'AMD EPYC 7R32 (8 cores) · NVIDIA A10G');
  assert.equal(await page.locator(`${row(runId)}.just-imported`).count(), 1, 'the new row is highlighted');
  // the machine filter offers it by name
  await page.selectOption('select[aria-label=hardware]', { label: 'AMD EPYC 7R32 (8 cores) · NVIDIA A10G' });
  assert.equal(await page.locator('[data-testid=runs-table] tbody tr').count(), 1);
  await page.selectOption('select[aria-label=hardware]', '');
});

test('a perf_analyzer CSV imports with the fields its file lacks, opens, and plans', { skip }, async () => {
  await page.click('.pa-options summary');
  await page.fill('[data-pa=model]', 'resnet50');
  await page.fill('[data-pa=hardware]', 'g4dn.xlarge (T4)');
  await page.selectOption('[data-pa=provider]', 'cuda');
  await page.selectOption('[data-pa=precision]', 'fp16');
  await page.setInputFiles('#run-import-file', PA_CSV);
  const runId = await outcome('imported');
  assert.match(await page.locator(status).textContent() ?? '', /Imported the perf_analyzer CSV resnet50_onnx_t4_concurrency\.csv as run .* \(6 points\)/);
  await page.waitForSelector(`${row(runId)}[data-imported=perf_analyzer-csv]`);
  const cells = await page.locator(`${row(runId)} td`).allTextContents();
  assert.ok(cells.includes('resnet50'), `model column: ${cells.join(' | ')}`);
  assert.ok(cells.includes('g4dn.xlarge (T4)'), 'the machine it ran on');
  assert.ok(cells.some((c) => /^import\s*imported$/.test(c)), `kind import, marked imported: ${cells.join(' | ')}`);
  const stored = await client.getRun({ runId });
  assert.deepEqual([...new Set(stored.points.map((p) => `${p.config.precision}/${p.config.provider}/${p.config.batch}`))], ['fp16/cuda/1']);
  await page.locator('[data-testid=runs-table] tbody tr').first().scrollIntoViewIfNeeded();
  await shot(page, 'runs-import');

  // open it: six points on the chart
  await page.click(`${row(runId)} a[href="#/runs/${runId}"]`);
  await page.waitForSelector('[data-testid=points-table]');
  assert.equal(await page.locator('[data-testid=points-table] tbody tr').count(), 6);
  assert.equal(await page.locator('[data-testid=run-chart]').getAttribute('data-points'), '6');

  // and plan with it: the Plan view offers the imported run and the engine plans on its curves
  await page.click('a:text-is("Plan with this run")');
  await page.waitForSelector('[data-testid=make-plan]');
  await page.locator('input[data-field="model.id"]').fill('resnet50');
  await page.locator('input[data-field="model.id"]').dispatchEvent('change');
  assert.equal(await page.locator('[data-testid=plan-run]').inputValue(), runId);
  assert.equal(await page.locator('[data-testid=run-mismatch]').isHidden(), true);
  await page.click('[data-testid=make-plan]');
  await page.waitForSelector('[data-testid=verdict]', { timeout: 60_000 });
  assert.ok((await page.locator('[data-testid=verdict-mode]').textContent())?.trim());
  const plans = await client.listPlans({ runId });
  assert.equal(plans.length, 1, 'the plan is stored against the imported run');
});

test('a PNG dropped on the import card is refused with the engine\'s reason, kept on screen', { skip }, async () => {
  await go(page, '#/runs?import');
  await page.waitForSelector('[data-testid=run-import]');
  const before = (await client.listRuns()).length;
  const png = readFileSync(join(SCREENSHOTS_DIR, 'runs-import.png'));
  await dropFile(page, '[data-testid=run-import] .dropzone', 'results.png', png, 'image/png');
  await page.waitForSelector(`${status}[data-state=error]`);
  const error = await page.locator(`${status} [role=alert]`).textContent();
  assert.match(error ?? '', /results\.png is a PNG image, not something Kneepoint imports; expected a Kneepoint JSON export .* or a Triton perf_analyzer CSV/);
  assert.equal((await client.listRuns()).length, before, 'nothing written');
  // the reason is in the card, not only in a toast that goes away
  assert.equal(await page.locator(`[data-testid=run-import] ${status}[data-state=error] [role=alert]`).count(), 1);
  await shot(page, 'runs-import-error');
});

test('no page errors or CSP violations', { skip }, () => {
  assert.deepEqual(problems, []);
});
