/**
 * What a car is rather than what it does: trim, colour, packages, wheels, name, software, the
 * owner's account and charge timer. Seeded from the vehicle id, so one car always reads the same
 * and no stored snapshot needs a new field; computed once per car and kept.
 */
import { BoundedMap } from '../../core/index.js';
import type { ModelSpec } from './catalog-types.js';
import { seededRandom, type Random } from './random.js';

export type Weekday = 'MONDAY' | 'TUESDAY' | 'WEDNESDAY' | 'THURSDAY' | 'FRIDAY' | 'SATURDAY' | 'SUNDAY';

export interface ChargeTimer {
  /** Off-peak window, local "HH:MM:SS". */
  start: string;
  end: string;
  days: readonly Weekday[];
  /** Ready-by time on workdays, local "HH:MM:SS". */
  departure: string | null;
  /** Only at home (a LOCATION timer) or anywhere (GLOBAL). */
  atHomeOnly: boolean;
  isOEMOptimizationEnabled: boolean;
}

export interface CarIdentity {
  trim: string;
  exteriorColor: string;
  packages: readonly string[];
  wheelStyle: string;
  nickname: string;
  firmwareVersion: string;
  driveMode: { canonical: string; oemDisplayName: string };
  isDigitalKeyPaired: boolean;
  role: 'OWNER' | 'DRIVER';
  permissions: readonly string[];
  chargeTimer: ChargeTimer | null;
  /** Charges to 100 % before the simulation began (Tesla counts them). */
  maxRangeChargesBefore: number;
}

const TRIMS: Readonly<Record<string, readonly string[]>> = {
  'Model 3': ['Standard Range Plus', 'Long Range', 'Performance'],
  'Model Y': ['Long Range', 'Performance'],
  'Model S': ['Long Range', 'Plaid'],
  'Model X': ['Long Range', 'Plaid'],
  'Bolt EV': ['1LT', '2LT'],
  Volt: ['LT', 'Premier'],
  'Silverado 1500': ['WT', 'LT', 'RST', 'LTZ', 'High Country'],
  'Equinox EV': ['1LT', '2LT', '3LT', '2RS', '3RS'],
  'Mustang Mach-E': ['Select', 'Premium', 'California Route 1', 'GT'],
  'F-150': ['XL', 'XLT', 'Lariat', 'King Ranch', 'Platinum'],
  'F-150 Lightning': ['Pro', 'XLT', 'Lariat', 'Platinum'],
  'Escape Plug-In Hybrid': ['SE', 'Titanium'],
  'ID.4': ['Standard', 'Pro', 'Pro S', 'AWD Pro S'],
  Golf: ['Life', 'Style', 'R-Line', 'GTI'],
  Atlas: ['SE', 'SE with Technology', 'SEL', 'SEL Premium'],
  Leaf: ['S', 'SV', 'SV Plus'],
  Rogue: ['S', 'SV', 'SL', 'Platinum'],
  Ariya: ['Engage', 'Venture+', 'Evolve+', 'Platinum+'],
  i4: ['eDrive35', 'eDrive40', 'xDrive40', 'M50'],
  '330i': ['330i', '330i xDrive'],
  'Ioniq 5': ['SE Standard Range', 'SE', 'SEL', 'Limited'],
  'Tucson Hybrid': ['Blue', 'SEL Convenience', 'N Line', 'Limited'],
  'Kona Electric': ['SE', 'SEL', 'Limited'],
  EV6: ['Light', 'Wind', 'GT-Line', 'GT'],
  'Niro Plug-In Hybrid': ['EX', 'SX Touring'],
  Telluride: ['LX', 'S', 'EX', 'SX'],
  'RAV4 Prime': ['SE', 'XSE'],
  'Camry Hybrid': ['LE', 'SE', 'XLE', 'XSE'],
  Corolla: ['L', 'LE', 'SE', 'XSE'],
  bZ4X: ['XLE', 'Limited'],
  EQS: ['EQS 450+', 'EQS 450 4MATIC', 'EQS 580 4MATIC'],
  'C 300': ['C 300', 'C 300 4MATIC'],
  'e-tron': ['Premium', 'Premium Plus', 'Prestige'],
  'Q8 e-tron': ['Premium', 'Premium Plus', 'Prestige'],
  A4: ['Premium', 'Premium Plus', 'Prestige'],
  R1T: ['Adventure', 'Explore', 'Launch Edition'],
  R1S: ['Adventure', 'Explore', 'Launch Edition'],
  'Wrangler 4xe': ['Sahara', 'Rubicon', 'High Altitude'],
  'Grand Cherokee': ['Laredo', 'Limited', 'Overland', 'Summit'],
  'XC40 Recharge': ['Core', 'Plus', 'Ultimate'],
  'XC90 Recharge': ['Core', 'Plus', 'Ultimate'],
  Taycan: ['Taycan', '4S', 'GTS', 'Turbo', 'Turbo S'],
  Cayenne: ['Cayenne', 'S', 'GTS', 'Turbo'],
};

const COLORS: Readonly<Record<string, readonly string[]>> = {
  TESLA: ['Pearl White Multi-Coat', 'Solid Black', 'Midnight Silver Metallic', 'Deep Blue Metallic', 'Red Multi-Coat'],
  RIVIAN: ['Glacier White', 'Forest Green', 'Rivian Blue', 'El Cap Granite', 'Launch Green'],
  BMW: ['Alpine White', 'Black Sapphire Metallic', 'Portimao Blue Metallic', 'Brooklyn Grey Metallic'],
  PORSCHE: ['White', 'Jet Black Metallic', 'Gentian Blue Metallic', 'Carmine Red'],
};
const GENERIC_COLORS = ['White', 'Black', 'Silver', 'Grey', 'Blue', 'Red'];

const PACKAGES: Readonly<Record<string, readonly string[]>> = {
  TESLA: ['Enhanced Autopilot', 'Full Self-Driving Capability', 'Premium Connectivity'],
  RIVIAN: ['Max Pack', 'All-Terrain Upgrade', 'Camp Kitchen'],
};
const GENERIC_PACKAGES = ['Technology Package', 'Cold Weather Package', 'Driver Assistance Package', 'Premium Audio'];

const WHEELS: Readonly<Record<string, readonly string[]>> = {
  TESLA: ['Aero 18"', 'Sport 19"', 'Induction 20"', 'Uberturbine 20"'],
};
const GENERIC_WHEELS = ['Alloy 18"', 'Alloy 19"', 'Alloy 20"'];

const NICKNAMES = ['Roadrunner', 'Blue Thunder', 'Sparky', 'The Commuter', 'Bessie', 'Voltaire', 'Silver Arrow', 'Nimbus'];

/** Drive modes: the canonical name and how the carmaker writes it. */
const DRIVE_MODES: Readonly<Record<string, readonly (readonly [string, string])[]>> = {
  TESLA: [['NORMAL', 'Standard'], ['ECO', 'Chill'], ['SPORT', 'Sport']],
  FORD: [['NORMAL', 'Engage'], ['ECO', 'Whisper'], ['SPORT', 'Unbridled']],
  BMW: [['NORMAL', 'Comfort'], ['ECO', 'Eco Pro'], ['SPORT', 'Sport']],
  RIVIAN: [['NORMAL', 'All-Purpose'], ['ECO', 'Conserve'], ['SPORT', 'Sport']],
  PORSCHE: [['NORMAL', 'Normal'], ['ECO', 'Range'], ['SPORT', 'Sport Plus']],
};
const GENERIC_DRIVE_MODES: readonly (readonly [string, string])[] = [['NORMAL', 'Normal'], ['ECO', 'Eco'], ['SPORT', 'Sport']];

/** OEM-side grants of an owner and of a driver the owner shared the car with (Tesla's `user/access`). */
const OWNER_PERMISSIONS = ['vehicle_device_data', 'vehicle_location', 'vehicle_cmds', 'vehicle_charging_cmds'];
const DRIVER_PERMISSIONS = ['vehicle_device_data', 'vehicle_cmds'];

const WORKDAYS: readonly Weekday[] = ['MONDAY', 'TUESDAY', 'WEDNESDAY', 'THURSDAY', 'FRIDAY'];
const EVERY_DAY: readonly Weekday[] = [...WORKDAYS, 'SATURDAY', 'SUNDAY'];

const clock = (hour: number, minute = 0) => `${String(hour).padStart(2, '0')}:${String(minute).padStart(2, '0')}:00`;

function firmware(make: string, year: number, random: Random): string {
  if (make === 'TESLA') return `${Math.max(year, 2023) + random.int(0, 2)}.${random.int(2, 44)}.${random.int(1, 12)}`;
  return `${random.int(1, 9)}.${random.int(0, 30)}.${random.int(0, 99)}`;
}

function chargeTimer(spec: ModelSpec, random: Random): ChargeTimer | null {
  const plugIn = spec.powertrain === 'BEV' || spec.powertrain === 'PHEV';
  // About half of owners charge on an off-peak timer; the rest plug in and go.
  if (!plugIn || !random.chance(0.5)) return null;
  return {
    start: clock(random.pick([21, 22, 23, 0])),
    end: clock(random.pick([5, 6, 7])),
    days: EVERY_DAY,
    departure: random.chance(0.5) ? clock(7, random.pick([0, 15, 30, 45])) : null,
    atHomeOnly: random.chance(0.7),
    isOEMOptimizationEnabled: random.chance(0.3),
  };
}

function create(vehicleId: string, spec: ModelSpec, year: number): CarIdentity {
  const random = seededRandom(`identity:${vehicleId}`);
  const role = random.chance(0.9) ? 'OWNER' : 'DRIVER';
  const packages = (PACKAGES[spec.make] ?? GENERIC_PACKAGES).filter(() => random.chance(0.4));
  const [canonical, oemDisplayName] = (DRIVE_MODES[spec.make] ?? GENERIC_DRIVE_MODES)[0]!;
  return {
    trim: random.pick(TRIMS[spec.model] ?? [spec.model]),
    exteriorColor: random.pick(COLORS[spec.make] ?? GENERIC_COLORS),
    packages,
    wheelStyle: random.pick(WHEELS[spec.make] ?? GENERIC_WHEELS),
    nickname: random.chance(0.6) ? random.pick(NICKNAMES) : `My ${spec.model}`,
    firmwareVersion: firmware(spec.make, year, random),
    driveMode: { canonical, oemDisplayName },
    isDigitalKeyPaired: random.chance(0.8),
    role,
    permissions: role === 'OWNER' ? OWNER_PERMISSIONS : DRIVER_PERMISSIONS,
    chargeTimer: chargeTimer(spec, random),
    maxRangeChargesBefore: random.int(0, 12),
  };
}

const IDENTITIES = new BoundedMap<string, CarIdentity>(10_000);

export function carIdentity(vehicleId: string, spec: ModelSpec, year: number): CarIdentity {
  let identity = IDENTITIES.get(vehicleId);
  if (!identity) {
    identity = Object.freeze(create(vehicleId, spec, year));
    IDENTITIES.set(vehicleId, identity);
  }
  return identity;
}

export const timerDays = { WORKDAYS, EVERY_DAY };
