/** Opening the configured services for a one-shot CLI command. */
import type { Command } from 'commander';
import { loadConfig, type Config, type ConfigInput } from '../config.js';
import { createServices, type Services } from '../server.js';

export function configFrom(command: Command, overrides: ConfigInput = {}): Config {
  const globals = command.optsWithGlobals<{ databaseUrl?: string }>();
  return loadConfig(process.env, { databaseUrl: globals.databaseUrl, ...overrides });
}

/** Runs `work` with services on the configured database, closing it afterwards. */
export async function withServices<T>(command: Command, work: (services: Services) => Promise<T>): Promise<T> {
  const { db, services } = await createServices(configFrom(command));
  try {
    return await work(services);
  } finally {
    await db.destroy();
  }
}
