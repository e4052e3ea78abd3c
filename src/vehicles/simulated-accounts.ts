/**
 * Simulated-mode owners: a developer creates a simulated vehicle and gets its owner's credentials,
 * which sign in through Connect like a carmaker account (wrong password, no entry).
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Vehicle, VehicleService } from './vehicle-service.js';

export interface NewSimulatedVehicle {
  make: string;
  model?: string;
  seed?: string;
  /** The app creating it through the management API; it may then control the car. */
  developerAppId?: string;
}

export interface SimulatedVehicle {
  vehicleId: string;
  userId: string;
  vin: string;
  make: string;
  model: string;
  year: number;
  /** The owner's credentials for Connect in simulated mode; the password is shown only now. */
  email: string;
  password: string;
}

const sha256 = (value: string) => createHash('sha256').update(value).digest('hex');

export function simulatedAccountKey(email: string): string {
  return sha256(`simulated\n${email.trim().toLowerCase()}`);
}

export async function createSimulatedVehicle(vehicles: VehicleService, input: NewSimulatedVehicle): Promise<SimulatedVehicle> {
  const email = `sim-${randomBytes(6).toString('hex')}@simulated.carport.dev`;
  // 144 random bits: a fast hash at rest is enough, as for every other generated secret.
  const password = randomBytes(18).toString('base64url');
  const accountKey = simulatedAccountKey(email);
  const account = await vehicles.ensureSimulatedAccount({
    mode: 'simulated', make: input.make.toUpperCase(), accountKey, vehicleCount: 1, model: input.model,
    seed: input.seed ?? accountKey, passwordHash: sha256(password), developerAppId: input.developerAppId,
  });
  const vehicle = account.vehicles[0]!;
  return {
    vehicleId: vehicle.id, userId: account.accountId, vin: vehicle.vin, make: vehicle.make, model: vehicle.model,
    year: vehicle.year, email, password,
  };
}

/** The simulated account these credentials open, or undefined (same work either way). */
export async function signInSimulated(vehicles: VehicleService, email: string, password: string): Promise<string | undefined> {
  const account = await vehicles.findAccount('simulated', simulatedAccountKey(email));
  const presented = Buffer.from(sha256(password), 'hex');
  const stored = Buffer.from(account?.passwordHash ?? '0'.repeat(64), 'hex');
  const ok = stored.length === presented.length && timingSafeEqual(stored, presented);
  return account && account.passwordHash && ok ? account.id : undefined;
}

export function describeVehicle(v: Vehicle) {
  return { vehicleId: v.id, userId: v.accountId, vin: v.vin, make: v.make, model: v.model, year: v.year, mode: v.mode };
}
