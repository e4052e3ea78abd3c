/**
 * Live mode with a real provider: an OVMS module (faked here, publishing to the local broker as
 * the v3 firmware does) is connected through Connect's OVMS sign-in form in Chromium; the app then
 * reads the module's values through the official SDK.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import smartcar from 'smartcar';
import { launchBrowser } from './support/browser.js';
import { localBrokerUrl, startPrivateBroker, type Broker } from './support/mqtt-broker.js';
import { fakeOvmsModule, type FakeModule } from './support/ovms-module.js';
import { pointSdkAt, startPlatform, type TestPlatform } from './support/platform.js';

interface Access { accessToken: string; refreshToken: string; expiration: Date }
interface AuthClient {
  getAuthUrl(scope: string[], options?: Record<string, unknown>): string;
  exchangeCode(code: string): Promise<Access>;
}
const { AuthClient } = smartcar as unknown as { AuthClient: new (options: Record<string, unknown>) => AuthClient };

const VIN = '1N4AZ0CP5FC300001';
const PRIVATE_USER = 'alice';
const PRIVATE_PASSWORD = randomBytes(12).toString('hex');

let tp: TestPlatform;
let browser: Browser;
let auth: AuthClient;
let callback: string;
let module: FakeModule;
let broker: Broker;
let localBroker: string;

before(async () => {
  tp = await startPlatform();
  browser = await launchBrowser();
  broker = await startPrivateBroker(PRIVATE_USER, PRIVATE_PASSWORD);
  localBroker = await localBrokerUrl();
  pointSdkAt(tp.baseUrl);
  callback = `${tp.baseUrl}/demo/callback`;
  const app = await tp.platform.services.apps.create({ name: 'Charge Planner', redirectUris: [callback] });
  auth = new AuthClient({ clientId: app.clientId, clientSecret: app.clientSecret, redirectUri: callback, mode: 'live' });
  module = await fakeOvmsModule();
  await module.publish({
    'v.vin': VIN, 'v.type': 'NL', 'v.p.odometer': '12345.6', 'v.b.soc': '82.5', 'v.b.range.est': '201.5',
    'v.c.pilot': 'yes', 'v.c.state': 'charging', 'v.c.charging': 'yes', 'v.p.latitude': '52.520008',
    'v.p.longitude': '13.404954', 'v.e.locked': 'yes', 's.v3.connected': 'yes',
  });
});
after(async () => {
  await module?.clear();
  await broker?.stop();
  await browser?.close();
  await tp?.close();
});

interface SignIn { server: string; username: string; password: string; vehicleId: string }

/** Opens Connect in live mode, picks OVMS and submits its sign-in form. */
async function signInToOvms(fields: SignIn): Promise<Page> {
  const page = await (await browser.newContext()).newPage();
  await page.goto(auth.getAuthUrl(['read_vehicle_info', 'read_vin', 'read_odometer', 'read_battery', 'read_charge', 'read_location', 'read_security', 'read_fuel', 'control_charge']));
  await page.getByRole('link', { name: 'Continue' }).click();
  await page.getByRole('button', { name: 'OVMS (Open Vehicle Monitoring System)' }).click();
  await assert.doesNotReject(page.getByRole('heading', { name: 'Sign in to OVMS (Open Vehicle Monitoring System)' }).waitFor());
  await page.getByLabel('MQTT server URL').fill(fields.server);
  await page.getByLabel('Username').fill(fields.username);
  await page.getByLabel('Password').fill(fields.password);
  await page.getByLabel('Vehicle ID').fill(fields.vehicleId);
  await page.getByRole('button', { name: 'Continue' }).click();
  return page;
}

async function formError(page: Page): Promise<string> {
  return (await page.getByRole('alert').textContent())?.trim() ?? '';
}

describe('Connect live mode: OVMS over MQTT', () => {
  let vehicle: InstanceType<typeof smartcar.Vehicle>;

  test('the owner picks OVMS, signs in with the module\'s broker credentials, selects the car and allows', async () => {
    const page = await signInToOvms({ server: localBroker, username: module.user, password: 'any', vehicleId: module.vehicleId });
    await assert.doesNotReject(page.getByRole('heading', { name: 'Select the vehicles to share' }).waitFor());
    assert.equal(await page.getByRole('checkbox', { name: /2015 NISSAN Leaf/ }).isChecked(), true);
    await page.getByRole('button', { name: 'Continue' }).click();
    await page.getByRole('button', { name: 'Allow' }).click();
    await page.waitForURL(`${callback}?**`);
    const access = await auth.exchangeCode(new URL(page.url()).searchParams.get('code')!);
    const { vehicles } = await smartcar.getVehicles(access.accessToken);
    assert.equal(vehicles.length, 1);
    vehicle = new smartcar.Vehicle(vehicles[0]!, access.accessToken);
  });

  test('SDK reads return the module\'s values in metric units', async () => {
    const attributes = await vehicle.attributes();
    assert.deepEqual([attributes.make, attributes.model, attributes.year], ['NISSAN', 'Leaf', 2015]);
    assert.equal((await vehicle.vin()).vin, VIN);
    assert.equal((await vehicle.odometer()).distance, 12345.6);
    const battery = await vehicle.battery();
    assert.deepEqual([battery.percentRemaining, battery.range], [0.825, 201.5]);
    const charge = await vehicle.charge();
    assert.deepEqual([charge.isPluggedIn, charge.state], [true, 'CHARGING']);
    const location = await vehicle.location();
    assert.deepEqual([location.latitude, location.longitude], [52.520008, 13.404954]);
    assert.equal((await vehicle.lockStatus()).isLocked, true);
  });

  test('the vehicle service reads the module\'s metrics as catalog signals, each code failing alone', async () => {
    await module.publish({
      'v.p.direction': '271', 'v.p.speed': '0', 'v.d.fl': 'no', 'v.d.fr': 'no', 'v.d.rl': 'no', 'v.d.rr': 'yes', 'v.d.cp': 'yes',
      'v.c.voltage': '230', 'v.c.current': '16', 'v.c.power': '3.7', 'v.c.kwh': '4.2', 'v.c.limit.soc': '90', 'v.c.duration.soc': '75',
      'v.c.type': 'type2', 'v.b.12v.voltage': '12.62', 'v.e.cabintemp': '19.5', 'v.e.temp': '6', 'v.e.gear': '0', 'v.e.on': 'no',
      'v.e.awake': 'no', 'm.version': '3.3.004-32-g125e0841/ota_1/main',
    });
    const vehicles = tp.platform.services.vehicles;
    const car = (await vehicles.find(vehicle.id))!;
    assert.equal(vehicles.signalSupport(car)['tractionbattery-stateofcharge'], 'supported');
    const readings = await vehicles.readSignals(car, [
      'vehicleidentification-vin', 'tractionbattery-stateofcharge', 'tractionbattery-range', 'odometer-traveleddistance',
      'location-preciselocation', 'closure-islocked', 'closure-doors', 'charge-detailedchargingstatus', 'charge-wattage',
      'charge-chargelimits', 'charge-timetocomplete', 'charge-chargingconnectortype', 'lowvoltagebattery-stateofcharge',
      'climate-internaltemperature', 'transmission-gearstate', 'connectivitystatus-isonline', 'connectivitysoftware-currentfirmwareversion',
      'hvac-cabintargettemperature', 'internalcombustionengine-fuellevel',
    ]);
    const shown = Object.fromEntries([...readings].map(([code, o]) => [code, o.status === 'SUCCESS' ? o.body : `${o.error.category} ${o.error.code}`]));
    assert.deepEqual(shown, {
      'vehicleidentification-vin': { value: VIN },
      'tractionbattery-stateofcharge': { value: 82.5, unit: 'percent' },
      'tractionbattery-range': { value: 201.5, unit: 'km', additionalValues: [{ type: 'ESTIMATED', value: 201.5 }] },
      'odometer-traveleddistance': { value: 12345.6, unit: 'km' },
      'location-preciselocation': { latitude: 52.520008, longitude: 13.404954, heading: 271, direction: 'W' },
      'closure-islocked': { value: true },
      'closure-doors': {
        values: [
          { row: 0, column: 0, isOpen: false, isLocked: true }, { row: 0, column: 1, isOpen: false, isLocked: true },
          { row: 1, column: 0, isOpen: false, isLocked: true }, { row: 1, column: 1, isOpen: true, isLocked: true },
        ],
        rowCount: 2, columnCount: 2,
      },
      'charge-detailedchargingstatus': { value: 'CHARGING' },
      'charge-wattage': { value: 3700, unit: 'watts' },
      'charge-chargelimits': { values: [{ type: 'GLOBAL', limit: 90, condition: null }], activeLimit: 90, unit: 'percent' },
      'charge-timetocomplete': { value: 75, unit: 'minutes' },
      'charge-chargingconnectortype': { value: 'TYPE_2' },
      'lowvoltagebattery-stateofcharge': { value: 90, unit: 'percent' },
      'climate-internaltemperature': { value: 19.5, unit: 'celsius' },
      'transmission-gearstate': { value: 'PARK' },
      'connectivitystatus-isonline': { value: true },
      'connectivitysoftware-currentfirmwareversion': { value: '3.3.004-32-g125e0841' },
      'hvac-cabintargettemperature': 'Upstream INVALID_DATA',
      'internalcombustionengine-fuellevel': 'NotCapable VEHICLE_NOT_CAPABLE',
    });
    const soc = readings.get('tractionbattery-stateofcharge')!;
    assert.ok(soc.status === 'SUCCESS' && soc.observedAt <= soc.fetchedAt, 'dated when carport received the metric');
    const vin = readings.get('vehicleidentification-vin')!;
    assert.ok(vin.status === 'SUCCESS' && vin.observedAt.getTime() === 0, 'the VIN is a fixed attribute');
  });

  test('a metric the module publishes later is seen by the next read', async () => {
    await module.publish({ 'v.p.odometer': '12401.2', 'v.c.state': 'done', 'v.c.charging': 'no', 'v.e.locked': 'no' });
    assert.equal((await vehicle.odometer()).distance, 12401.2);
    const car = (await tp.platform.services.vehicles.find(vehicle.id))!;
    const odometer = (await tp.platform.services.vehicles.readSignals(car, ['odometer-traveleddistance'])).get('odometer-traveleddistance');
    assert.deepEqual(odometer?.status === 'SUCCESS' && odometer.body, { value: 12401.2, unit: 'km' });
    assert.equal((await vehicle.charge()).state, 'FULLY_CHARGED');
    assert.equal((await vehicle.lockStatus()).isLocked, false);
  });

  test('start and stop charging go to the module as commands and succeed once its charge metrics show it', async () => {
    await module.publish({ 'v.c.pilot': 'yes', 'v.c.state': 'stopped', 'v.c.charging': 'no' });
    assert.equal((await vehicle.startCharge()).status, 'success');
    assert.equal((await vehicle.charge()).state, 'CHARGING');
    await assert.rejects(vehicle.startCharge(), (error: InstanceType<typeof smartcar.SmartcarError>) => {
      assert.deepEqual([error.type, error.code], ['VEHICLE_STATE', 'CHARGING_IN_PROGRESS']);
      return true;
    });
    assert.equal((await vehicle.stopCharge()).status, 'success');
    assert.equal((await vehicle.charge()).state, 'NOT_CHARGING');
    assert.deepEqual(module.commands, ['charge start', 'charge stop'], 'the refused start never reached the car');
    await module.publish({ 'v.c.pilot': 'no' });
    await assert.rejects(vehicle.startCharge(), (error: InstanceType<typeof smartcar.SmartcarError>) => {
      assert.equal(error.code, 'CHARGING_PLUG_NOT_CONNECTED');
      return true;
    });
    await module.publish({ 'v.c.pilot': 'yes' });
  });

  test('fuel, which an electric OVMS car lacks, is VEHICLE_NOT_CAPABLE', async () => {
    await assert.rejects(vehicle.fuel(), (error: InstanceType<typeof smartcar.SmartcarError>) => {
      assert.equal(error.code, 'VEHICLE_NOT_CAPABLE');
      return true;
    });
  });

  test('the broker password is stored only sealed and never logged', async () => {
    const privateModule = await fakeOvmsModule({ server: broker.url, user: PRIVATE_USER, password: PRIVATE_PASSWORD });
    try {
      await privateModule.publish({ 'v.type': 'RT', 'v.p.odometer': '4.2' });
      const page = await signInToOvms({ server: broker.url, username: PRIVATE_USER, password: PRIVATE_PASSWORD, vehicleId: privateModule.vehicleId });
      await assert.doesNotReject(page.getByRole('checkbox', { name: new RegExp(`RENAULT Twizy VIN ${privateModule.vehicleId}`) }).waitFor());
    } finally {
      await privateModule.clear();
    }
    const states = await tp.platform.db.selectFrom('vehicles').select('state').where('mode', '=', 'live').execute();
    assert.equal(states.length, 2);
    for (const { state } of states) assert.ok(!state.includes(PRIVATE_PASSWORD) && !state.includes(PRIVATE_USER), 'credentials only sealed');
    assert.ok(!tp.logs.join('').includes(PRIVATE_PASSWORD), 'the password is never logged');
  });

  test('a vehicle id no module publishes as is refused on the form, keeping what was typed but the password', async () => {
    const page = await signInToOvms({ server: localBroker, username: module.user, password: 'secret-typed', vehicleId: 'NOSUCHCAR' });
    assert.equal(await formError(page), `No OVMS module publishes as ${module.user}/NOSUCHCAR on that server.`);
    assert.equal(await page.getByLabel('Username').inputValue(), module.user);
    assert.equal(await page.getByLabel('Password').inputValue(), '');
  });

  test('an unreachable server is refused on the form', async () => {
    const closed = new URL(broker.url);
    closed.port = '1';
    const page = await signInToOvms({ server: closed.toString().replace(/\/$/, ''), username: 'x', password: 'y', vehicleId: 'EV1' });
    assert.equal(await formError(page), 'Cannot reach the MQTT server at mqtt://127.0.0.1:1.');
  });

  test('credentials the server refuses are refused on the form', async () => {
    const page = await signInToOvms({ server: broker.url, username: PRIVATE_USER, password: 'wrong', vehicleId: 'EV1' });
    assert.equal(await formError(page), 'The MQTT server refused this username and password.');
  });

  test('a server that is not an MQTT URL is refused before connecting', async () => {
    const page = await signInToOvms({ server: 'http://127.0.0.1:1883', username: 'x', password: 'y', vehicleId: 'EV1' });
    assert.equal(await formError(page), 'Enter the MQTT server as mqtt://host:port or mqtts://host:port.');
  });
});
