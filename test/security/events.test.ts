/**
 * Events are neither lost nor late: a command carport runs and a simulator control write produce
 * their events with the state change, so they reach a real receiver though the periodic look runs
 * only once an hour here; the first change after subscribing fires; a change made while reads
 * fail is reported once they succeed again.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import smartcar from 'smartcar';
import { MovableClock, pointSdkAt, startPlatform, type TestPlatform } from '../support/platform.js';
import { startReceiver, type Delivery, type Receiver } from '../support/receiver.js';
import { until } from '../support/until.js';

type SdkVehicle = InstanceType<typeof smartcar.Vehicle> & { subscribe(webhookId: string): Promise<Record<string, unknown>> };

/** The periodic look runs once an hour of the platform's clock: only a state write can deliver at once. */
const EVENT_POLL_MS = 3_600_000;
/** Generous for a loaded machine; what is waited for is a delivery, not a look. */
const WAIT_MS = 20_000;

const clock = new MovableClock();
let tp: TestPlatform;
let receiver: Receiver;

before(async () => {
  tp = await startPlatform({ webhookPollMs: 20, webhookEventPollMs: EVENT_POLL_MS, webhookRetryBaseMs: 100 }, { clock });
  pointSdkAt(tp.baseUrl);
  receiver = await startReceiver(() => tp.app.managementToken);
});
after(async () => {
  await tp.close();
  await receiver.close();
});

const basic = () => `Basic ${Buffer.from(`default:${tp.app.managementToken}`).toString('base64')}`;

async function management(method: string, path: string, body?: unknown): Promise<Record<string, unknown>> {
  const res = await fetch(`${tp.baseUrl}/v2.0/management${path}`, {
    method,
    headers: { authorization: basic(), ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const answer = (await res.json()) as Record<string, unknown>;
  assert.equal(res.status, 200, JSON.stringify(answer));
  return answer;
}

async function eventWebhook(triggers: string[], data: string[], version = '2.0'): Promise<string> {
  const created = await management('POST', '/webhooks', { url: receiver.url, type: 'event', triggers, data, version });
  assert.equal(created.status, 'active');
  return created.webhookId as string;
}

/** A test-mode EV, parked, unlocked and unplugged, set through the simulator controls. */
async function car(values: Record<string, unknown> = {}): Promise<{ vehicleId: string; vehicle: SdkVehicle }> {
  const { accessToken, vehicleIds } = await tp.token({ make: 'HYUNDAI', model: 'Ioniq 5' });
  const vehicleId = vehicleIds[0]!;
  await management('POST', `/simulator/vehicles/${vehicleId}/scenario`, { name: 'parked' });
  await management('POST', `/simulator/vehicles/${vehicleId}/values`, { isLocked: false, isPluggedIn: false, charger: null, ...values });
  return { vehicleId, vehicle: new smartcar.Vehicle(vehicleId, accessToken) as SdkVehicle };
}

/** Each event once (a retried delivery repeats its eventId), in the order first received. */
function once(deliveries: Delivery[], id: (d: Delivery) => string): Delivery[] {
  const seen = new Set<string>();
  return deliveries.filter((d) => !seen.has(id(d)) && seen.add(id(d)));
}

const v2Events = (webhookId: string) => once(
  receiver.deliveries.filter((d) => d.body.webhookId === webhookId && d.body.eventName === 'eventBased'),
  (d) => d.body.eventId as string,
).map((d) => (d.body.payload as { eventType: string }).eventType);

interface V4State {
  data: { triggers: { code: string }[]; signals: { code: string; body?: { value: unknown } }[] };
  meta: { webhookId: string };
}

const v4States = (webhookId: string) => once(
  receiver.deliveries.filter((d) => d.body.eventType === 'VEHICLE_STATE' && (d.body as unknown as V4State).meta.webhookId === webhookId),
  (d) => d.body.eventId as string,
).map((d) => d.body as unknown as V4State);

const atLeast = <T>(n: number, items: () => T[]) => () => {
  const now = items();
  return now.length >= n ? now : undefined;
};

describe('Events produced with the state change', () => {
  test('lock then unlock at once: two events, in order, in both payload versions', async () => {
    const v2 = await eventWebhook(['lock_state_changed'], ['/security']);
    const v4 = await eventWebhook(['lock_state_changed'], ['/security'], '4.0');
    const { vehicle } = await car();
    await vehicle.subscribe(v2);
    await vehicle.subscribe(v4);

    await vehicle.lock();
    await vehicle.unlock();

    assert.deepEqual(await until('LOCKED then UNLOCKED (v2.0)', atLeast(2, () => v2Events(v2)), WAIT_MS), ['LOCKED', 'UNLOCKED']);
    const states = await until('FIRST_DELIVERY, then two lock changes (v4.0)', atLeast(3, () => v4States(v4)), WAIT_MS);
    assert.deepEqual(states.map((s) => s.data.triggers.map((t) => t.code)), [['FIRST_DELIVERY'], ['closure-islocked'], ['closure-islocked']]);
    const locked = states.map((s) => s.data.signals.find((signal) => signal.code === 'closure-islocked')?.body?.value);
    assert.deepEqual(locked, [false, true, false]);
  });

  test('the first change right after subscribing fires', async () => {
    const webhookId = await eventWebhook(['charge_state_changed'], ['/charge']);
    const { vehicle } = await car({ soc: 0.5, chargeLimit: 0.8, isPluggedIn: true, charger: { powerKw: 11, dc: false } });
    await vehicle.subscribe(webhookId);
    await vehicle.startCharge();
    assert.deepEqual(await until('CHARGING_STARTED', atLeast(1, () => v2Events(webhookId)), WAIT_MS), ['CHARGING_STARTED']);
  });

  test('a simulator control write that changes a trigger field produces its event', async () => {
    const webhookId = await eventWebhook(['plugged_in', 'unplugged'], ['/charge']);
    const { vehicleId, vehicle } = await car();
    await vehicle.subscribe(webhookId);
    await management('POST', `/simulator/vehicles/${vehicleId}/values`, { isPluggedIn: true, charger: { powerKw: 11, dc: false } });
    assert.deepEqual(await until('PLUGGED_IN', atLeast(1, () => v2Events(webhookId)), WAIT_MS), ['PLUGGED_IN']);
  });

  // Moves the platform's clock by hours: kept last, so the other cars' looks stay an hour away while they run.
  test('a change made while reads fail is reported once they succeed again', async () => {
    const webhookId = await eventWebhook(['lock_state_changed'], ['/security']);
    const { vehicleId, vehicle } = await car();
    await vehicle.subscribe(webhookId);
    const nextLook = async () => (await tp.platform.db.selectFrom('webhook_subscriptions').select('next_due_at')
      .where('webhook_id', '=', webhookId).where('vehicle_id', '=', vehicleId).executeTakeFirstOrThrow()).next_due_at!;
    const lookAfter = async (instant: number) => {
      clock.advance(Math.max(0, instant - clock.now().getTime()) + 1000);
      const now = clock.now().getTime();
      await until('the periodic look', async () => Date.parse(await nextLook()) > now || undefined, WAIT_MS);
    };

    // One look before anything fails, so the next one is an hour away on the platform's clock.
    await lookAfter(Date.parse(await nextLook()));
    // The car's reads time out for an hour and a half of its clock; meanwhile it is locked from the simulator controls.
    await management('POST', `/simulator/vehicles/${vehicleId}/faults`, { kind: 'upstream_timeout', forSeconds: 5400 });
    await management('POST', `/simulator/vehicles/${vehicleId}/values`, { isLocked: true });
    await assert.rejects(vehicle.lockStatus());
    // A look while the reads fail, then one once the fault has passed on its own (no write to see it).
    await lookAfter(Date.parse(await nextLook()));
    assert.deepEqual(v2Events(webhookId), [], 'nothing to report while nothing can be read');
    await lookAfter(Date.parse(await nextLook()));
    assert.deepEqual(await until('LOCKED after recovery', atLeast(1, () => v2Events(webhookId)), WAIT_MS), ['LOCKED']);
  });
});
