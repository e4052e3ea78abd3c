/**
 * Every public API error, shaped like Smartcar's v2 envelope (spec §5.2). Each key is `TYPE` or
 * `TYPE.CODE`; the status, description and resolution are the contract. Append only.
 */

export type ResolutionType = 'RETRY_LATER' | 'REAUTHENTICATE' | 'CONTACT_SUPPORT' | 'ACTION_REQUIRED' | 'FINANCE' | null;

export interface CatalogEntry {
  type: string;
  code: string | null;
  status: number;
  description: string;
  resolution: ResolutionType;
  suggestedUserMessage?: string;
}

type Row = [status: number, resolution: ResolutionType, description: string, suggestedUserMessage?: string];

const STATE_HINT = 'Please check the vehicle and try again.';

const ROWS = {
  AUTHENTICATION: [401, null, 'The authorization header is missing or malformed, or it contains invalid or expired authentication credentials. Please check for missing parameters, spelling and casing mistakes, and other syntax issues.'],
  PERMISSION: [403, 'REAUTHENTICATE', 'Your application has insufficient permissions to access the requested resource. Please prompt the user to re-authenticate using Smartcar Connect.'],
  VALIDATION: [400, null, 'Request invalid or malformed. Please check for missing parameters, spelling and casing mistakes, and other syntax issues.'],
  'VALIDATION.PARAMETER': [400, null, 'Request invalid or malformed. Please check for missing parameters, spelling and casing mistakes, and other syntax issues.'],
  'RESOURCE_NOT_FOUND.PATH': [404, null, 'The requested resource does not exist. Please check the URL and try again.'],
  'RESOURCE_NOT_FOUND.VERSION': [404, null, 'The requested resource does not exist. Please check your specified version number and try again.'],
  // v3 (smartcar-v3.md §5.1, as production answers).
  'RESOURCE_NOT_FOUND.INVALID_PATH': [404, null, 'The requested resource does not exist. Please check the URL and try again.'],
  'RESOURCE_NOT_FOUND.VEHICLE_NOT_FOUND': [404, null, 'No vehicle with this id is connected to your application for this user.'],
  'RESOURCE_NOT_FOUND.CONNECTION_NOT_FOUND': [404, null, 'No live connection of your application has this id.'],
  'RESOURCE_NOT_FOUND.SIGNAL_NOT_FOUND': [404, null, 'The signal code is not in the signal catalog. Please check the code and try again.'],
  'RATE_LIMIT.SMARTCAR_API': [429, 'RETRY_LATER', 'You have reached the rate limit for your application. Please see the retry-after header for when to retry the request.'],
  'RATE_LIMIT.VEHICLE': [429, 'RETRY_LATER', 'You have reached the throttling rate limit for this vehicle. Please see the retry-after header for when to retry the request.'],
  'COMPATIBILITY.MAKE_NOT_COMPATIBLE': [501, null, 'The vehicle’s make is not supported for this request.', 'Your vehicle’s brand is not compatible with this feature.'],
  'COMPATIBILITY.SMARTCAR_NOT_CAPABLE': [501, null, 'This platform does not support this request for this vehicle’s make yet.', 'This feature is not available for your vehicle yet.'],
  'COMPATIBILITY.VEHICLE_NOT_CAPABLE': [501, null, 'The vehicle is not capable of performing this request.', 'Your vehicle is not capable of this feature.'],
  'COMPATIBILITY.PLATFORM_NOT_CAPABLE': [501, 'REAUTHENTICATE', 'The vehicle’s connected-services platform does not support this request.'],
  'CONNECTED_SERVICES_ACCOUNT.ACCOUNT_ISSUE': [400, null, 'Action required in the owner’s connected-services account.', 'Please log in to your vehicle’s connected-services account to resolve an issue.'],
  'CONNECTED_SERVICES_ACCOUNT.AUTHENTICATION_FAILED': [400, 'REAUTHENTICATE', 'The credentials of the owner’s connected-services account are no longer valid.', 'Please reconnect your vehicle.'],
  'CONNECTED_SERVICES_ACCOUNT.NO_VEHICLES': [400, null, 'The owner’s connected-services account has no vehicles.'],
  'CONNECTED_SERVICES_ACCOUNT.PERMISSION': [400, 'REAUTHENTICATE', 'The connected-services account lacks a permission this request needs.'],
  'CONNECTED_SERVICES_ACCOUNT.SUBSCRIPTION': [400, null, 'The vehicle’s connected-services subscription is inactive.', 'Please check your vehicle’s connected-services subscription.'],
  'CONNECTED_SERVICES_ACCOUNT.VEHICLE_MISSING': [400, null, 'The vehicle is no longer in the owner’s connected-services account.'],
  'CONNECTED_SERVICES_ACCOUNT.VIRTUAL_KEY_REQUIRED': [400, 'ACTION_REQUIRED', 'The vehicle needs a virtual key before it accepts commands.'],
  'SERVER.INTERNAL': [500, 'RETRY_LATER', 'The server encountered an unexpected error. Please try again later.'],
  'SERVER.RECORD_NOT_FOUND': [500, 'CONTACT_SUPPORT', 'No record was found for this request.'],
  'SERVER.MULTIPLE_RECORDS_FOUND': [500, 'CONTACT_SUPPORT', 'More than one record matches this request.'],
  'UPSTREAM.INVALID_DATA': [502, 'RETRY_LATER', 'The vehicle’s source returned invalid data.'],
  'UPSTREAM.KNOWN_ISSUE': [502, 'RETRY_LATER', 'The vehicle’s source has a known issue.'],
  'UPSTREAM.NO_RESPONSE': [502, 'RETRY_LATER', 'The vehicle’s source did not respond.'],
  'UPSTREAM.RATE_LIMIT': [502, 'RETRY_LATER', 'The vehicle’s source rate-limited this request.'],
  'UPSTREAM.UNKNOWN_ISSUE': [502, 'RETRY_LATER', 'The vehicle’s source failed unexpectedly.'],
  'VEHICLE_STATE.ASLEEP': [409, null, 'The vehicle is in a sleep state and temporarily unable to perform your request.', 'Your vehicle is in a sleep state. This request was not sent to preserve battery life.'],
  'VEHICLE_STATE.CHARGING_IN_PROGRESS': [409, null, 'The vehicle is already charging.', 'Your vehicle is already charging.'],
  'VEHICLE_STATE.CHARGING_PLUG_CONNECTED': [409, null, 'The charging plug is connected, which prevents this request.', 'Please unplug your vehicle and try again.'],
  'VEHICLE_STATE.CHARGING_PLUG_NOT_CONNECTED': [409, null, 'The vehicle is not plugged in.', 'Please plug in your vehicle and try again.'],
  'VEHICLE_STATE.CHARGE_FAULT': [409, null, 'The vehicle reports a charging fault.', 'Your vehicle reports a charging fault. ' + STATE_HINT],
  'VEHICLE_STATE.DOOR_OPEN': [409, null, 'A door is open, so the vehicle cannot be locked.', 'Please close all doors and try again.'],
  'VEHICLE_STATE.FULLY_CHARGED': [409, null, 'The vehicle is already charged to its charge limit.', 'Your vehicle is already fully charged.'],
  'VEHICLE_STATE.HOOD_OPEN': [409, null, 'The hood is open, which prevents this request.', 'Please close the hood and try again.'],
  'VEHICLE_STATE.IGNITION_ON': [409, null, 'The ignition is on, which prevents this request.', 'Please turn off your vehicle and try again.'],
  'VEHICLE_STATE.IN_MOTION': [409, null, 'The vehicle is in motion, which prevents this request.', 'Please try again when your vehicle is parked.'],
  'VEHICLE_STATE.LOW_BATTERY': [409, 'RETRY_LATER', 'The vehicle’s battery is too low for this request.'],
  'VEHICLE_STATE.NOT_CHARGING': [409, null, 'The vehicle is not charging.', 'Your vehicle is not charging.'],
  'VEHICLE_STATE.REMOTE_ACCESS_DISABLED': [409, null, 'Remote access is disabled in the vehicle.', 'Please enable remote access in your vehicle.'],
  'VEHICLE_STATE.TRUNK_OPEN': [409, null, 'The trunk is open, which prevents this request.', 'Please close the trunk and try again.'],
  'VEHICLE_STATE.UNKNOWN': [409, 'RETRY_LATER', 'The vehicle was unable to perform the request for an unknown reason.', STATE_HINT],
  'VEHICLE_STATE.UNREACHABLE': [409, null, 'The vehicle is out of network coverage.', 'Your vehicle is unreachable. Please try again when it has network coverage.'],
  'VEHICLE_STATE.VEHICLE_OFFLINE_FOR_SERVICE': [409, null, 'The vehicle is offline for service.'],
  'BILLING.INVALID_PLAN': [430, 'CONTACT_SUPPORT', 'The application’s plan does not include this request.'],
  'BILLING.VEHICLE_LIMIT': [430, 'CONTACT_SUPPORT', 'The application reached its connected-vehicle limit.'],
  'BILLING.VEHICLE_REQUEST_LIMIT': [430, 'CONTACT_SUPPORT', 'The vehicle reached its monthly request limit.'],
  'BILLING.ACCOUNT_SUSPENDED': [430, 'FINANCE', 'The application’s account is suspended.'],
} satisfies Record<string, Row>;

export const CATALOG: Readonly<Record<string, CatalogEntry>> = Object.freeze(Object.fromEntries(
  (Object.entries(ROWS) as [string, Row][]).map(([key, [status, resolution, description, suggestedUserMessage]]) => {
    const [type, code = null] = key.split('.') as [string, string?];
    const entry: CatalogEntry = { type, code, status, description, resolution };
    if (suggestedUserMessage) entry.suggestedUserMessage = suggestedUserMessage;
    return [key, Object.freeze(entry)];
  }),
));

export type CatalogKey = keyof typeof ROWS;

/** Documentation anchor of an error, in the style the SDKs expect (a string, never null). */
export function docUrl(entry: CatalogEntry): string {
  const page = entry.type.toLowerCase().replaceAll('_', '-');
  const anchor = entry.code === null ? 'null' : entry.code.toLowerCase().replaceAll('_', '-');
  return `https://smartcar.com/docs/errors/api-errors/${page}-errors#${anchor}`;
}
