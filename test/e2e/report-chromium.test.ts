// A report of a real sweep + plan, opened in headless Chromium: every chart drawn, nothing fetched
// but the file itself; and its PDF, rendered to images with poppler, has the expected pages.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { runCli, json, tempDir, QUICK } from '../helpers/cli.ts';
import { chromiumAvailable, launchChromium } from './chromium.ts';
import { openStore } from '../../main/engine/store/store.ts';
import { planWorkload, workloadSchema } from '../../main/common/plan/index.ts';

const dir = tempDir('kneepoint-report-');
const db = join(dir, 'k.db');
const popplerAvailable = () => ['pdfinfo', 'pdftoppm', 'pdftotext'].every((b) => existsSync(`/usr/bin/${b}`));
const skip = !chromiumAvailable() ? 'no Chromium (apt-get install chromium)' : false;

let planId = '';
async function subject(): Promise<string> {
  if (planId) return planId;
  const sweep = await runCli(['--db', db, '--json', 'sweep', '--model', 'ocr-cls', '--batch', '1,2,4', ...QUICK]);
  assert.equal(sweep.code, 0, sweep.stderr);
  const runId = json(sweep).runId as string;
  const store = openStore(db);
  try {
    const workload = workloadSchema.parse({
      name: 'angle classifier API', model: { id: 'ocr-cls' }, sla: { percentile: 99, slaMs: 50 }, callers: { synchronous: true, acceptsAsync: true },
      freshness: { deadlineS: 60 }, traffic: { meanRatePerSec: 200, peakToMean: 2 },
      instances: [{ name: 'c7i.large', pricePerHourUsd: 0.089, cores: 2, measuredHere: true }],
    });
    const result = planWorkload(store.getRunResult(runId), workload, { simRequests: 1500 });
    planId = store.addPlan({ runId, workload, result });
  } finally { store.close(); }
  return planId;
}

test('the HTML report draws every chart in Chromium and loads nothing but itself', { skip }, async () => {
  const id = await subject();
  const file = join(dir, 'report.html');
  const r = await runCli(['--db', db, 'report', id, '--format', 'html', '--out', file]);
  assert.equal(r.code, 0, r.stderr);
  const html = readFileSync(file, 'utf8');
  assert.doesNotMatch(html, /<(script|link|img)[^>]+(src|href)=["']?(https?:|\/\/)/i, 'no external script, stylesheet or image');

  const browser = await launchChromium();
  after(() => browser.close());
  const page = await browser.newPage();
  const requested: string[] = [];
  await page.route('**/*', (route) => { requested.push(route.request().url()); return route.request().url().startsWith('file:') ? route.continue() : route.abort(); });
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(pathToFileURL(file).href);
  await page.waitForFunction("document.documentElement.getAttribute('data-charts-ready') !== null");
  assert.equal(await page.evaluate("document.documentElement.getAttribute('data-charts-ready')"), 'true', String(await page.evaluate("document.documentElement.getAttribute('data-chart-errors')")));
  assert.deepEqual(errors, []);
  assert.deepEqual(requested, [pathToFileURL(file).href], 'only the report file itself is loaded');

  // every chart canvas has data and ink: count pixels that are neither transparent nor white
  const charts = await page.evaluate(`[...document.querySelectorAll('canvas')].map((c) => {
    const chart = Chart.getChart(c);
    const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
    let ink = 0;
    for (let i = 0; i < d.length; i += 4) if (d[i + 3] > 0 && (d[i] < 200 || d[i + 1] < 200 || d[i + 2] < 200)) ink++;
    return { id: c.id, ink, points: chart ? chart.data.datasets.reduce((n, s) => n + s.data.filter((v) => v !== null).length, 0) : 0 };
  })`) as Array<{ id: string; ink: number; points: number }>;
  assert.deepEqual(charts.map((c) => c.id), ['chart-latency-vs-throughput', 'chart-throughput-vs-batch', 'chart-cost-vs-sla', 'chart-cost-vs-deadline']);
  for (const c of charts) {
    assert.ok(c.points >= 3, `${c.id} has data (${c.points} points)`);
    assert.ok(c.ink > 2000, `${c.id} is drawn (${c.ink} inked pixels)`);
  }
  // a PM reads the verdict first, then the rest in the documented order
  const order = await page.evaluate("[...document.querySelectorAll('section.page')].map((s) => s.id)");
  // page 1 is what a PM forwards: the verdict, the chart and every warning; the method comes last
  // a roofline page comes before the method when the machine's peak is known
  const roofline = (order as string[]).includes('roofline') ? ['roofline'] : [];
  assert.deepEqual(order, ['summary', 'charts', 'measurements', 'plan', 'cost', ...roofline, 'method']);
  assert.equal(await page.locator('#summary canvas#chart-latency-vs-throughput').count(), 1, 'the latency-vs-throughput chart is on page 1');
  assert.match(await page.textContent('#summary [data-testid=warnings]') ?? '', /shortened windows/, 'the quick-method warning is on page 1');
  assert.match(await page.textContent('[data-testid=verdict]') ?? '', /Recommendation for “angle classifier API”/);
  assert.equal(await page.locator('[data-testid=points-table] tbody tr').count(), 3);
});

test('the PDF has one page per part, A4 by default and Letter on request, none blank', { skip: skip || (!popplerAvailable() && 'no poppler-utils (apt-get install poppler-utils)') }, async () => {
  const id = await subject();
  for (const [paper, size] of [['a4', /59[45]\.\d+ x 841\.\d+ pts \(A4\)/], ['letter', /612 x 792 pts \(letter\)/]] as const) {
    const pdf = join(dir, `report-${paper}.pdf`);
    const r = await runCli(['--db', db, 'report', id, '--format', 'pdf', '--paper', paper, '--out', pdf]);
    assert.equal(r.code, 0, r.stderr);
    const info = execFileSync('pdfinfo', [pdf], { encoding: 'utf8' });
    assert.match(info, size);
    const pages = Number(/Pages:\s+(\d+)/.exec(info)![1]);
    // six parts, and a roofline page before the method when the machine's peak is known
    assert.ok(pages === 6 || pages === 7, `summary, charts, measurements, plan, cost, [roofline,] method: ${info}`);
    const headings = ['Summary', 'Charts', 'All measurements', 'Plan', 'Cost', ...(pages === 7 ? ['Roofline'] : []), 'Method'];
    for (let i = 1; i <= pages; i++) {
      const text = execFileSync('pdftotext', ['-f', String(i), '-l', String(i), '-layout', pdf, '-'], { encoding: 'utf8' });
      assert.match(text, new RegExp(headings[i - 1]), `page ${i} is "${headings[i - 1]}"`);
      assert.match(text, new RegExp(`page ${i} of ${pages}`), `page ${i} has its page number`);
    }
    // render each page to a grayscale image and check it is not blank
    const prefix = join(dir, `pg-${paper}`);
    execFileSync('pdftoppm', ['-r', '40', '-gray', pdf, prefix]);
    const images = readdirSync(dir).filter((f) => f.startsWith(`pg-${paper}`) && f.endsWith('.pgm')).sort();
    assert.equal(images.length, pages);
    for (const f of images) {
      const buf = readFileSync(join(dir, f));
      const m = /^P5\s+(\d+)\s+(\d+)\s+255\s/.exec(buf.subarray(0, 40).toString('latin1'))!;
      const [w, h] = [Number(m[1]), Number(m[2])];
      // the body only: the footer's page number alone must not make a blank page pass
      const body = buf.subarray(buf.length - w * h, buf.length - w * Math.round(h * 0.1));
      const dark = body.filter((v) => v < 160).length / body.length;
      assert.ok(dark > 0.002, `${f} has content (${(100 * dark).toFixed(2)} % dark pixels)`);
    }
  }
});
