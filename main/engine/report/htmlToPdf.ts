// HTML report → PDF bytes with headless Chromium (web and CLI modes; the Electron app passes the
// same HTML to its own webContents.printToPDF). playwright-core drives Chromium so the PDF is
// printed only after every chart has been drawn; without playwright-core, Chromium's own
// --print-to-pdf runs with a virtual-time budget long enough for the inline scripts.
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { execFile } from 'node:child_process';
import { KneepointError } from '../../common/errors.ts';

export type Paper = 'a4' | 'letter';
export const PAPERS: readonly Paper[] = ['a4', 'letter'];

/** Flags that avoid hangs on headless CI machines (ENVIRONMENT.md). */
export const CHROMIUM_FLAGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync'];

const CANDIDATE_NAMES = ['chromium', 'chromium-browser', 'google-chrome', 'google-chrome-stable', 'chrome', 'microsoft-edge'];
const CANDIDATE_PATHS = [
  '/usr/bin/chromium', '/usr/bin/chromium-browser', '/snap/bin/chromium', '/usr/bin/google-chrome', '/usr/bin/google-chrome-stable',
  '/Applications/Google Chrome.app/Contents/MacOS/Google Chrome', '/Applications/Chromium.app/Contents/MacOS/Chromium',
  'C:\\Program Files\\Google\\Chrome\\Application\\chrome.exe', 'C:\\Program Files (x86)\\Microsoft\\Edge\\Application\\msedge.exe',
];

/** The Chromium/Chrome executable to print with: KNEEPOINT_CHROMIUM, then the usual places, then PATH. */
export function findChromium(env: NodeJS.ProcessEnv = process.env): string | null {
  if (env.KNEEPOINT_CHROMIUM) return existsSync(env.KNEEPOINT_CHROMIUM) ? env.KNEEPOINT_CHROMIUM : null;
  for (const p of CANDIDATE_PATHS) if (existsSync(p)) return p;
  for (const dir of (env.PATH ?? '').split(delimiter).filter(Boolean)) {
    for (const n of CANDIDATE_NAMES) if (existsSync(join(dir, n))) return join(dir, n);
  }
  return null;
}

export function noChromiumError(env: NodeJS.ProcessEnv = process.env): KneepointError {
  const why = env.KNEEPOINT_CHROMIUM ? `KNEEPOINT_CHROMIUM=${env.KNEEPOINT_CHROMIUM} does not exist` : 'no Chromium or Chrome found';
  return new KneepointError('invalid-input', `cannot make a PDF: ${why}. Install Chromium (Debian/Ubuntu: apt-get install chromium) or point ` +
    'KNEEPOINT_CHROMIUM at a Chrome/Chromium executable; or write --format html and print it from a browser (A4 and Letter layouts are built in).');
}

/** Fix the paper in the document itself, so every renderer paginates the same way. */
export function withPaperSize(html: string, paper: Paper): string {
  const size = paper === 'letter' ? 'letter' : 'A4';
  return html.replace('</head>', `<style>@page { size: ${size}; }</style>\n</head>`);
}

async function loadPlaywright(): Promise<typeof import('playwright-core') | null> {
  try {
    return await import('playwright-core');
  } catch {
    return null;
  }
}

async function printWithPlaywright(pw: typeof import('playwright-core'), exe: string, file: string, paper: Paper): Promise<Buffer> {
  const browser = await pw.chromium.launch({ executablePath: exe, args: CHROMIUM_FLAGS, headless: true });
  try {
    const page = await browser.newPage();
    // a report never fetches anything; refuse it anyway so a bad report cannot hang the print
    await page.route((url) => url.protocol !== 'file:', (route) => route.abort());
    await page.goto(pathToFileURL(file).href, { waitUntil: 'load' });
    // strings, not functions: this file is type-checked without the DOM library
    await page.waitForFunction("document.documentElement.hasAttribute('data-charts-ready')", undefined, { timeout: 30_000 });
    const state = await page.evaluate("[document.documentElement.getAttribute('data-charts-ready'), document.documentElement.getAttribute('data-chart-errors')]") as Array<string | null>;
    if (state[0] !== 'true') throw new KneepointError('engine', `charts failed to draw before printing: ${state[1]}`);
    await page.emulateMedia({ media: 'print' });
    return await page.pdf({ format: paper === 'letter' ? 'Letter' : 'A4', printBackground: true, preferCSSPageSize: true });
  } finally {
    await browser.close();
  }
}

function printWithCli(exe: string, file: string, out: string): Promise<void> {
  return new Promise((resolve, reject) => {
    execFile(exe, [...CHROMIUM_FLAGS, '--no-pdf-header-footer', '--virtual-time-budget=15000', '--run-all-compositor-stages-before-draw',
      `--print-to-pdf=${out}`, pathToFileURL(file).href], { timeout: 120_000 }, (err, _stdout, stderr) => {
      if (err || !existsSync(out)) reject(new KneepointError('engine', `Chromium (${exe}) did not print the report: ${err?.message ?? ''} ${String(stderr).slice(-500)}`));
      else resolve();
    });
  });
}

/**
 * Prints a report's HTML to PDF bytes (A4 by default). Throws an invalid-input error naming the
 * fix when no Chromium is available.
 */
export async function htmlToPdf(html: string, opts: { paper?: Paper; chromiumPath?: string } = {}): Promise<Buffer> {
  const paper = opts.paper ?? 'a4';
  const exe = opts.chromiumPath ?? findChromium();
  if (!exe) throw noChromiumError();
  const dir = mkdtempSync(join(tmpdir(), 'kneepoint-pdf-'));
  try {
    const file = join(dir, 'report.html');
    writeFileSync(file, withPaperSize(html, paper));
    const pw = await loadPlaywright();
    if (pw) return await printWithPlaywright(pw, exe, file, paper);
    const out = join(dir, 'report.pdf');
    await printWithCli(exe, file, out);
    return readFileSync(out);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
