export type {
  SignalOutcome, SignalReadings, SignalSupport,
  VehicleProvider, VehicleRef, CapabilityMatrix, Support, CommandHandlers, ProviderStateStore, ProviderHealth,
  SignInField, LiveSignIn, LiveAccount, LiveVehicle,
} from './provider.js';
export { SignInError } from './provider.js';
export * as simulator from './simulator/index.js';
export * as ovms from './ovms/index.js';
