// Every view, in both themes, in Debian Chromium with the real engine: zero serious or critical
// axe-core violations (WCAG 2 A/AA, contrast included), no horizontal scroll at 1024 px, still
// usable at 800 px (nothing wider than the window), every control reachable with Tab and a
// visible focus ring on it.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { AxeBuilder } from '@axe-core/playwright';
import type { Browser, Page } from 'playwright-core';
import { chromiumAvailable } from './chromium.ts';
import { openUi } from './pageHelpers.ts';
import type { PageGlobal } from './pageHelpers.ts';
import { openView, setTheme, startTour, tourViews, type Tour } from './uiTour.ts';

const root = fileURLToPath(new URL('../../', import.meta.url));
const skip = chromiumAvailable() ? false : 'no Chromium at /usr/bin/chromium (apt-get install chromium)';

let tour: Tour;
let browser: Browser;
let page: Page;
const problems: string[] = [];

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

for (const theme of ['light', 'dark'] as const) {
  test(`axe: no serious or critical WCAG A/AA violation on any view (${theme} theme)`, { skip }, async () => {
    await page.setViewportSize({ width: 1360, height: 900 });
    await setTheme(page, theme);
    const found: string[] = [];
    for (const v of tourViews(tour)) {
      await openView(page, v);
      const r = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
      for (const x of r.violations.filter((x) => x.impact === 'serious' || x.impact === 'critical')) {
        found.push(`${v.name} (${theme}): ${x.id} — ${x.help}: ${x.nodes.slice(0, 4).map((n) => `${n.target.join(' ')} ${n.failureSummary?.split('\n').slice(1, 2).join('') ?? ''}`).join(' | ')}`);
      }
    }
    assert.deepEqual(found, []);
  });
}

test('no horizontal scroll at 1024 px on any view; at 800 px nothing is wider than the window', { skip }, async () => {
  const wide: string[] = [];
  for (const width of [1024, 800]) {
    await page.setViewportSize({ width, height: 800 });
    for (const v of tourViews(tour)) {
      await openView(page, v);
      const over = await page.evaluate(() => {
        const d = (globalThis as PageGlobal).document.documentElement;
        return d.scrollWidth - d.clientWidth;
      });
      if (over > 0) wide.push(`${v.name} at ${width} px: ${over} px of horizontal scroll`);
      // what scrolls inside a card instead must be reachable by keyboard
      const r = await new AxeBuilder({ page }).withRules(['scrollable-region-focusable']).analyze();
      for (const x of r.violations) wide.push(`${v.name} at ${width} px: ${x.help}: ${x.nodes.map((n) => n.target.join(' ')).join(' | ')}`);
    }
  }
  await page.setViewportSize({ width: 1360, height: 900 });
  assert.deepEqual(wide, []);
});

test('keyboard: on every view Tab reaches every control, each with a visible focus ring', { skip }, async () => {
  await setTheme(page, 'light');
  await page.setViewportSize({ width: 1360, height: 900 });
  const problemsFound: string[] = [];
  for (const v of tourViews(tour)) problemsFound.push(...await keyboardCheck(v));
  assert.deepEqual(problemsFound, []);
});

/** Tabs through one view; returns what is wrong (controls Tab never reached, focus without a ring). */
async function keyboardCheck(v: ReturnType<typeof tourViews>[number]): Promise<string[]> {
  await openView(page, v);
  // number every control a person can operate, then Tab until each number has had the focus
  const labels: string[] = await page.evaluate(() => {
    const d = (globalThis as PageGlobal).document;
    return [...d.querySelectorAll('main button, main a[href], main input, main select, main textarea, main [tabindex]')]
      .filter((e: any) => !e.disabled && e.offsetParent !== null && e.tabIndex >= 0)
      .map((e: any, i: number) => { e.dataset.kbIndex = String(i); return `${e.tagName.toLowerCase()} "${(e.getAttribute('aria-label') ?? e.textContent ?? '').trim().slice(0, 40)}"`; });
  });
  await page.focus('main');
  const seen = new Set<number>();
  const noRing: string[] = [];
  for (let i = 0; i < labels.length * 2 + 10 && seen.size < labels.length; i++) {
    await page.keyboard.press('Tab');
    const f = await page.evaluate(() => {
      const e = (globalThis as PageGlobal).document.activeElement;
      if (!e?.dataset?.kbIndex) return null;
      const s = (globalThis as PageGlobal).getComputedStyle(e);
      return { i: Number(e.dataset.kbIndex), ring: (s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) >= 1) || s.boxShadow !== 'none' };
    });
    if (!f) continue;
    seen.add(f.i);
    if (!f.ring) noRing.push(labels[f.i]);
  }
  const missed = labels.filter((_, i) => !seen.has(i));
  return [...missed.map((m) => `${v.name}: Tab never reaches ${m}`), ...[...new Set(noRing)].map((m) => `${v.name}: no focus ring on ${m}`)];
}

test('no page errors or CSP violations', { skip }, () => {
  assert.deepEqual(problems, []);
});
