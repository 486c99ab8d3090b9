// Debian Chromium via playwright-core (never `npx playwright install`), with the flags that avoid
// hangs on the CI machines (ENVIRONMENT.md).
import { existsSync } from 'node:fs';
import { chromium } from 'playwright-core';
import type { Browser } from 'playwright-core';

export const CHROMIUM_PATH = process.env.KNEEPOINT_CHROMIUM ?? '/usr/bin/chromium';
export const CHROMIUM_FLAGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync'];

/** Outside CI a missing Chromium skips the browser tests; in CI (.ci/run installs it) it is a failure. */
export const chromiumAvailable = () => {
  if (existsSync(CHROMIUM_PATH)) return true;
  if (process.env.CI) throw new Error(`no Chromium at ${CHROMIUM_PATH} in CI: .ci/run must apt-get install chromium`);
  return false;
};

export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_FLAGS, headless: true });
}
