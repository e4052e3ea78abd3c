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
 * still needs, never waits for a lock) every `everyMs`; told to stop, it closes and says so through
 * `done`, so the serving connection closes last and makes the final checkpoint itself. Plain
 * CommonJS given as source, so it runs the same from the build and under the TypeScript loader
 * (which Node 20 does not carry into worker threads).
 */
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const done = new Int32Array(workerData.done);
const finish = () => {
  Atomics.store(done, 0, 1);
  Atomics.notify(done, 0);
};
let sqlite = null;
try {
  sqlite = new (require(workerData.driver))(workerData.file, { timeout: 5000, fileMustExist: true });
} catch (error) {
  parentPort.postMessage({ failed: String(error && error.message) });
}
const checkpoint = () => {
  try {
    sqlite.pragma('wal_checkpoint(PASSIVE)');
  } catch (error) {
    parentPort.postMessage({ failed: String(error && error.message) });
  }
};
const timer = sqlite && setInterval(checkpoint, workerData.everyMs);
parentPort.on('message', (message) => {
  if (message !== 'stop') return;
  clearInterval(timer);
  try {
    if (sqlite) sqlite.close();
  } finally {
    finish();
    parentPort.close();
  }
});
if (!sqlite) finish();
`;

const DRIVER = createRequire(import.meta.url).resolve('better-sqlite3');

/** How long closing waits for the worker's connection to close (one checkpoint at most). */
const STOP_WAIT_MS = 5000;

export interface WalCheckpointer {
  /** Closes the worker's connection and waits (synchronously) until it has. */
  stop(): void;
}

export function checkpointElsewhere(sqlite: SQLite.Database, file: string, everyMs = 5000): WalCheckpointer {
  sqlite.pragma('wal_autocheckpoint = 0');
  const done = new SharedArrayBuffer(4);
  const worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { driver: DRIVER, file, everyMs, done } });
  // Never what keeps a process alive; a failed checkpoint is tried again at the next tick.
  worker.unref();
  let exited = false;
  worker.once('exit', () => { exited = true; });
  worker.on('error', () => {
    // Without its worker the connection checkpoints as SQLite does by default.
    if (sqlite.open) sqlite.pragma('wal_autocheckpoint = 1000');
  });
  return {
    stop() {
      if (exited) return;
      worker.postMessage('stop');
      // The database's files must be settled when closing returns: whoever removes or copies them next
      // may not find a worker still holding them.
      Atomics.wait(new Int32Array(done), 0, 0, STOP_WAIT_MS);
    },
  };
}
