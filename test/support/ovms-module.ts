/**
 * A fake OVMS module: publishes retained metrics the way the v3 firmware does (`ovms/<user>/<id>/
 * metric/<name with . → />`, text payloads), each acknowledged by the broker (QoS 1) before the
 * test goes on. Like the firmware it runs commands sent on `client/<id>/command/<n>` and answers
 * on `client/<id>/response/<n>`; `charge start|stop` change its charge metrics as a car would.
 * `clear` removes its retained values so no later test sees them.
 */
import { randomBytes } from 'node:crypto';
import mqtt, { type MqttClient } from 'mqtt';
import { localBrokerUrl } from './mqtt-broker.js';

export { localBrokerUrl };

export interface FakeModule {
  user: string;
  vehicleId: string;
  publish(metrics: Record<string, string>): Promise<void>;
  /** The command lines the module was sent, in order. */
  commands: string[];
  clear(): Promise<void>;
}

export async function fakeOvmsModule(options: { server?: string; user?: string; password?: string } = {}): Promise<FakeModule> {
  const user = options.user ?? `owner-${randomBytes(4).toString('hex')}`;
  const vehicleId = `EV${randomBytes(3).toString('hex').toUpperCase()}`;
  const client: MqttClient = await mqtt.connectAsync(options.server ?? await localBrokerUrl(), {
    username: user, password: options.password, clientId: vehicleId, reconnectPeriod: 0,
  });
  const published = new Set<string>();
  const topic = (name: string) => `ovms/${user}/${vehicleId}/metric/${name.replaceAll('.', '/')}`;
  const publish = async (metrics: Record<string, string>) => {
    for (const [name, value] of Object.entries(metrics)) {
      await client.publishAsync(topic(name), value, { retain: true, qos: 1 });
      published.add(name);
    }
  };
  const commands: string[] = [];
  const effects: Record<string, [string, Record<string, string>]> = {
    'charge start': ['Charge has been started', { 'v.c.charging': 'yes', 'v.c.state': 'charging' }],
    'charge stop': ['Charge has been stopped', { 'v.c.charging': 'no', 'v.c.state': 'stopped' }],
  };
  client.on('message', (commandTopic, payload) => {
    const line = payload.toString('utf8');
    commands.push(line);
    const [reply, metrics] = effects[line] ?? ['Unrecognised command', {}];
    void client.publishAsync(commandTopic.replace('/command/', '/response/'), reply, { qos: 1 }).then(() => publish(metrics));
  });
  await client.subscribeAsync(`ovms/${user}/${vehicleId}/client/+/command/+`, { qos: 1 });
  return {
    user,
    vehicleId,
    publish,
    commands,
    async clear() {
      for (const name of published) await client.publishAsync(topic(name), '', { retain: true, qos: 1 });
      await client.endAsync();
    },
  };
}
