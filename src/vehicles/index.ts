export { vehicleService, type VehicleService, type Vehicle, type NewAccount } from './vehicle-service.js';
export { testAccountKey } from './test-accounts.js';
