// `npm run screenshots`: every view of the UI in both themes, into docs/screenshots/themes/
// (VIEW-light.png, VIEW-dark.png). A web host on a temporary database seeded with real sweeps of
// mlp-tiny and stored plans (test/e2e/uiTour.ts), driven in Debian Chromium at 1360 × 900.
import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { launchChromium, chromiumAvailable, CHROMIUM_PATH } from '../test/e2e/chromium.ts';
import { openView, setTheme, startTour, tourViews } from '../test/e2e/uiTour.ts';

const root = fileURLToPath(new URL('../', import.meta.url));
const outDir = join(root, 'docs', 'screenshots', 'themes');

if (!chromiumAvailable()) {
  console.error(`screenshots: no Chromium at ${CHROMIUM_PATH} (apt-get install chromium, or set KNEEPOINT_CHROMIUM)`);
  process.exit(1);
}
const build = spawnSync(process.execPath, [join(root, 'scripts', 'build.mjs')], { stdio: 'inherit', env: { ...process.env, KNEEPOINT_QUIET: '1' } });
if (build.status !== 0) process.exit(1);
mkdirSync(outDir, { recursive: true });
console.error('screenshots: measuring two small mlp-tiny sweeps to show…');
const tour = await startTour();
const browser = await launchChromium();
try {
  const context = await browser.newContext({ viewport: { width: 1360, height: 900 }, colorScheme: 'light' });
  const page = await context.newPage();
  await page.goto(tour.host.url);
  await page.waitForSelector('main[data-view="overview"]');
  for (const theme of ['light', 'dark'] as const) {
    await setTheme(page, theme);
    for (const v of tourViews(tour)) {
      await openView(page, v);
      if (v.name === 'run-detail') await page.fill('input[aria-label="SLA in milliseconds"]', '1');
      const file = join(outDir, `${v.name}-${theme}.png`);
      await page.screenshot({ path: file, fullPage: true });
      console.log(file);
    }
  }
} finally {
  await browser.close();
  tour.client.close();
  await tour.host.close();
  rmSync(tour.dir, { recursive: true, force: true });
}
