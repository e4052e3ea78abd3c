export { registerV3Api, v3Operations } from './routes.js';
export { authenticateApplication, resolveVehicleAccess, userIdOf, type V3Deps, type VehicleAccess } from './access.js';
