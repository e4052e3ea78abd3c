/**
 * Event triggers over catalog signals. A named trigger (charge_state_changed…, v2.0 and v4.0) is a
 * rule over one catalog signal; a v4.0 webhook may also name any trigger-capable signal code, which
 * fires SIGNAL_UPDATED whenever that signal's body changes. A look is the bodies of the signals
 * the triggers watch, as last read.
 */
import { signalSpec, SIGNALS, type SignalBody } from '../core/index.js';

/** Named triggers. Names are API: append only. */
export const TRIGGERS = [
  'charge_state_changed', 'plugged_in', 'unplugged', 'lock_state_changed', 'battery_low', 'fuel_low', 'charge_limit_reached',
] as const;
export type NamedTrigger = (typeof TRIGGERS)[number];

/** The codes whose change can trigger a v4.0 event, in catalog order. */
export const TRIGGER_CODES: readonly string[] = SIGNALS.filter((s) => s.trigger).map((s) => s.code);

/** What a subscription knows of the signals its triggers watch: each body as last read, by code. */
export type Look = Readonly<Record<string, SignalBody>>;

export interface FiredEvent {
  trigger: string;
  /** Smartcar's event names where it has them (CHARGING_STARTED…), ours in its style otherwise; SIGNAL_UPDATED for a code. */
  eventType: string;
  /** The signal whose change fired it. */
  code: string;
}

interface Rule {
  watches: string;
  /** The event a change of the watched value fires, if any; both values are known. */
  fire(before: unknown, after: unknown): string | null;
}

/** Percentages as the catalog carries them, 0–100. */
const BATTERY_LOW = 20;
const FUEL_LOW = 15;

const crossedBelow = (level: number, eventType: string) => (before: unknown, after: unknown) =>
  typeof before === 'number' && typeof after === 'number' && before >= level && after < level ? eventType : null;

function chargeEvent(before: unknown, after: unknown): string | null {
  if (before === after) return null;
  if (after === 'CHARGING') return 'CHARGING_STARTED';
  if (after === 'FULLY_CHARGED') return 'CHARGING_COMPLETED';
  return 'CHARGING_STOPPED';
}

/** In the order their events are produced when several fire at one look. */
const RULES: Readonly<Record<NamedTrigger, Rule>> = {
  charge_state_changed: { watches: 'charge-detailedchargingstatus', fire: chargeEvent },
  charge_limit_reached: {
    watches: 'charge-detailedchargingstatus',
    fire: (before, after) => (before !== after && after === 'FULLY_CHARGED' ? 'CHARGE_LIMIT_REACHED' : null),
  },
  plugged_in: { watches: 'charge-ischargingcableconnected', fire: (before, after) => (before === false && after === true ? 'PLUGGED_IN' : null) },
  unplugged: { watches: 'charge-ischargingcableconnected', fire: (before, after) => (before === true && after === false ? 'UNPLUGGED' : null) },
  lock_state_changed: {
    watches: 'closure-islocked',
    fire: (before, after) => (before === after ? null : after ? 'LOCKED' : 'UNLOCKED'),
  },
  battery_low: { watches: 'tractionbattery-stateofcharge', fire: crossedBelow(BATTERY_LOW, 'BATTERY_LOW') },
  fuel_low: { watches: 'internalcombustionengine-fuellevel', fire: crossedBelow(FUEL_LOW, 'FUEL_LOW') },
};

const isNamed = (trigger: string): trigger is NamedTrigger => Object.hasOwn(RULES, trigger);
const isTriggerCode = (trigger: string) => signalSpec(trigger)?.trigger === true;

/** The signals a trigger watches, as an event's `triggers` name them. */
export function watchedCode(trigger: string): string | null {
  if (isNamed(trigger)) return RULES[trigger].watches;
  return isTriggerCode(trigger) ? trigger : null;
}

/** Every code the triggers watch, each once: what a look reads. */
export function watchedCodes(triggers: readonly string[]): string[] {
  return [...new Set(triggers.flatMap((t) => watchedCode(t) ?? []))];
}

/**
 * What is known after a look: each watched signal as just read, or, where that read failed, as
 * last known, so a change made while reads failed still fires once they succeed.
 */
export function knownLook(before: Look | null, read: Look, codes: readonly string[]): Look {
  const known: Record<string, SignalBody> = {};
  for (const code of codes) {
    const body = read[code] ?? before?.[code];
    if (body) known[code] = body;
  }
  return known;
}

const valueOf = (body: SignalBody | undefined) => (body?.value === null ? undefined : body?.value);

export function fired(triggers: readonly string[], before: Look, after: Look): FiredEvent[] {
  const events: FiredEvent[] = [];
  for (const [trigger, rule] of Object.entries(RULES)) {
    if (!triggers.includes(trigger)) continue;
    const [was, is] = [valueOf(before[rule.watches]), valueOf(after[rule.watches])];
    const eventType = was === undefined || is === undefined ? null : rule.fire(was, is);
    if (eventType) events.push({ trigger, eventType, code: rule.watches });
  }
  for (const code of triggers.filter(isTriggerCode)) {
    const [was, is] = [before[code], after[code]];
    // Bodies are derived the same way each read, so their JSON differs only when a value does.
    if (was && is && JSON.stringify(was) !== JSON.stringify(is)) events.push({ trigger: code, eventType: 'SIGNAL_UPDATED', code });
  }
  return events;
}

/** Why a webhook of this payload version cannot take these triggers, or null. */
export function triggersProblem(version: string, triggers: readonly string[]): string | null {
  if (version !== '4.0') {
    const unknown = triggers.filter((t) => !isNamed(t));
    if (unknown.length === 0) return null;
    const codes = unknown.some((t) => signalSpec(t)) ? ' (signal codes trigger v4.0 webhooks only)' : '';
    return `unknown trigger(s): ${unknown.join(', ')}${codes}; v2.0 triggers are ${TRIGGERS.join(', ')}`;
  }
  const cannot = triggers.filter((t) => !isNamed(t) && signalSpec(t) && !isTriggerCode(t));
  const unknown = triggers.filter((t) => !isNamed(t) && !signalSpec(t));
  if (cannot.length === 0 && unknown.length === 0) return null;
  const problems = [
    ...(unknown.length > 0 ? [`unknown trigger(s): ${unknown.join(', ')}`] : []),
    ...(cannot.length > 0 ? [`signal(s) that cannot trigger: ${cannot.join(', ')}`] : []),
  ];
  return `${problems.join('; ')}; v4.0 triggers are ${TRIGGERS.join(', ')} or a trigger-capable signal code: ${TRIGGER_CODES.join(', ')}`;
}

/** The fields of a look stored before triggers read catalog signals, with the code each now is. */
const LEGACY_FIELDS: readonly [field: string, code: string, body: (v: unknown) => SignalBody][] = [
  ['chargeState', 'charge-detailedchargingstatus', (value) => ({ value })],
  ['isPluggedIn', 'charge-ischargingcableconnected', (value) => ({ value })],
  ['isLocked', 'closure-islocked', (value) => ({ value })],
  ['soc', 'tractionbattery-stateofcharge', (ratio) => ({ value: Math.round((ratio as number) * 10_000) / 100, unit: 'percent' })],
  ['fuel', 'internalcombustionengine-fuellevel', (ratio) => ({ value: Math.round((ratio as number) * 10_000) / 100, unit: 'percent' })],
];

/**
 * A stored look: `{signals, errors?}`, or the v2-shaped fields an earlier version stored (so an
 * upgrade neither repeats a FIRST_DELIVERY nor loses a change in flight).
 */
export function storedLook<E>(seen: string | null): { signals: Look; errors?: E[] } | null {
  if (!seen) return null;
  const stored = JSON.parse(seen) as ({ signals?: Look; errors?: E[] } & Record<string, unknown>) | null;
  if (!stored) return null;
  if (stored.signals) return { signals: stored.signals, ...(stored.errors && { errors: stored.errors }) };
  const signals: Record<string, SignalBody> = {};
  for (const [field, code, body] of LEGACY_FIELDS) {
    if (stored[field] !== null && stored[field] !== undefined) signals[code] = body(stored[field]);
  }
  return { signals, ...(stored.errors && { errors: stored.errors }) };
}
