/**
 * Headless Chromium driven by playwright-core: `CHROMIUM_PATH` if set, else the system's
 * /usr/bin/chromium, else the build the npm package @sparticuz/chromium ships, so a machine with
 * nothing but Node runs the browser tests.
 */
import { existsSync } from 'node:fs';
import { chromium, type Browser } from 'playwright-core';
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
