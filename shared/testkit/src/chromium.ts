import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium, type BrowserContext } from 'playwright-core';

// Shared by the e2e suite and day 4's Prometheus screenshot. Import it as '@taskboard/testkit/src/chromium', so
// test files that never drive a browser do not load playwright-core.

/** Debian's Chromium; `playwright install` downloads from the internet and is never used here. */
export const CHROMIUM_PATH = '/usr/bin/chromium';
export const CHROMIUM_INSTALL = 'apt-get install chromium';

/** The flags COURSE-DESIGN.md lists: headless as root, and no background traffic to a network that is not there. */
const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export function chromiumAvailable(): boolean {
  return existsSync(CHROMIUM_PATH);
}

export interface Browser {
  readonly context: BrowserContext;
  close(): Promise<void>;
}

/** A fresh profile per run, so no cache, cookie or service worker from an earlier run can mask a bug. */
export async function launchChromium(viewport = { width: 1280, height: 800 }): Promise<Browser> {
  const userDataDir = mkdtempSync(path.join(os.tmpdir(), 'taskboard-chromium-profile-'));
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: CHROMIUM_PATH,
    args: CHROMIUM_ARGS,
    headless: true,
    viewport,
    locale: 'en-GB',
    timezoneId: 'UTC',
  });
  return {
    context,
    async close() {
      await context.close();
      rmSync(userDataDir, { recursive: true, force: true });
    },
  };
}
