/**
 * Counting wrapped around what the metrics count without the counted code knowing: each provider's
 * reads and commands by outcome, and each rate limit's refusals.
 */
import type { RateLimiter } from '../core/index.js';
import type { CommandHandlers, VehicleProvider } from '../providers/index.js';
import type { PlatformMetrics } from './metrics.js';

/**
 * Counts the provider's reads and commands. The provider object itself is given counted methods
 * (not wrapped in another object): its own methods keep their `this` and its state stays one.
 */
export function meterProvider(provider: VehicleProvider, metrics: PlatformMetrics): VehicleProvider {
  const read = provider.readSignals.bind(provider);
  const counted = metrics.providerOperations(provider.name, 'read');
  const countedCommand = metrics.providerOperations(provider.name, 'command');
  provider.readSignals = (vehicle, codes) => read(vehicle, codes).then((readings) => {
    counted(true);
    return readings;
  }, (error: unknown) => {
    counted(false);
    throw error;
  });
  const commands: Record<string, (...args: never[]) => Promise<void>> = {};
  for (const [name, handler] of Object.entries(provider.commands) as [string, ((...args: never[]) => Promise<void>) | undefined][]) {
    if (!handler) continue;
    commands[name] = async (...args) => {
      try {
        await handler(...args);
        countedCommand(true);
      } catch (error) {
        countedCommand(false);
        throw error;
      }
    };
  }
  (provider as { commands: CommandHandlers }).commands = commands as CommandHandlers;
  return provider;
}

/** The limiter, counting each refusal under `limit`'s name (a shared store's when its answer comes). */
export function countRefusals(limiter: RateLimiter, limit: string, metrics: PlatformMetrics): RateLimiter {
  const counted = (wait: number) => {
    if (wait > 0) metrics.refused(limit);
    return wait;
  };
  return {
    ...limiter,
    take(key, nowMs) {
      const wait = limiter.take(key, nowMs);
      return typeof wait === 'number' ? counted(wait) : wait.then(counted);
    },
  };
}
