/**
 * Which catalog signals each brand's connected services expose, by code (the car's hardware
 * decides the rest: see signalSupport in signals.ts).
 *
 * Sources, cited per brand below:
 * - [wire §3.x] / [v3 §4.x]: shared/spec/smartcar-wire.md and smartcar-v3.md. The v2 endpoints a
 *   brand answered are its floor: every v3 code the v3 catalog ties to that endpoint ("Perm / v2"
 *   column of v3 §4) is exposed too, so v2 and v3 never disagree about the same value. The
 *   make-specific v2 endpoints (wire §3.20: tesla/charge/ammeter, bmw/charge/records, …) name
 *   more codes per brand.
 * - The carmakers' own public or community-documented APIs, named per brand (the fields that carry
 *   the value are given where that is the whole evidence).
 * - Where neither says it, the choice is a judgement and the comment says so.
 */

/** v3 codes by the v2 endpoint that carries the same value (v3 §4, "Perm / v2" column). */
const V2 = {
  vin: ['vehicleidentification-vin'],
  odometer: ['odometer-traveleddistance'],
  location: ['location-preciselocation'],
  battery: ['tractionbattery-stateofcharge', 'tractionbattery-range'],
  nominalCapacity: ['tractionbattery-nominalcapacity'],
  // carport's own code behind v2.0's deprecated /battery/capacity (the usable energy).
  batteryCapacity: ['tractionbattery-usablecapacity'],
  charge: ['charge-ischarging', 'charge-detailedchargingstatus', 'charge-ischargingcableconnected'],
  chargeLimit: ['charge-chargelimits', 'charge-activelimit'],
  fuel: ['internalcombustionengine-fuellevel', 'internalcombustionengine-range', 'internalcombustionengine-amountremaining'],
  engineOil: ['internalcombustionengine-oillife'],
  tirePressure: ['wheel-tires'],
  security: [
    'closure-islocked', 'closure-doors', 'closure-windows', 'closure-sunroof', 'closure-fronttrunk', 'closure-enginecover',
    'closure-reartrunk', 'closure-tailgate', 'charge-ischargingportflapopen',
  ],
  systemStatus: [
    'diagnostics-abs', 'diagnostics-airbag', 'diagnostics-brakefluid', 'diagnostics-mil', 'diagnostics-tirepressuremonitoring',
    'diagnostics-oiltemperature',
  ],
  dtcs: ['diagnostics-dtclist', 'diagnostics-dtccount'],
  serviceHistory: ['service-records'],
} as const satisfies Record<string, readonly string[]>;

/**
 * Every connected-services API reports identity, odometer and position; Smartcar itself knows
 * whether the car answers, and decodes the trim from the VIN for every make (judgement: v3 §4.11
 * only says Trim is bundled [probe]).
 */
const BASE = [...V2.vin, ...V2.odometer, ...V2.location, 'connectivitystatus-isonline', 'vehicleidentification-trim'];
const PLUG_IN = [...V2.battery, ...V2.charge];
const ALL_SYSTEM_STATUS = [
  ...V2.systemStatus, 'diagnostics-activesafety', 'diagnostics-driverassistance', 'diagnostics-emissions',
  'diagnostics-evbatteryconditioning', 'diagnostics-evcharging', 'diagnostics-evdriveunit', 'diagnostics-evhvbattery',
  'diagnostics-lighting', 'diagnostics-oillife', 'diagnostics-oilpressure', 'diagnostics-telematics', 'diagnostics-tirepressure',
  'diagnostics-transmission', 'diagnostics-washerfluid', 'diagnostics-waterinfuel',
];
const HVAC = [
  'hvac-cabintargettemperature', 'hvac-iscabinhvacactive', 'hvac-isfrontdefrosteractive', 'hvac-isreardefrosteractive',
  'hvac-issteeringheateractive',
];
const LOW_VOLTAGE = ['lowvoltagebattery-stateofcharge', 'lowvoltagebattery-status'];

function codes(...lists: readonly (readonly string[])[]): ReadonlySet<string> {
  return new Set(lists.flat());
}

export const BRAND_SIGNAL_CODES = {
  /*
   * Tesla: nearly the whole catalog. v3 §4 ties Charge details to tesla/charge/{ammeter,voltmeter,
   * wattmeter,completion,records,schedule}, Climate to tesla/thermometer, HVAC to tesla/cabin/*,
   * firmware, IsAtHome and Sentry Mode to tesla/attributes, speed to tesla/speedometer, heading to
   * tesla/compass (wire §3.20); the tesla/battery body (wire §3.20: heaterOn, maxRangeChargeCounter,
   * rangeEstimated, rangeIdeal) gives the TractionBattery extras; tesla/user/access gives Role and
   * Permissions. Gear, drive mode, trim, colour, wheels, packages and nickname are Fleet API
   * vehicle_data fields (shift_state, vehicle_config.*, vehicle_name); IsInService its
   * service_data. No oil, OBD trouble codes, dealer service records or system status (old profile:
   * its TPMS warnings, tpms_soft_warning_*, stay out so v2.0's system status stays unanswered as
   * it always was). The 12 V battery and the digital
   * (phone) key are judgements (Fleet Telemetry reports both).
   */
  TESLA: codes(
    BASE, PLUG_IN, V2.nominalCapacity, V2.batteryCapacity, V2.chargeLimit, V2.tirePressure, V2.security, HVAC, LOW_VOLTAGE,
    [
      'charge-amperage', 'charge-amperagemax', 'charge-amperagerequested', 'charge-chargeportstatuscolor', 'charge-chargerate',
      'charge-chargerecords', 'charge-chargetimers', 'charge-chargerphases', 'charge-chargingconnectortype', 'charge-energyadded',
      'charge-fastchargertype', 'charge-ischargingcablelatched', 'charge-isfastchargerpresent', 'charge-timetocomplete',
      'charge-voltage', 'charge-wattage',
      'climate-externaltemperature', 'climate-internaltemperature', 'connectivitysoftware-currentfirmwareversion',
      'connectivitystatus-isasleep', 'connectivitystatus-isdigitalkeypaired',
      'location-isathome', 'motion-currentspeed', 'service-isinservice', 'surveillance-isenabled', 'surveillance-brand',
      'tractionbattery-isheateractive', 'tractionbattery-maxrangechargecounter', 'tractionbattery-estimatedrange',
      'tractionbattery-idealrange', 'tractionbattery-ratedrange', 'transmission-gearstate', 'transmission-drivemode',
      'vehicleidentification-nickname', 'vehicleidentification-exteriorcolor', 'vehicleidentification-packages',
      'vehicleuseraccount-permissions', 'vehicleuseraccount-role', 'wheel-style',
    ],
  ),
  /*
   * Chevrolet (OnStar): the old profile's v2 endpoints (fuel, battery, charge, tyres, oil, system
   * status, trouble codes, dealer history; no lock state, no charge limit). OnStar's monthly
   * diagnostics report covers every system the catalog names and the 12 V battery's health
   * (judgement: the public OnStar report lists them; no API document was available).
   */
  CHEVROLET: codes(
    BASE, PLUG_IN, V2.nominalCapacity, V2.batteryCapacity, V2.fuel, V2.engineOil, V2.tirePressure, ALL_SYSTEM_STATUS, V2.dtcs, V2.serviceHistory,
    LOW_VOLTAGE,
  ),
  /*
   * Ford (FordPass Connect): old profile's v2 endpoints. Ford's vehicle status also carries the
   * 12 V battery state, the outside temperature, the tailgate on its pickups, the charge end time
   * and schedules by location (wire §3.20: ford/charge/schedule_by_location → ChargeTimers).
   * Judgement for the first three (community FordPass clients read them).
   */
  FORD: codes(
    BASE, PLUG_IN, V2.nominalCapacity, V2.batteryCapacity, V2.chargeLimit, V2.fuel, V2.engineOil, V2.tirePressure, V2.security, V2.systemStatus,
    LOW_VOLTAGE, ['climate-externaltemperature', 'charge-timetocomplete', 'charge-chargetimers'],
  ),
  /*
   * Volkswagen (WeConnect ID): old profile's v2 endpoints, plus what real VW ID.4/ID.7 payloads
   * carry (v3 §4 "Obs" notes from those fixtures) and VW's charging/climatisation status:
   * charge power, rate in km/h, remaining time, plug lock (latched), AC/DC type, departure timers;
   * climatisation target, state and window heating (front and rear defrosters).
   */
  VOLKSWAGEN: codes(
    BASE, PLUG_IN, V2.nominalCapacity, V2.batteryCapacity, V2.chargeLimit, V2.fuel, V2.engineOil, V2.security, HVAC.slice(0, 4),
    [
      'charge-wattage', 'charge-chargerate', 'charge-timetocomplete', 'charge-ischargingcablelatched', 'charge-isfastchargerpresent',
      'charge-chargetimers', 'climate-externaltemperature',
    ],
  ),
  /*
   * Nissan (NissanConnect): old profile's v2 endpoints. The Leaf's remote API famously offers
   * climate control on/off and the time to a full charge; nothing else (judgement from the
   * community Leaf clients).
   */
  NISSAN: codes(BASE, PLUG_IN, V2.batteryCapacity, V2.fuel, V2.security, ['hvac-iscabinhvacactive', 'charge-timetocomplete']),
  /*
   * BMW (CarData): old profile's v2 endpoints, bmw/charge/records (wire §3.20 → ChargeRecords),
   * and CarData's charging power, remaining time and timers, 12 V battery, preconditioning state and
   * vehicle specification (colour, packages). Judgement for the CarData keys (BMW's key catalogue
   * was not available).
   */
  BMW: codes(
    BASE, PLUG_IN, V2.nominalCapacity, V2.batteryCapacity, V2.chargeLimit, V2.fuel, V2.engineOil, V2.tirePressure, V2.security, V2.systemStatus,
    V2.serviceHistory, LOW_VOLTAGE,
    [
      'charge-chargerecords', 'charge-timetocomplete', 'charge-wattage', 'charge-chargetimers', 'hvac-iscabinhvacactive',
      'vehicleidentification-exteriorcolor', 'vehicleidentification-packages',
    ],
  ),
  /*
   * Hyundai (Bluelink): old profile's v2 endpoints. Bluelink's status carries remote climate
   * (airCtrlOn, airTemp, defrost, sideBackWindowHeat, steerWheelHeat → HVAC), the 12 V battery
   * (battery.batSoc), charge time remaining and reservations (timers), and the owner's nickname for
   * the car. Its warning lamps (tyres, washer and brake fluid) stay out, so v2.0's system status
   * stays unanswered as it always was. Judgement from community clients.
   */
  HYUNDAI: codes(
    BASE, PLUG_IN, V2.nominalCapacity, V2.batteryCapacity, V2.chargeLimit, V2.fuel, V2.security, HVAC, LOW_VOLTAGE,
    [
      'charge-timetocomplete', 'charge-chargetimers',
      'vehicleidentification-nickname',
    ],
  ),
  /* Kia (Kia Connect): the Bluelink platform (as Hyundai), plus the old profile's oil and system status. */
  KIA: codes(
    BASE, PLUG_IN, V2.batteryCapacity, V2.chargeLimit, V2.fuel, V2.engineOil, V2.security, V2.systemStatus, HVAC, LOW_VOLTAGE,
    ['charge-timetocomplete', 'charge-chargetimers', 'diagnostics-tirepressure', 'diagnostics-washerfluid', 'vehicleidentification-nickname'],
  ),
  /* Toyota: old profile's v2 endpoints; remote climate on its plug-ins (judgement). */
  TOYOTA: codes(
    BASE, PLUG_IN, V2.fuel, V2.engineOil, V2.tirePressure, V2.security, V2.systemStatus, V2.serviceHistory,
    ['hvac-iscabinhvacactive', 'hvac-cabintargettemperature', 'charge-timetocomplete'],
  ),
  /*
   * Mercedes-Benz: old profile's v2 endpoints only; Mercedes' paid data containers (EV status,
   * fuel, pay-as-you-drive, lock and vehicle status) carry nothing more the catalog names.
   */
  'MERCEDES-BENZ': codes(BASE, PLUG_IN, V2.nominalCapacity, V2.batteryCapacity, V2.chargeLimit, V2.fuel, V2.tirePressure, V2.security),
  /* Audi (myAudi): the Volkswagen group platform as VW (wire §3.20: audi/charge, extended charge data). */
  AUDI: codes(
    BASE, PLUG_IN, V2.nominalCapacity, V2.batteryCapacity, V2.chargeLimit, V2.fuel, V2.engineOil, V2.security, HVAC.slice(0, 4),
    ['charge-wattage', 'charge-chargerate', 'charge-timetocomplete', 'charge-ischargingcablelatched', 'charge-isfastchargerpresent',
      'charge-chargetimers', 'climate-externaltemperature'],
  ),
  /*
   * Rivian: old profile's v2 endpoints plus its vehicle state (community-documented GraphQL):
   * powerState (asleep), gnss bearing and speed, gear and drive mode, cabin and target temperature,
   * defrost and steering heat, Gear Guard (surveillance), time to end of charge, charge port,
   * twelve-volt battery health, OTA version, tailgate and frunk closures, vehicle name and colour.
   */
  RIVIAN: codes(
    BASE, PLUG_IN, V2.nominalCapacity, V2.batteryCapacity, V2.chargeLimit, V2.tirePressure, V2.security, HVAC, ['lowvoltagebattery-status'],
    [
      'charge-timetocomplete', 'climate-internaltemperature', 'connectivitysoftware-currentfirmwareversion', 'connectivitystatus-isasleep',
      'motion-currentspeed', 'surveillance-isenabled', 'surveillance-brand', 'transmission-gearstate', 'transmission-drivemode',
      'vehicleidentification-nickname', 'vehicleidentification-exteriorcolor', 'vehicleidentification-packages',
    ],
  ),
  /* Jeep (Uconnect): old profile's v2 endpoints; the 4xe's time to full charge (judgement). */
  JEEP: codes(
    BASE, PLUG_IN, V2.fuel, V2.engineOil, V2.tirePressure, V2.security, V2.systemStatus, ['charge-timetocomplete'],
  ),
  /*
   * Volvo: old profile's v2 endpoints; Volvo's public Connected Vehicle API adds washer fluid,
   * brake fluid and bulb (lighting) warnings and engine oil warnings; its Energy API the estimated
   * charging time, charging power, current limit and AC/DC type; v3 §6.1 lists Volvo among the
   * makes with (daily) charge schedules → ChargeTimers.
   */
  VOLVO: codes(
    BASE, PLUG_IN, V2.batteryCapacity, V2.fuel, V2.engineOil, V2.tirePressure, V2.security, V2.systemStatus,
    [
      'diagnostics-washerfluid', 'diagnostics-lighting', 'diagnostics-oilpressure', 'charge-timetocomplete', 'charge-wattage',
      'charge-amperagemax', 'charge-isfastchargerpresent', 'charge-chargetimers', 'vehicleidentification-exteriorcolor',
    ],
  ),
  /* Porsche (Porsche Connect): old profile's v2 endpoints; charging timers, remaining time and remote climatisation (judgement). */
  PORSCHE: codes(
    BASE, PLUG_IN, V2.batteryCapacity, V2.chargeLimit, V2.fuel, V2.engineOil, V2.tirePressure, V2.security, V2.serviceHistory,
    ['charge-timetocomplete', 'charge-chargetimers', 'hvac-iscabinhvacactive', 'hvac-cabintargettemperature', 'vehicleidentification-exteriorcolor'],
  ),
} as const satisfies Readonly<Record<string, ReadonlySet<string>>>;

/** The codes a brand exposes (none for a make without a profile). */
export function brandSignalCodes(make: string): ReadonlySet<string> {
  return (BRAND_SIGNAL_CODES as Readonly<Record<string, ReadonlySet<string>>>)[make] ?? new Set();
}
