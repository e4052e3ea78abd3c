/**
 * The simulator's vehicle catalog: real models with published specifications and per-brand profiles
 * of what each carmaker's connected services expose. Figures follow shared/spec/simulator-realism.md
 * where it has them, otherwise manufacturer/EPA figures; ranges are EPA unless noted.
 */
import { COMMAND_NAMES } from '../../core/index.js';
import type { CommandName, Powertrain } from '../../core/index.js';
import type { CapabilityMatrix, Support } from '../provider.js';
import type { BrandProfile, ModelSpec } from './catalog-types.js';
import { BRAND_SIGNAL_CODES } from './brand-signals.js';
import { signalSupport } from './signals.js';


const EU_CORE = ['DE', 'FR', 'IT', 'ES', 'NL', 'BE', 'AT'] as const;


function commands(...names: CommandName[]): ReadonlySet<CommandName> {
  return new Set<CommandName>(names);
}

export const BRANDS: readonly BrandProfile[] = [
  {
    make: 'TESLA',
    displayName: 'Tesla',
    signalCodes: BRAND_SIGNAL_CODES.TESLA,
    countries: ['US', 'CA', ...EU_CORE, 'SE', 'DK', 'IE', 'PT'],
    wmis: ['5YJ', '7SA', 'XP7', 'LRW'],
    // Tesla's API has no oil, dealer service records or OBD-style diagnostics.
    commands: commands('lock', 'unlock', 'startCharge', 'stopCharge', 'setChargeLimit', 'sendDestination'),
    quirks: { sleepAfterMinutes: 15, commandLatencyMs: [3_000, 10_000], upstreamRequestsPerDay: 1_440, reportIntervalSeconds: 60 },
  },
  {
    make: 'CHEVROLET',
    displayName: 'Chevrolet',
    signalCodes: BRAND_SIGNAL_CODES.CHEVROLET,
    countries: ['US', 'CA'],
    wmis: ['1G1', '1GC', '3GC', '3GN'],
    // OnStar reports diagnostics and dealer history richly but exposes no lock state or charge limit.
    commands: commands('lock', 'unlock', 'startCharge', 'stopCharge'),
    // The telematics module stays reachable until GM's deep sleep after about three idle days.
    quirks: { sleepAfterMinutes: 4_320, commandLatencyMs: [15_000, 45_000], upstreamRequestsPerDay: 150, reportIntervalSeconds: 600 },
  },
  {
    make: 'FORD',
    displayName: 'Ford',
    signalCodes: BRAND_SIGNAL_CODES.FORD,
    countries: ['US', 'CA', ...EU_CORE, 'IE'],
    wmis: ['1FA', '1FT', '1FM', '3FM'],
    commands: commands('lock', 'unlock', 'startCharge', 'stopCharge', 'setChargeLimit'),
    quirks: { sleepAfterMinutes: 30, commandLatencyMs: [5_000, 20_000], upstreamRequestsPerDay: 200, reportIntervalSeconds: 300 },
  },
  {
    make: 'VOLKSWAGEN',
    displayName: 'Volkswagen',
    signalCodes: BRAND_SIGNAL_CODES.VOLKSWAGEN,
    countries: ['US', 'CA', ...EU_CORE, 'SE', 'DK', 'IE', 'PT'],
    wmis: ['WVW', 'WVG', '1V2', '3VW'],
    commands: commands('lock', 'unlock', 'startCharge', 'stopCharge', 'setChargeLimit', 'sendDestination'),
    // VW allows only a handful of refreshes after ignition off before the car stops answering.
    quirks: { sleepAfterMinutes: 10, commandLatencyMs: [10_000, 45_000], upstreamRequestsPerDay: 100, reportIntervalSeconds: 300 },
  },
  {
    make: 'NISSAN',
    displayName: 'Nissan',
    signalCodes: BRAND_SIGNAL_CODES.NISSAN,
    countries: ['US', 'CA', 'FR', 'DE', 'ES', 'IT', 'NL', 'IE'],
    wmis: ['1N4', 'JN1', 'JN8', '5N1'],
    // NissanConnect can start a charge but famously cannot stop one or set a limit.
    commands: commands('lock', 'unlock', 'startCharge'),
    quirks: { sleepAfterMinutes: 10, commandLatencyMs: [20_000, 45_000], upstreamRequestsPerDay: 100, reportIntervalSeconds: 600 },
  },
  {
    make: 'BMW',
    displayName: 'BMW',
    signalCodes: BRAND_SIGNAL_CODES.BMW,
    countries: ['US', 'CA', ...EU_CORE, 'SE', 'DK'],
    wmis: ['WBA', 'WBY', '5UX'],
    // CarData is read-mostly: remote lock/unlock stays inside BMW's own app.
    commands: commands('startCharge', 'stopCharge', 'setChargeLimit', 'sendDestination'),
    quirks: { sleepAfterMinutes: 20, commandLatencyMs: [8_000, 30_000], upstreamRequestsPerDay: 50, reportIntervalSeconds: 300 },
  },
  {
    make: 'HYUNDAI',
    displayName: 'Hyundai',
    signalCodes: BRAND_SIGNAL_CODES.HYUNDAI,
    countries: ['US', 'CA', 'DE', 'FR', 'ES', 'IT', 'NL'],
    wmis: ['KM8', '5NM', 'KMH'],
    commands: commands('lock', 'unlock', 'startCharge', 'stopCharge', 'setChargeLimit', 'sendDestination'),
    // Bluelink allows about 20 calls per car per day; every poll wakes the 12 V module.
    quirks: { sleepAfterMinutes: 20, commandLatencyMs: [10_000, 30_000], upstreamRequestsPerDay: 20, reportIntervalSeconds: 600 },
  },
  {
    make: 'KIA',
    displayName: 'Kia',
    signalCodes: BRAND_SIGNAL_CODES.KIA,
    countries: ['US', 'CA', 'DE', 'FR', 'ES', 'IT', 'NL'],
    wmis: ['KNA', 'KND', '5XY'],
    commands: commands('lock', 'unlock', 'startCharge', 'stopCharge', 'setChargeLimit'),
    quirks: { sleepAfterMinutes: 20, commandLatencyMs: [10_000, 30_000], upstreamRequestsPerDay: 20, reportIntervalSeconds: 600 },
  },
  {
    make: 'TOYOTA',
    displayName: 'Toyota',
    signalCodes: BRAND_SIGNAL_CODES.TOYOTA,
    countries: ['US', 'CA'],
    wmis: ['JTD', 'JTM', '4T1', '2T3', '5YF'],
    // Toyota's app has no charge-limit control and no destination push.
    commands: commands('lock', 'unlock', 'startCharge', 'stopCharge'),
    quirks: { sleepAfterMinutes: 30, commandLatencyMs: [10_000, 40_000], upstreamRequestsPerDay: 100, reportIntervalSeconds: 600 },
  },
  {
    make: 'MERCEDES-BENZ',
    displayName: 'Mercedes-Benz',
    signalCodes: BRAND_SIGNAL_CODES['MERCEDES-BENZ'],
    countries: ['US', 'CA', ...EU_CORE],
    wmis: ['WDD', 'W1K', 'W1N', '4JG'],
    commands: commands('lock', 'unlock', 'setChargeLimit', 'sendDestination'),
    // Mercedes' pay-as-you-drive bucket allows two vehicle requests per car per day.
    quirks: { sleepAfterMinutes: 60, commandLatencyMs: [5_000, 15_000], upstreamRequestsPerDay: 2, reportIntervalSeconds: 300 },
  },
  {
    make: 'AUDI',
    displayName: 'Audi',
    signalCodes: BRAND_SIGNAL_CODES.AUDI,
    countries: ['US', 'CA', ...EU_CORE, 'SE'],
    wmis: ['WAU', 'WA1'],
    commands: commands('lock', 'unlock', 'startCharge', 'stopCharge', 'setChargeLimit'),
    quirks: { sleepAfterMinutes: 10, commandLatencyMs: [10_000, 45_000], upstreamRequestsPerDay: 100, reportIntervalSeconds: 300 },
  },
  {
    make: 'RIVIAN',
    displayName: 'Rivian',
    signalCodes: BRAND_SIGNAL_CODES.RIVIAN,
    countries: ['US', 'CA'],
    wmis: ['7FC', '7PD'],
    commands: commands('lock', 'unlock', 'startCharge', 'stopCharge', 'setChargeLimit'),
    quirks: { sleepAfterMinutes: 20, commandLatencyMs: [3_000, 8_000], upstreamRequestsPerDay: 1_000, reportIntervalSeconds: 60 },
  },
  {
    make: 'JEEP',
    displayName: 'Jeep',
    signalCodes: BRAND_SIGNAL_CODES.JEEP,
    countries: ['US', 'CA', 'IT', 'DE', 'FR'],
    wmis: ['1C4'],
    commands: commands('lock', 'unlock', 'startCharge', 'sendDestination'),
    // Stellantis telematics deep-sleeps after a week of little use and rations wake-ups tightly.
    quirks: { sleepAfterMinutes: 10_080, commandLatencyMs: [15_000, 45_000], upstreamRequestsPerDay: 100, reportIntervalSeconds: 600 },
  },
  {
    make: 'VOLVO',
    displayName: 'Volvo',
    signalCodes: BRAND_SIGNAL_CODES.VOLVO,
    countries: ['US', 'CA', 'SE', 'DE', 'FR', 'NL', 'BE', 'IT', 'ES'],
    wmis: ['YV1', 'YV4'],
    // Volvo's energy API is read-only, so charging cannot be controlled remotely.
    commands: commands('lock', 'unlock', 'sendDestination'),
    quirks: { sleepAfterMinutes: 30, commandLatencyMs: [5_000, 20_000], upstreamRequestsPerDay: 1_000, reportIntervalSeconds: 120 },
  },
  {
    make: 'PORSCHE',
    displayName: 'Porsche',
    signalCodes: BRAND_SIGNAL_CODES.PORSCHE,
    countries: ['US', 'CA', 'DE', 'FR', 'IT', 'AT', 'NL'],
    wmis: ['WP0', 'WP1'],
    commands: commands('lock', 'unlock', 'startCharge', 'stopCharge', 'setChargeLimit'),
    quirks: { sleepAfterMinutes: 15, commandLatencyMs: [5_000, 20_000], upstreamRequestsPerDay: 200, reportIntervalSeconds: 300 },
  },
];

/*
 * batteryKwh is usable energy; batteryOptionsKwh lists the nominal packs as marketed. Tyre placards
 * are converted from psi and rounded to whole kPa.
 */
export const MODELS: readonly ModelSpec[] = [
  // Model 3 Long Range per the realism reference: ~78 kWh usable after the update, ~80.5 kWh total,
  // 325 mi rated range.
  {
    make: 'TESLA', model: 'Model 3', years: [2018, 2023], powertrain: 'BEV', batteryKwh: 78,
    batteryOptionsKwh: [60, 80.5], electricRangeKm: 523, acChargeKw: 11, dcChargeKw: 250, tirePlacardKpa: 290,
    hasSunroof: false,
  },
  {
    make: 'TESLA', model: 'Model Y', years: [2020, 2024], powertrain: 'BEV', batteryKwh: 75,
    batteryOptionsKwh: [60, 78], electricRangeKm: 531, acChargeKw: 11, dcChargeKw: 250, tirePlacardKpa: 290,
    hasSunroof: false,
  },
  {
    make: 'TESLA', model: 'Model S', years: [2016, 2024], powertrain: 'BEV', batteryKwh: 95,
    batteryOptionsKwh: [75, 90, 100], electricRangeKm: 600, acChargeKw: 11.5, dcChargeKw: 250, tirePlacardKpa: 310,
    hasSunroof: true,
  },
  {
    make: 'TESLA', model: 'Model X', years: [2016, 2024], powertrain: 'BEV', batteryKwh: 95,
    batteryOptionsKwh: [75, 90, 100], electricRangeKm: 560, acChargeKw: 11.5, dcChargeKw: 250, tirePlacardKpa: 290,
    hasSunroof: false,
  },
  // Bolt: 60 kWh pack until 2019, 66 kWh from 2020 (259 mi EPA).
  {
    make: 'CHEVROLET', model: 'Bolt EV', years: [2017, 2023], powertrain: 'BEV', batteryKwh: 65,
    batteryOptionsKwh: [60, 66], electricRangeKm: 417, acChargeKw: 7.2, dcChargeKw: 55, tirePlacardKpa: 262,
    hasSunroof: false,
  },
  // Smartcar's test-mode vehicle is a Chevrolet Volt; second generation figures.
  {
    make: 'CHEVROLET', model: 'Volt', years: [2016, 2019], powertrain: 'PHEV', batteryKwh: 14,
    batteryOptionsKwh: [18.4], electricRangeKm: 85, tankLiters: 34, litersPer100Km: 5.6, acChargeKw: 3.6,
    tirePlacardKpa: 262, hasSunroof: false,
  },
  {
    make: 'CHEVROLET', model: 'Silverado 1500', years: [2019, 2024], powertrain: 'ICE', tankLiters: 91,
    litersPer100Km: 13.8, tirePlacardKpa: 241, hasSunroof: true, hasTailgate: true,
  },
  {
    make: 'CHEVROLET', model: 'Equinox EV', years: [2024, 2025], powertrain: 'BEV', batteryKwh: 85,
    batteryOptionsKwh: [85], electricRangeKm: 513, acChargeKw: 11.5, dcChargeKw: 150, tirePlacardKpa: 262,
    hasSunroof: false,
  },
  // Mach-E extended range: 98.8 kWh gross, ~88 kWh usable.
  {
    make: 'FORD', model: 'Mustang Mach-E', years: [2021, 2024], powertrain: 'BEV', batteryKwh: 88,
    batteryOptionsKwh: [75.7, 98.8], electricRangeKm: 483, acChargeKw: 10.5, dcChargeKw: 150, tirePlacardKpa: 262,
    hasSunroof: false,
  },
  {
    make: 'FORD', model: 'F-150', years: [2021, 2024], powertrain: 'ICE', tankLiters: 98, litersPer100Km: 11.8,
    tirePlacardKpa: 241, hasSunroof: true, hasTailgate: true,
  },
  {
    make: 'FORD', model: 'F-150 Lightning', years: [2022, 2024], powertrain: 'BEV', batteryKwh: 131,
    batteryOptionsKwh: [98, 131], electricRangeKm: 515, acChargeKw: 19.2, dcChargeKw: 150, tirePlacardKpa: 290,
    hasSunroof: true, hasTailgate: true,
  },
  {
    make: 'FORD', model: 'Escape Plug-In Hybrid', years: [2020, 2024], powertrain: 'PHEV', batteryKwh: 11.5,
    batteryOptionsKwh: [14.4], electricRangeKm: 60, tankLiters: 42, litersPer100Km: 5.9, acChargeKw: 3.3,
    tirePlacardKpa: 241, hasSunroof: true,
  },
  // ID.4 Pro: 77 kWh usable of 82 gross, Pure 52 kWh; range is WLTP as in the realism reference.
  {
    make: 'VOLKSWAGEN', model: 'ID.4', years: [2021, 2024], powertrain: 'BEV', batteryKwh: 77,
    batteryOptionsKwh: [52, 82], electricRangeKm: 520, acChargeKw: 11, dcChargeKw: 125, tirePlacardKpa: 262,
    hasSunroof: false,
  },
  {
    make: 'VOLKSWAGEN', model: 'Golf', years: [2020, 2024], powertrain: 'ICE', tankLiters: 50, litersPer100Km: 5.6,
    tirePlacardKpa: 240, hasSunroof: true,
  },
  {
    make: 'VOLKSWAGEN', model: 'Atlas', years: [2018, 2024], powertrain: 'ICE', tankLiters: 70, litersPer100Km: 11.2,
    tirePlacardKpa: 248, hasSunroof: true,
  },
  // Leaf: 40 kWh, 62 kWh e+; CHAdeMO 50 kW.
  {
    make: 'NISSAN', model: 'Leaf', years: [2018, 2024], powertrain: 'BEV', batteryKwh: 40,
    batteryOptionsKwh: [40, 62], electricRangeKm: 240, acChargeKw: 6.6, dcChargeKw: 50, tirePlacardKpa: 248,
    hasSunroof: false,
  },
  {
    make: 'NISSAN', model: 'Rogue', years: [2021, 2024], powertrain: 'ICE', tankLiters: 55, litersPer100Km: 7.8,
    tirePlacardKpa: 241, hasSunroof: true,
  },
  {
    make: 'NISSAN', model: 'Ariya', years: [2023, 2024], powertrain: 'BEV', batteryKwh: 87,
    batteryOptionsKwh: [66, 91], electricRangeKm: 489, acChargeKw: 7.2, dcChargeKw: 130, tirePlacardKpa: 248,
    hasSunroof: true,
  },
  // i4 gross packs 70.2 / 83.9 kWh are the capacities Smartcar's own error example lists.
  {
    make: 'BMW', model: 'i4', years: [2022, 2024], powertrain: 'BEV', batteryKwh: 81.5,
    batteryOptionsKwh: [70.2, 83.9], electricRangeKm: 484, acChargeKw: 11, dcChargeKw: 205, tirePlacardKpa: 269,
    hasSunroof: true,
  },
  {
    make: 'BMW', model: 'X5 xDrive50e', years: [2024, 2025], powertrain: 'PHEV', batteryKwh: 25.7,
    batteryOptionsKwh: [29.5], electricRangeKm: 64, tankLiters: 69, litersPer100Km: 11.2, acChargeKw: 7.4,
    tirePlacardKpa: 248, hasSunroof: true,
  },
  {
    make: 'BMW', model: '330i', years: [2019, 2024], powertrain: 'ICE', tankLiters: 59, litersPer100Km: 7.8,
    tirePlacardKpa: 240, hasSunroof: true,
  },
  {
    make: 'HYUNDAI', model: 'Ioniq 5', years: [2022, 2024], powertrain: 'BEV', batteryKwh: 74,
    batteryOptionsKwh: [58, 77.4], electricRangeKm: 488, acChargeKw: 10.9, dcChargeKw: 235, tirePlacardKpa: 248,
    hasSunroof: false,
  },
  {
    make: 'HYUNDAI', model: 'Tucson Hybrid', years: [2022, 2024], powertrain: 'HEV', tankLiters: 52,
    litersPer100Km: 6.2, tirePlacardKpa: 241, hasSunroof: true,
  },
  {
    make: 'HYUNDAI', model: 'Kona Electric', years: [2019, 2023], powertrain: 'BEV', batteryKwh: 64,
    batteryOptionsKwh: [39.2, 64], electricRangeKm: 415, acChargeKw: 7.2, dcChargeKw: 77, tirePlacardKpa: 248,
    hasSunroof: false,
  },
  {
    make: 'KIA', model: 'EV6', years: [2022, 2024], powertrain: 'BEV', batteryKwh: 74,
    batteryOptionsKwh: [58, 77.4], electricRangeKm: 499, acChargeKw: 10.9, dcChargeKw: 235, tirePlacardKpa: 248,
    hasSunroof: true,
  },
  {
    make: 'KIA', model: 'Niro Plug-In Hybrid', years: [2023, 2024], powertrain: 'PHEV', batteryKwh: 10,
    batteryOptionsKwh: [11.1], electricRangeKm: 53, tankLiters: 42, litersPer100Km: 4.9, acChargeKw: 3.5,
    tirePlacardKpa: 248, hasSunroof: true,
  },
  {
    make: 'KIA', model: 'Telluride', years: [2020, 2024], powertrain: 'ICE', tankLiters: 71, litersPer100Km: 10.2,
    tirePlacardKpa: 241, hasSunroof: true,
  },
  {
    make: 'TOYOTA', model: 'RAV4 Prime', years: [2021, 2024], powertrain: 'PHEV', batteryKwh: 14.5,
    batteryOptionsKwh: [18.1], electricRangeKm: 68, tankLiters: 55, litersPer100Km: 6.2, acChargeKw: 3.3,
    tirePlacardKpa: 241, hasSunroof: true,
  },
  {
    make: 'TOYOTA', model: 'Camry Hybrid', years: [2018, 2024], powertrain: 'HEV', tankLiters: 50,
    litersPer100Km: 4.5, tirePlacardKpa: 241, hasSunroof: true,
  },
  {
    make: 'TOYOTA', model: 'Corolla', years: [2019, 2024], powertrain: 'ICE', tankLiters: 50, litersPer100Km: 6.9,
    tirePlacardKpa: 241, hasSunroof: true,
  },
  {
    make: 'TOYOTA', model: 'bZ4X', years: [2023, 2024], powertrain: 'BEV', batteryKwh: 64,
    batteryOptionsKwh: [71.4, 72.8], electricRangeKm: 406, acChargeKw: 6.6, dcChargeKw: 150, tirePlacardKpa: 248,
    hasSunroof: false,
  },
  {
    make: 'MERCEDES-BENZ', model: 'EQS', years: [2022, 2024], powertrain: 'BEV', batteryKwh: 107.8,
    batteryOptionsKwh: [108.4, 118], electricRangeKm: 563, acChargeKw: 9.6, dcChargeKw: 200, tirePlacardKpa: 280,
    hasSunroof: true,
  },
  {
    make: 'MERCEDES-BENZ', model: 'C 300', years: [2022, 2024], powertrain: 'ICE', tankLiters: 66,
    litersPer100Km: 8.7, tirePlacardKpa: 250, hasSunroof: true,
  },
  {
    make: 'AUDI', model: 'e-tron', years: [2019, 2023], powertrain: 'BEV', batteryKwh: 86.5,
    batteryOptionsKwh: [71, 95], electricRangeKm: 357, acChargeKw: 11, dcChargeKw: 150, tirePlacardKpa: 270,
    hasSunroof: true,
  },
  {
    make: 'AUDI', model: 'Q8 e-tron', years: [2024, 2024], powertrain: 'BEV', batteryKwh: 106,
    batteryOptionsKwh: [95, 114], electricRangeKm: 459, acChargeKw: 11, dcChargeKw: 170, tirePlacardKpa: 270,
    hasSunroof: true,
  },
  {
    make: 'AUDI', model: 'A4', years: [2020, 2024], powertrain: 'ICE', tankLiters: 58, litersPer100Km: 8.4,
    tirePlacardKpa: 240, hasSunroof: true,
  },
  {
    make: 'RIVIAN', model: 'R1T', years: [2022, 2024], powertrain: 'BEV', batteryKwh: 128.9,
    batteryOptionsKwh: [105, 135, 149], electricRangeKm: 505, acChargeKw: 11.5, dcChargeKw: 220, tirePlacardKpa: 331,
    hasSunroof: false, hasTailgate: true,
  },
  {
    make: 'RIVIAN', model: 'R1S', years: [2022, 2024], powertrain: 'BEV', batteryKwh: 128.9,
    batteryOptionsKwh: [105, 135, 149], electricRangeKm: 517, acChargeKw: 11.5, dcChargeKw: 220, tirePlacardKpa: 331,
    hasSunroof: false,
  },
  {
    make: 'JEEP', model: 'Wrangler 4xe', years: [2021, 2024], powertrain: 'PHEV', batteryKwh: 14,
    batteryOptionsKwh: [17.3], electricRangeKm: 34, tankLiters: 65, litersPer100Km: 11.8, acChargeKw: 7.2,
    tirePlacardKpa: 255, hasSunroof: true,
  },
  {
    make: 'JEEP', model: 'Grand Cherokee', years: [2022, 2024], powertrain: 'ICE', tankLiters: 93,
    litersPer100Km: 10.7, tirePlacardKpa: 255, hasSunroof: true,
  },
  {
    make: 'VOLVO', model: 'XC40 Recharge', years: [2021, 2023], powertrain: 'BEV', batteryKwh: 75,
    batteryOptionsKwh: [78], electricRangeKm: 359, acChargeKw: 11, dcChargeKw: 150, tirePlacardKpa: 260,
    hasSunroof: false,
  },
  {
    make: 'VOLVO', model: 'XC90 Recharge', years: [2023, 2024], powertrain: 'PHEV', batteryKwh: 14.7,
    batteryOptionsKwh: [18.8], electricRangeKm: 51, tankLiters: 71, litersPer100Km: 8.7, acChargeKw: 3.7,
    tirePlacardKpa: 260, hasSunroof: true,
  },
  {
    make: 'PORSCHE', model: 'Taycan', years: [2020, 2024], powertrain: 'BEV', batteryKwh: 83.7,
    batteryOptionsKwh: [79.2, 93.4], electricRangeKm: 365, acChargeKw: 11, dcChargeKw: 270, tirePlacardKpa: 270,
    hasSunroof: false,
  },
  {
    make: 'PORSCHE', model: 'Cayenne', years: [2019, 2024], powertrain: 'ICE', tankLiters: 90, litersPer100Km: 11.8,
    tirePlacardKpa: 260, hasSunroof: true,
  },
];

export function findBrand(make: string): BrandProfile | undefined {
  const key = make.trim().toUpperCase();
  return BRANDS.find((brand) => brand.make === key);
}

export function modelsOf(make: string): readonly ModelSpec[] {
  const key = make.trim().toUpperCase();
  return MODELS.filter((spec) => spec.make === key);
}

export function findModel(make: string, model: string): ModelSpec | undefined {
  const key = model.trim().toLowerCase();
  return modelsOf(make).find((spec) => spec.model.toLowerCase() === key);
}

const ELECTRIC: readonly Powertrain[] = ['BEV', 'PHEV'];

const COMMAND_POWERTRAINS: Partial<Record<CommandName, readonly Powertrain[]>> = {
  startCharge: ELECTRIC,
  stopCharge: ELECTRIC,
  setChargeLimit: ELECTRIC,
};

function support(powertrains: readonly Powertrain[] | undefined, powertrain: Powertrain, exposed: boolean): Support {
  // The car's hardware is checked first: a missing traction battery is the truer answer than the brand.
  if (powertrains !== undefined && !powertrains.includes(powertrain)) return 'VEHICLE_NOT_CAPABLE';
  return exposed ? 'supported' : 'SMARTCAR_NOT_CAPABLE';
}

export function capabilityMatrix(brand: BrandProfile, spec: ModelSpec): CapabilityMatrix {
  const signals = signalSupport(brand, spec);
  const commands = Object.fromEntries(
    COMMAND_NAMES.map((name) => [name, support(COMMAND_POWERTRAINS[name], spec.powertrain, brand.commands.has(name))]),
  ) as Record<CommandName, Support>;
  return { signals, commands };
}
