/**
 * A private Mosquitto with a password file, for what the shared broker (any credentials accepted)
 * cannot show: a refused username and password. Used when the tests run against a real Mosquitto
 * (`MQTT_URL` set); see mqtt-broker.ts.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { execFileSync } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Broker } from './mqtt-broker.js';

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise((resolve) => server.close(resolve));
  return typeof address === 'object' && address ? address.port : 0;
}

/** Starts `mosquitto` with one user; resolves once it listens (it says so on stderr). */
export async function startMosquitto(user: string, password: string): Promise<Broker> {
  const dir = mkdtempSync(join(tmpdir(), 'carport-mosquitto-'));
  // Mosquitto started as root drops to its own user, which must still read these files.
  chmodSync(dir, 0o755);
  const passwords = join(dir, 'passwords');
  execFileSync('mosquitto_passwd', ['-b', '-c', passwords, user, password]);
  chmodSync(passwords, 0o644);
  const port = await freePort();
  const conf = join(dir, 'mosquitto.conf');
  writeFileSync(conf, `listener ${port} 127.0.0.1\nallow_anonymous false\npassword_file ${passwords}\npersistence false\nlog_dest stderr\n`);
  const child: ChildProcess = spawn('mosquitto', ['-c', conf], { stdio: ['ignore', 'ignore', 'pipe'] });
  await new Promise<void>((resolve, reject) => {
    let output = '';
    child.stderr!.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes(' running')) resolve();
    });
    child.once('exit', (code) => reject(new Error(`mosquitto exited (${code}): ${output}`)));
    child.once('error', (error) => reject(new Error(`cannot start mosquitto: ${error.message}`)));
  });
  return {
    url: `mqtt://127.0.0.1:${port}`,
    async stop() {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
