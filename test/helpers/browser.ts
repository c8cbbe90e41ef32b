/**
 * Headless Chromium for browser tests: the system's Chromium (Debian's `chromium` package), with
 * the flags this offline machine needs and a fresh profile, on 127.0.0.1 pages only.
 */
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type BrowserContext, chromium } from 'playwright-core';

const CANDIDATES = [process.env.CHROMIUM_PATH, '/usr/bin/chromium', '/usr/bin/chromium-browser'];

/** Launches Chromium with a fresh user-data dir; close the returned context when done. */
export async function launchBrowser(): Promise<BrowserContext> {
  const executablePath = CANDIDATES.find((path): path is string => !!path && existsSync(path));
  if (!executablePath)
    throw new Error('Chromium not found: `apt-get install -y chromium` or set CHROMIUM_PATH');
  return chromium.launchPersistentContext(mkdtempSync(join(tmpdir(), 'switchboard-chromium-')), {
    executablePath,
    headless: true,
    viewport: { width: 1280, height: 1400 },
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--no-first-run',
    ],
  });
}
