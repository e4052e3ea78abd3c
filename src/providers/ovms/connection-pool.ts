/** The live OVMS connections, one per owner's credentials, bounded: the oldest is closed to make room. */
import { createHash } from 'node:crypto';
import { OvmsConnection, type ConnectionOptions } from './connection.js';
import type { OvmsCredentials } from './credentials.js';

const MAX_CONNECTIONS = 1_000;

export class ConnectionPool {
  private readonly connections = new Map<string, OvmsConnection>();

  constructor(private readonly options: ConnectionOptions) {}

  /** The password is part of the key, so a stale one never reads through another's connection. */
  of(credentials: OvmsCredentials): OvmsConnection {
    const key = createHash('sha256').update([credentials.server, credentials.username, credentials.password].join('\n')).digest('hex');
    let connection = this.connections.get(key);
    if (!connection) {
      if (this.connections.size >= MAX_CONNECTIONS) this.evictOldest();
      connection = new OvmsConnection(credentials, this.options);
      this.connections.set(key, connection);
    }
    return connection;
  }

  private evictOldest(): void {
    const [key, oldest] = this.connections.entries().next().value ?? [];
    if (key === undefined || !oldest) return;
    this.connections.delete(key);
    oldest.close().catch((error: unknown) => this.options.log.warn({ err: error }, 'closing an OVMS connection failed'));
  }

  async close(): Promise<void> {
    const all = [...this.connections.values()];
    this.connections.clear();
    await Promise.allSettled(all.map((c) => c.close()));
  }
}
