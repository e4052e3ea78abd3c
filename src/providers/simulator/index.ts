export { SimulatorProvider } from './simulator-provider.js';
export { generateFleet, UnknownMakeError, type GeneratedVehicle } from './fleet.js';
export { BRANDS, MODELS, findBrand, modelsOf } from './catalog.js';
export type { BrandProfile, ModelSpec } from './catalog-types.js';
export type { SimSnapshot } from './state.js';
