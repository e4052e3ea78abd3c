/**
 * The HTTP dispatcher for requests made on a developer's behalf (webhook VERIFY and deliveries):
 * every connection it opens is checked against the address policy at connect time — an IP literal
 * before dialling, a name on every address it resolves to — so no answer ever comes from a refused
 * address, whatever the URL looked like when it was stored.
 */
import { Agent, buildConnector } from 'undici';
import type { AddressPolicy } from './address-policy.js';

export function outboundDispatcher(policy: AddressPolicy, options: { connectTimeoutMs: number }): Agent {
  const dial = buildConnector({ timeout: options.connectTimeoutMs, lookup: policy.lookup });
  const connect: buildConnector.connector = (target, callback) => {
    try {
      policy.checkLiteral(target.hostname);
    } catch (error) {
      process.nextTick(() => callback(error as Error, null));
      return;
    }
    dial(target, callback);
  };
  return new Agent({ connect });
}
