export { SimulatorProvider, type SimValues } from './simulator-provider.js';
export { SCENARIO_NAMES, ScenarioError, StepsSchema, type ScenarioName } from './scenarios.js';
export { generateFleet, UnknownMakeError, type GeneratedVehicle } from './fleet.js';
export { BRANDS, MODELS, capabilityMatrix, findBrand, findModel, modelsOf } from './catalog.js';
export { isValidVin, isWellFormedVin, modelYearCode } from './vin.js';
export type { BrandProfile, ModelSpec } from './catalog-types.js';
export type { SimSnapshot } from './state.js';
export { SIM_VALUES_V3_SHAPE } from './values-schema.js';
export { FAULT_KINDS, isFaultKind, type FaultKind } from './faults.js';
