/**
 * The Chromium build that the npm package @sparticuz/chromium ships, unpacked once per machine.
 *
 * The package unpacks into the temp directory and takes any file already there as complete, so two
 * test processes starting together could launch a half-written binary. Here each process unpacks
 * into a private staging directory (the package's own unpacking, run in a child whose TMPDIR is that
 * directory), which is renamed into place only once complete: the first rename wins, a later one is
 * discarded, and a crash leaves only an unused staging directory behind.
 */
import { execFile } from 'node:child_process';
import { lstatSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';

export interface BundledChromium {
  executable: string;
  /** The bundled build finds its fonts only through this file. */
  fontconfigFile: string;
}

const UNPACK_TIMEOUT_MS = 10 * 60_000;

function packageEntry(): { entry: string; version: string } {
  const entry = createRequire(import.meta.url).resolve('@sparticuz/chromium');
  const { version } = JSON.parse(readFileSync(join(dirname(entry), '..', 'package.json'), 'utf8')) as { version: string };
  return { entry, version };
}

function layout(home: string): BundledChromium {
  return { executable: join(home, 'chromium'), fontconfigFile: join(home, 'fonts.conf') };
}

/** True when `home` is complete; refuses one that someone else could have planted or altered. */
function isReady(home: string): boolean {
  let stats;
  try {
    stats = lstatSync(home);
  } catch {
    return false;
  }
  if (!stats.isDirectory() || stats.uid !== process.getuid?.() || (stats.mode & 0o022) !== 0) {
    throw new Error(`${home} is not a directory only this user can write: remove it, or set CHROMIUM_PATH`);
  }
  return true;
}

async function unpackInto(staging: string, entry: string, home: string): Promise<void> {
  const script = `import chromium from ${JSON.stringify(pathToFileURL(entry).href)};\nprocess.stdout.write(await chromium.executablePath());`;
  const { stdout } = await promisify(execFile)(process.execPath, ['--input-type=module', '--eval', script], {
    env: { ...process.env, TMPDIR: staging }, timeout: UNPACK_TIMEOUT_MS,
  });
  if (stdout !== join(staging, 'chromium')) throw new Error(`@sparticuz/chromium unpacked to ${stdout}, not into ${staging}`);
  // The shipped fonts.conf names fixed /tmp paths; this one names where the fonts will live.
  writeFileSync(layout(staging).fontconfigFile, [
    '<?xml version="1.0"?>',
    '<!DOCTYPE fontconfig SYSTEM "fonts.dtd">',
    `<fontconfig><dir>${join(home, 'fonts')}</dir><cachedir>${join(home, 'fonts-cache')}</cachedir></fontconfig>`,
    '',
  ].join('\n'));
}

export async function bundledChromium(): Promise<BundledChromium> {
  const { entry, version } = packageEntry();
  const home = join(tmpdir(), `carport-chromium-${version}-${process.getuid?.() ?? 0}`);
  if (isReady(home)) return layout(home);
  const staging = mkdtempSync(`${home}-staging-`);
  try {
    await unpackInto(staging, entry, home);
    renameSync(staging, home);
  } catch (error) {
    rmSync(staging, { recursive: true, force: true });
    const code = (error as NodeJS.ErrnoException).code;
    // Another process renamed its complete copy into place first.
    if (code !== 'ENOTEMPTY' && code !== 'EEXIST') throw error;
  }
  if (!isReady(home)) throw new Error(`could not unpack @sparticuz/chromium into ${home}`);
  return layout(home);
}
