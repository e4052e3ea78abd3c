/**
 * An MQTT broker inside the test process (aedes, served on a free port of 127.0.0.1), for machines
 * without Mosquitto.
 *
 * Mosquitto sends a new subscription's retained messages right after its SUBACK, before it reads
 * the client's next packet, and carport's OVMS code relies on that order (the answer to a later
 * UNSUBSCRIBE marks "every retained value is in"). aedes streams them later, one per event-loop
 * turn, so that answer can overtake them. This broker sends them before the SUBACK instead, which
 * MQTT 3.1.1 §3.8.4 permits: what carport observes is Mosquitto's order.
 */
import { createServer, type AddressInfo } from 'node:net';
import { Readable } from 'node:stream';
import { Aedes, type AedesOptions, type Client, type Subscription } from 'aedes';

export interface InProcessBroker {
  url: string;
  stop(): Promise<void>;
  /** For a broker that lives as long as the process: nothing of it keeps the process alive. */
  unref(): void;
}

interface RetainedPacket {
  topic: string;
  payload: Buffer;
  qos: 0 | 1 | 2;
}

interface Persistence {
  createRetainedStreamCombi(patterns: string[]): Readable;
}

/** aedes' own delivery to one client, which it uses for retained messages too (not in its types). */
type Deliver = (packet: Record<string, unknown>, done: () => void) => void;

function deliverTo(client: Client): Deliver {
  const deliver = (client as unknown as { deliverQoS?: Deliver }).deliverQoS;
  if (typeof deliver !== 'function') throw new Error('aedes clients no longer have deliverQoS: update aedes-broker.ts');
  return deliver;
}

function internal<T>(aedes: Aedes, name: string): T {
  const value = (aedes as unknown as Record<string, T | undefined>)[name];
  if (value === undefined) throw new Error(`aedes no longer has ${name}: update aedes-broker.ts`);
  return value;
}

export async function startAedes(options: Pick<AedesOptions, 'authenticate'> = {}): Promise<InProcessBroker> {
  let retained: Persistence['createRetainedStreamCombi'] = () => Readable.from([]);
  const aedes = await Aedes.createBroker({
    ...options,
    authorizeSubscribe(client: Client, subscription: Subscription, done: (error: Error | null, subscription?: Subscription | null) => void) {
      void (async () => {
        for await (const packet of retained([subscription.topic]) as AsyncIterable<RetainedPacket>) {
          const qos = Math.min(packet.qos, subscription.qos);
          // No brokerId: retained copies must pass aedes' duplicate filter, as its own do.
          await new Promise<void>((resolve) => deliverTo(client).call(client, {
            cmd: 'publish', topic: packet.topic, payload: packet.payload, qos, retain: true, brokerId: null,
          }, resolve));
        }
      })().then(() => done(null, subscription), (error: Error) => done(error));
    },
  });
  const persistence = internal<Persistence>(aedes, 'persistence');
  retained = persistence.createRetainedStreamCombi.bind(persistence);
  // aedes' own, later delivery: already done above.
  persistence.createRetainedStreamCombi = () => Readable.from([]);

  const server = createServer((socket) => aedes.handle(socket));
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  return {
    url: `mqtt://127.0.0.1:${(server.address() as AddressInfo).port}`,
    async stop() {
      await new Promise<void>((resolve) => aedes.close(() => resolve()));
      await new Promise((resolve) => server.close(resolve));
    },
    unref() {
      server.unref();
      // Clients in this process hold their own ends open as long as they need them.
      server.on('connection', (socket) => socket.unref());
      for (const name of ['_heartbeatInterval', '_clearWillInterval']) internal<NodeJS.Timeout>(aedes, name).unref();
    },
  };
}
