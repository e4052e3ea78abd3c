export { openDatabase, migrate, databaseKind, type Db, type DatabaseKind } from './database.js';
export { appsRepository, type AppsRepository, type AppRecord } from './apps-repository.js';
export { vehiclesRepository, type VehiclesRepository, type VehicleRecord, type AccountRecord } from './vehicles-repository.js';
export {
  grantsRepository, type GrantsRepository, type GrantRecord, type AuthorizationRecord, type TokenRecord,
} from './grants-repository.js';
