/**
 * A fake OVMS module: publishes retained metrics the way the v3 firmware does (`ovms/<user>/<id>/
 * metric/<name with . → />`, text payloads), each acknowledged by the broker (QoS 1) before the
 * test goes on. `clear` removes its retained values so no later test sees them.
 */
import { randomBytes } from 'node:crypto';
import mqtt, { type MqttClient } from 'mqtt';

export const LOCAL_BROKER = 'mqtt://127.0.0.1:1883';

export interface FakeModule {
  user: string;
  vehicleId: string;
  publish(metrics: Record<string, string>): Promise<void>;
  clear(): Promise<void>;
}

export async function fakeOvmsModule(options: { server?: string; user?: string; password?: string } = {}): Promise<FakeModule> {
  const user = options.user ?? `owner-${randomBytes(4).toString('hex')}`;
  const vehicleId = `EV${randomBytes(3).toString('hex').toUpperCase()}`;
  const client: MqttClient = await mqtt.connectAsync(options.server ?? LOCAL_BROKER, {
    username: user, password: options.password, clientId: vehicleId, reconnectPeriod: 0,
  });
  const published = new Set<string>();
  const topic = (name: string) => `ovms/${user}/${vehicleId}/metric/${name.replaceAll('.', '/')}`;
  return {
    user,
    vehicleId,
    async publish(metrics) {
      for (const [name, value] of Object.entries(metrics)) {
        await client.publishAsync(topic(name), value, { retain: true, qos: 1 });
        published.add(name);
      }
    },
    async clear() {
      for (const name of published) await client.publishAsync(topic(name), '', { retain: true, qos: 1 });
      await client.endAsync();
    },
  };
}
