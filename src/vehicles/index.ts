export {
  vehicleService, type VehicleService, type Vehicle, type NewAccount, type StateWriteHook, type AlongsideStateWrite,
} from './vehicle-service.js';
export { testAccountKey } from './test-accounts.js';
export {
  createSimulatedVehicle, signInSimulated, simulatedAccountKey, describeVehicle,
  type NewSimulatedVehicle, type SimulatedVehicle,
} from './simulated-accounts.js';
export * from './compatibility.js';
