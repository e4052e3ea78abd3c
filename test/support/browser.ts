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

/**
 * The browser's language whatever the machine's: under LANG=C.UTF-8 Chromium's default locale is
 * en-US@posix, which its own Intl refuses (uPlot asks Intl for the time zone when it loads).
 */
const LOCALE_ENV = { LANG: 'en_US.UTF-8', LC_ALL: 'en_US.UTF-8' };

/** `machineLang` runs the browser under that LANG instead, as a user's machine might be set. */
export async function launchBrowser(options: { machineLang?: string } = {}): Promise<Browser> {
  const executable = await chromiumExecutable();
  const locale = options.machineLang ? { LANG: options.machineLang, LC_ALL: options.machineLang } : LOCALE_ENV;
  return chromium.launch({
    executablePath: executable.path,
    headless: true,
    args: options.machineLang ? ARGS : [...ARGS, '--lang=en-US'],
    env: { ...process.env, ...executable.env, ...locale },
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

/**
 * Waits until the console shows the page of the address the browser is at: a choice that changes
 * the address (a nav link, an app chooser) re-renders the page once its data arrives, and a control
 * used before then would belong to the page being replaced.
 */
export async function consoleShowsAddress(page: Page, timeout = 30_000): Promise<void> {
  await page.waitForFunction(() => {
    // Runs in the page (the tests compile without the DOM's types).
    const { document, location } = globalThis as unknown as {
      document: { querySelector(selector: string): { getAttribute(name: string): string | null } | null };
      location: { hash: string };
    };
    const view = document.querySelector('#view');
    return view?.getAttribute('aria-busy') === 'false' && view.getAttribute('data-address') === location.hash;
  }, undefined, { timeout });
}
