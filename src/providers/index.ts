export type {
  VehicleProvider, VehicleRef, CapabilityMatrix, Support, SignalReaders, CommandHandlers, ProviderStateStore, ProviderHealth,
} from './provider.js';
export * as simulator from './simulator/index.js';
