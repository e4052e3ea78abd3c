/**
 * The MQTT brokers the OVMS tests talk to. With `MQTT_URL` set (CI runs a real Mosquitto there),
 * the shared broker is that one and a password-protected broker is a private Mosquitto; without it,
 * both are aedes brokers inside the test process, so a machine with nothing but Node runs the tests.
 */
import type { AuthenticateError } from 'aedes';
import { startAedes } from './aedes-broker.js';
import { startMosquitto } from './mosquitto.js';

export interface Broker {
  url: string;
  stop(): Promise<void>;
}

let shared: Promise<string> | undefined;

/** The broker that takes any credentials: `MQTT_URL`, or one in-process broker per test process. */
export function localBrokerUrl(): Promise<string> {
  shared ??= process.env.MQTT_URL
    ? Promise.resolve(process.env.MQTT_URL)
    : startAedes().then((broker) => {
      // Never stopped: it lives as long as the test process, which it must not keep running.
      broker.unref();
      return broker.url;
    });
  return shared;
}

/** A broker that accepts only `user` with `password`, for what the shared one cannot show: a refusal. */
export async function startPrivateBroker(user: string, password: string): Promise<Broker> {
  if (process.env.MQTT_URL) return startMosquitto(user, password);
  const expected = Buffer.from(password, 'utf8');
  return startAedes({
    authenticate(_client, username, given, done) {
      if (username === user && given?.equals(expected)) return done(null, true);
      const refused = Object.assign(new Error('bad username or password'), {
        returnCode: 4 as AuthenticateError['returnCode'], // CONNACK 4: bad user name or password
      });
      done(refused, null);
    },
  });
}
