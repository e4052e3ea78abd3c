import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { DayCount, RequestLogRepository } from '../store/index.js';
import type { CapturedRequest } from './recorded-row.js';
import { RequestRecorder } from './recorder.js';

/** A repository that keeps what it is given and, while `hold` is set, does not finish writing. */
function memoryRepository() {
  const rows: unknown[][] = [];
  const usage: DayCount[] = [];
  let release: (() => void) | null = null;
  let hold: Promise<void> | null = null;
  const repo = {
    async insertFlat(values: readonly unknown[]) {
      if (hold) await hold;
      for (let i = 0; i < values.length; i += 10) rows.push(values.slice(i, i + 10));
    },
    async addUsage(counts: readonly DayCount[]) {
      usage.push(...counts);
    },
  } as unknown as RequestLogRepository;
  return {
    repo, rows, usage,
    stall() {
      hold = new Promise((resolve) => { release = resolve; });
    },
    resume() {
      hold = null;
      release?.();
    },
  };
}

const APP = '0b8f6c1e-2d3a-4b5c-9d6e-7f8a9b0c1d2e';
const VEHICLE = '6F0C1D2E-3A4B-4C5D-8E6F-7A8B9C0D1E2F';
const at = Date.UTC(2026, 11, 2, 23, 59, 59, 999);

function captured(n: number, status = 200): CapturedRequest {
  return [at + n, APP, 'GET', `/v2.0/vehicles/${VEHICLE}/odometer?units=imperial`, status, status >= 400 ? { type: 'PERMISSION', code: null } : null, 1.6, `request-${n}`];
}

describe('RequestRecorder', () => {
  test('writes rows without the query string, the vehicle lower-cased, and counts per UTC day', async () => {
    const memory = memoryRepository();
    const recorder = new RequestRecorder(memory.repo, { warn: () => {} }, { flushMs: 60_000, maxBuffered: 10, batchSize: 2 });
    recorder.record(captured(0));
    recorder.record(captured(1, 403));
    recorder.record(captured(2));
    await recorder.stop();
    assert.deepEqual(memory.rows[1], [
      APP, at + 1, 'request-1', 'GET', `/v2.0/vehicles/${VEHICLE}/odometer`, VEHICLE.toLowerCase(), 403, 'PERMISSION', null, 2,
    ]);
    assert.equal(memory.rows.length, 3);
    assert.deepEqual(memory.usage, [
      { appId: APP, day: '2026-12-02', requests: 1, errors: 0 },
      { appId: APP, day: '2026-12-03', requests: 2, errors: 1 },
    ]);
  });

  test('past its bound, drops new requests while the database is behind, and says how many once', async () => {
    const memory = memoryRepository();
    const warnings: Record<string, unknown>[] = [];
    const recorder = new RequestRecorder(memory.repo, { warn: (details) => warnings.push(details) }, { flushMs: 60_000, maxBuffered: 3, batchSize: 10 });
    memory.stall();
    for (let i = 0; i < 3; i++) recorder.record(captured(i));
    const stalled = recorder.flush();
    // Once the write has taken the buffer (it starts on a later turn), the buffer is empty again.
    await new Promise((resolve) => setImmediate(resolve));
    // The stalled write holds three; three more wait; two beyond the bound are dropped.
    for (let i = 3; i < 8; i++) recorder.record(captured(i));
    memory.resume();
    await stalled;
    await recorder.stop();
    assert.deepEqual(memory.rows.map((r) => r[2]), ['request-0', 'request-1', 'request-2', 'request-3', 'request-4', 'request-5']);
    assert.deepEqual(warnings.map((w) => w.dropped), [2]);
  });

  test('a database that fails loses that batch, logged, and the recorder goes on', async () => {
    const memory = memoryRepository();
    const warnings: Record<string, unknown>[] = [];
    let failing = true;
    const repo = {
      ...memory.repo,
      async insertFlat(values: readonly unknown[]) {
        if (failing) throw new Error('disk full');
        return memory.repo.insertFlat(values);
      },
    } as RequestLogRepository;
    const recorder = new RequestRecorder(repo, { warn: (details) => warnings.push(details) }, { flushMs: 60_000, maxBuffered: 10, batchSize: 10 });
    recorder.record(captured(0));
    await recorder.flush();
    failing = false;
    recorder.record(captured(1));
    await recorder.stop();
    assert.deepEqual(memory.rows.map((r) => r[2]), ['request-1']);
    assert.equal(warnings[0]?.lost, 1);
  });
});
