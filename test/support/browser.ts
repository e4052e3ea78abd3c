/**
 * Headless Chromium driven by playwright-core: `CHROMIUM_PATH` if set, else the system's
 * /usr/bin/chromium, else the build the npm package @sparticuz/chromium ships, so a machine with
 * nothing but Node runs the browser tests.
 */
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { bundledChromium } from './bundled-chromium.js';

const SYSTEM_CHROMIUM = '/usr/bin/chromium';

/** Flags for a closed, root-run machine. */
const ARGS = [
  '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
  '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage',
];

interface Executable {
  path: string;
  env?: Record<string, string>;
}

async function chromiumExecutable(): Promise<Executable> {
  const configured = process.env.CHROMIUM_PATH;
  if (configured) {
    if (!existsSync(configured)) throw new Error(`CHROMIUM_PATH names ${configured}, which does not exist`);
    return { path: configured };
  }
  if (existsSync(SYSTEM_CHROMIUM)) return { path: SYSTEM_CHROMIUM };
  const bundled = await bundledChromium();
  return { path: bundled.executable, env: { FONTCONFIG_FILE: bundled.fontconfigFile } };
}

export async function launchBrowser(): Promise<Browser> {
  const executable = await chromiumExecutable();
  return chromium.launch({
    executablePath: executable.path,
    headless: true,
    args: ARGS,
    ...(executable.env ? { env: { ...process.env, ...executable.env } } : {}),
  });
}

/** A page the size of a phone, with every script error and console error it shows collected in `problems`. */
export async function phonePage(browser: Browser): Promise<{ page: Page; problems: string[] }> {
  const page = await (await browser.newContext({ viewport: { width: 390, height: 844 } })).newPage();
  const problems: string[] = [];
  page.on('pageerror', (error) => problems.push(error.message));
  // A refused request is logged by the browser too (the first look at a session is a 401): only script errors count.
  page.on('console', (message) => {
    if (message.type() === 'error' && !message.text().startsWith('Failed to load resource')) problems.push(message.text());
  });
  return { page, problems };
}

const SCREENSHOTS = join(import.meta.dirname, '..', '..', 'artifacts', 'screenshots');

/** The whole page as artifacts/screenshots/<name>.png, for a person to look at. */
export async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  await page.screenshot({ path: join(SCREENSHOTS, `${name}.png`), fullPage: true });
}
