/** Generates an owner's simulated vehicles, deterministically from a seed (brand + account). */
import type { Powertrain } from '../../core/index.js';
import { findBrand, modelsOf } from './catalog.js';
import { createInitialState } from './initial-state.js';
import { seededRandom } from './random.js';
import type { SimSnapshot } from './state.js';
import { generateVin } from './vin.js';

export interface GeneratedVehicle {
  make: string;
  model: string;
  year: number;
  vin: string;
  powertrain: Powertrain;
  snapshot: SimSnapshot;
}

export class UnknownMakeError extends Error {}

/** `model`, when given, restricts the fleet to that model of the make (case-insensitive). */
export function generateFleet(make: string, seed: string, count: number, now: Date, model?: string): GeneratedVehicle[] {
  const brand = findBrand(make);
  const models = modelsOf(make).filter((m) => !model || m.model.toLowerCase() === model.trim().toLowerCase());
  if (!brand || models.length === 0) {
    throw new UnknownMakeError(`the simulator has no vehicles of make ${make}${model ? ` and model ${model}` : ''}`);
  }
  const random = seededRandom(`${brand.make}:${seed}`);
  return Array.from({ length: count }, () => {
    const spec = random.pick(models);
    const lastYear = Math.min(spec.years[1], now.getUTCFullYear());
    const year = random.int(Math.min(spec.years[0], lastYear), lastYear);
    return {
      make: spec.make,
      model: spec.model,
      year,
      vin: generateVin(random.pick(brand.wmis), year, random),
      powertrain: spec.powertrain,
      snapshot: createInitialState(spec, year, random, now),
    };
  });
}
