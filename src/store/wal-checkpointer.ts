/**
 * Moves an SQLite file's WAL checkpoints off the main thread. SQLite checkpoints inside whichever
 * commit pushes the log past its threshold, and a checkpoint fsyncs the database: on the thread
 * that serves requests that stalled every request behind it (a steady write load such as the
 * request log cost a third of the odometer read's throughput on a virtual disk; with the
 * checkpoints elsewhere, a twentieth). The main connection gets `wal_autocheckpoint = 0` and a
 * worker thread with its own connection checkpoints every `everyMs`.
 */
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import type SQLite from 'better-sqlite3';

/**
 * The worker's whole program: a second connection that checkpoints PASSIVE (copies what no reader
 * still needs, never waits for a lock) every `everyMs`, and once more before closing. Plain
 * CommonJS given as source, so it runs the same from the build and under the TypeScript loader
 * (which Node 20 does not carry into worker threads).
 */
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const SQLite = require(workerData.driver);
const sqlite = new SQLite(workerData.file, { timeout: 5000 });
const checkpoint = () => {
  try {
    sqlite.pragma('wal_checkpoint(PASSIVE)');
  } catch (error) {
    parentPort.postMessage({ failed: String(error && error.message) });
  }
};
const timer = setInterval(checkpoint, workerData.everyMs);
parentPort.on('message', (message) => {
  if (message !== 'stop') return;
  clearInterval(timer);
  checkpoint();
  sqlite.close();
  parentPort.close();
});
`;

const DRIVER = createRequire(import.meta.url).resolve('better-sqlite3');

export interface WalCheckpointer {
  /** Checkpoints once more, then closes the worker's connection; returns at once. */
  stop(): void;
}

export function checkpointElsewhere(sqlite: SQLite.Database, file: string, everyMs = 5000): WalCheckpointer {
  sqlite.pragma('wal_autocheckpoint = 0');
  const worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { driver: DRIVER, file, everyMs } });
  // Never what keeps a process alive; a failed checkpoint is tried again at the next tick.
  worker.unref();
  worker.on('error', () => {
    // Without its worker the connection checkpoints as SQLite does by default.
    sqlite.pragma('wal_autocheckpoint = 1000');
  });
  return {
    stop() {
      worker.postMessage('stop');
    },
  };
}
