/** Closure, Climate, HVAC, Motion, Transmission, Wheel, Location and Odometer signals. */
import type { DoorPosition, OpenState, SignalBody } from '../../core/index.js';
import { ambientOf, cabinOf, hvacOf, isAtHome, isHvacRunning } from './physics/environment.js';
import { measure, round, type Deriver } from './signal-context.js';
import type { SimSnapshot } from './state.js';

const GRID: readonly { position: DoorPosition; row: number; column: number }[] = [
  { position: 'frontLeft', row: 0, column: 0 },
  { position: 'frontRight', row: 0, column: 1 },
  { position: 'backLeft', row: 1, column: 0 },
  { position: 'backRight', row: 1, column: 1 },
];

const COMPASS = ['N', 'NE', 'E', 'SE', 'S', 'SW', 'W', 'NW'] as const;

const isOpen = (state: OpenState) => state === 'OPEN';

/** The speed of the drive under way; 0 whenever the car is not driving. */
export function currentSpeedKmh(s: SimSnapshot): number {
  const step = s.scenario?.steps[0];
  return s.activity === 'driving' && step?.kind === 'drive' ? step.speedKmh : 0;
}

function preciseLocation(s: SimSnapshot): SignalBody {
  if (s.heading === undefined) return { latitude: s.location.latitude, longitude: s.location.longitude, locationType: 'CURRENT' };
  const heading = round(s.heading, 1) % 360;
  return {
    latitude: s.location.latitude, longitude: s.location.longitude, heading, direction: COMPASS[Math.round(heading / 45) % 8],
    locationType: 'CURRENT',
  };
}

export const BODY_DERIVERS: Readonly<Record<string, Deriver>> = {
  'closure-islocked': ({ s }) => ({ value: s.isLocked }),
  'closure-doors': ({ s }) => ({
    values: GRID.map(({ position, row, column }) => ({ row, column, isOpen: isOpen(s.doors[position]), isLocked: s.isLocked })),
    rowCount: 2, columnCount: 2,
  }),
  'closure-windows': ({ s }) => ({
    values: GRID.map(({ position, row, column }) => ({ row, column, isOpen: isOpen(s.windows[position]) })),
    rowCount: 2, columnCount: 2,
  }),
  'closure-sunroof': ({ s }) => ({ isOpen: s.sunroof === null ? null : isOpen(s.sunroof) }),
  'closure-fronttrunk': ({ s }) => ({ isOpen: isOpen(s.storage.front), isLocked: null }),
  'closure-enginecover': ({ s }) => ({ isOpen: isOpen(s.storage.front) }),
  'closure-reartrunk': ({ s }) => ({ isOpen: isOpen(s.storage.rear), isLocked: null }),
  // A pickup's power tailgate locks with the doors.
  'closure-tailgate': ({ s }) => ({ isOpen: isOpen(s.storage.rear), isLocked: s.isLocked }),

  'climate-externaltemperature': ({ s }) => measure(round(ambientOf(s), 1), 'celsius'),
  'climate-internaltemperature': ({ s }) => measure(round(cabinOf(s), 1), 'celsius'),
  'hvac-cabintargettemperature': ({ s }) => measure(hvacOf(s).targetC, 'celsius'),
  'hvac-iscabinhvacactive': ({ s }) => ({ value: isHvacRunning(s) }),
  'hvac-isfrontdefrosteractive': ({ s }) => ({ value: hvacOf(s).frontDefroster }),
  'hvac-isreardefrosteractive': ({ s }) => ({ value: hvacOf(s).rearDefroster }),
  'hvac-issteeringheateractive': ({ s }) => ({ value: hvacOf(s).steeringHeater }),

  'motion-currentspeed': ({ s }) => measure(currentSpeedKmh(s), 'km/h'),
  'transmission-gearstate': ({ s }) => ({ value: s.activity === 'driving' ? 'DRIVE' : 'PARK' }),
  'transmission-drivemode': (c) => ({ canonical: c.identity.driveMode.canonical, oemDisplayName: c.identity.driveMode.oemDisplayName }),

  'wheel-tires': (c) => {
    const kpa = c.tires;
    const byPosition: Record<DoorPosition, number> = {
      frontLeft: kpa.frontLeftKpa, frontRight: kpa.frontRightKpa, backLeft: kpa.backLeftKpa, backRight: kpa.backRightKpa,
    };
    return {
      values: GRID.map(({ position, row, column }) => ({ row, column, tirePressure: byPosition[position] })),
      rowCount: 2, columnCount: 2, unit: 'kPa',
    };
  },
  'wheel-style': (c) => ({ value: c.identity.wheelStyle }),

  'location-preciselocation': ({ s }) => preciseLocation(s),
  'location-isathome': ({ s }) => ({ value: isAtHome(s) }),
  'odometer-traveleddistance': ({ s }) => measure(s.odometerKm, 'km'),
};
