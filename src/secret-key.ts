/**
 * The sealing key: SECRET_KEY, or a key file created once (owner-only) beside the data. Every other
 * key carport needs is derived from it, one per purpose, so none is ever stored.
 */
import { hkdfSync, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { Config } from './config.js';

export function loadSecretKey(config: Config): Buffer {
  if (config.secretKey) return Buffer.from(config.secretKey, 'base64');
  const file = config.secretKeyFile;
  if (!existsSync(file)) {
    mkdirSync(dirname(file), { recursive: true });
    // 'wx' fails if another process created it meanwhile; then that one's key is read below.
    try {
      writeFileSync(file, `${randomBytes(32).toString('base64')}\n`, { mode: 0o600, flag: 'wx' });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
  }
  const key = Buffer.from(readFileSync(file, 'utf8').trim(), 'base64');
  if (key.length !== 32) throw new Error(`${file} does not hold a 32-byte base64 key`);
  return key;
}

/** Purposes of derived keys. Labels are permanent: changing one changes its key. */
export type KeyPurpose = 'connect-cookies' | 'console-cookies' | 'account-cookies';

/** A 32-byte key for one purpose (HKDF-SHA256): knowing it reveals neither the secret key nor another purpose's key. */
export function derivedKey(secretKey: Buffer, purpose: KeyPurpose): Buffer {
  return Buffer.from(hkdfSync('sha256', secretKey, Buffer.alloc(0), `carport ${purpose} v1`, 32));
}
