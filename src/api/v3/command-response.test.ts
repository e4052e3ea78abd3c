/**
 * answerCommand (smartcar-v3.md §6.2): within the sync bound a command answers 200 or its error;
 * past it, 202 comes first and the outcome (success or error) follows as the body. The simulator
 * refuses commands before their latency, so a failure after a 202 is shown here with a command
 * the test finishes itself.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import Fastify, { type FastifyInstance } from 'fastify';
import { COMMANDS, systemClock, VehicleStateError } from '../../core/index.js';
import { registerErrorHandling } from '../error-handling.js';
import { answerCommand } from './command-response.js';

/** A command the test ends: `finish()` or `fail(error)`. */
function pendingCommand() {
  let finish!: () => void;
  let fail!: (error: unknown) => void;
  const done = new Promise<void>((resolve, reject) => {
    finish = resolve;
    fail = reject;
  });
  // Failed before the route runs it: not an unhandled rejection.
  done.catch(() => {});
  return { run: () => done, finish, fail };
}

let app: FastifyInstance;
let baseUrl: string;
let current: ReturnType<typeof pendingCommand>;
let syncMs = 0;

before(async () => {
  app = Fastify({ logger: false });
  registerErrorHandling(app);
  app.post('/v3/vehicles/:id/commands/security/lock', (request, reply) => answerCommand(
    request, reply, { clock: systemClock, commandSyncMs: syncMs },
    { spec: COMMANDS.lock, parameters: {}, executedAt: systemClock.now() }, current.run,
  ));
  await app.listen({ port: 0, host: '127.0.0.1' });
  const address = app.server.address();
  baseUrl = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
});
after(() => app.close());

const lock = () => fetch(`${baseUrl}/v3/vehicles/x/commands/security/lock`, { method: 'POST' });

describe('answerCommand', () => {
  test('a command that ends within the bound answers 200 with a sync execution', async () => {
    syncMs = 60_000;
    current = pendingCommand();
    current.finish();
    const res = await lock();
    assert.equal(res.status, 200);
    const body = (await res.json()) as { data: { attributes: Record<string, unknown> } };
    assert.deepEqual(body.data.attributes.status, { value: 'SUCCESS' });
    assert.equal(body.data.attributes.executionMode, 'sync');
  });

  test('a command that fails within the bound answers its error with its status', async () => {
    syncMs = 60_000;
    current = pendingCommand();
    current.fail(new VehicleStateError('DOOR_OPEN'));
    const res = await lock();
    assert.equal(res.status, 409);
    const body = (await res.json()) as { errors: { code: string }[] };
    assert.equal(body.errors[0]?.code, 'DOOR_OPEN');
  });

  test('past the bound, 202 comes before the outcome; a later failure is the execution’s ERROR status', async () => {
    syncMs = 0;
    current = pendingCommand();
    const res = await lock();
    assert.equal(res.status, 202);
    current.fail(new VehicleStateError('UNREACHABLE'));
    const body = JSON.parse(await res.text()) as { data: { attributes: { status: Record<string, unknown>; executionMode: string } } };
    assert.equal(body.data.attributes.executionMode, 'async');
    const status = body.data.attributes.status as { value: string; error: Record<string, unknown> };
    assert.equal(status.value, 'ERROR');
    assert.equal(status.error.status, '409');
    assert.equal(status.error.type, 'VEHICLE_STATE');
    assert.equal(status.error.code, 'UNREACHABLE');
    assert.deepEqual(status.error.resolution, { type: null });
    assert.equal(typeof status.error.description, 'string');
  });

  test('past the bound, an unexpected failure streams a generic SERVER error, never its message', async () => {
    syncMs = 0;
    current = pendingCommand();
    const res = await lock();
    assert.equal(res.status, 202);
    current.fail(new Error('secret internals'));
    const text = await res.text();
    assert.ok(!text.includes('secret internals'));
    const status = (JSON.parse(text) as { data: { attributes: { status: { error: Record<string, unknown> } } } }).data.attributes.status;
    assert.equal(status.error.type, 'SERVER');
    assert.equal(status.error.code, 'INTERNAL');
  });
});
