/**
 * The error catalog is the public contract (STYLE §5, spec §5.2): every entry unique, in range,
 * documented, and rendered as exactly the §5.4 envelope.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  ACCOUNT_CODES, AccountError, NotCapableError, RateLimitedError, UPSTREAM_CODES, UpstreamError, VEHICLE_STATE_CODES,
  VehicleStateError, type NotCapableReason,
} from '../../core/index.js';
import { ApiError, envelope } from './api-error.js';
import { CATALOG, docUrl, type CatalogKey } from './catalog.js';
import { apiErrorOf } from './from-domain.js';

const RESOLUTIONS = [null, 'RETRY_LATER', 'REAUTHENTICATE', 'CONTACT_SUPPORT', 'ACTION_REQUIRED', 'FINANCE'];
const REQUIRED_KEYS = ['type', 'code', 'description', 'docURL', 'statusCode', 'requestId', 'resolution'].sort();
const REQUEST_ID = '5dea93a1-3f79-4246-90c5-89610a20471b';

/** Spec §5.2, row by row: type, code, HTTP status, resolution type. */
const SPEC_TABLE: [string, string | null, number, string | null][] = [
  ['AUTHENTICATION', null, 401, null],
  ['BILLING', 'INVALID_PLAN', 430, 'CONTACT_SUPPORT'],
  ['BILLING', 'VEHICLE_LIMIT', 430, 'CONTACT_SUPPORT'],
  ['BILLING', 'VEHICLE_REQUEST_LIMIT', 430, 'CONTACT_SUPPORT'],
  ['BILLING', 'ACCOUNT_SUSPENDED', 430, 'FINANCE'],
  ['COMPATIBILITY', 'MAKE_NOT_COMPATIBLE', 501, null],
  ['COMPATIBILITY', 'SMARTCAR_NOT_CAPABLE', 501, null],
  ['COMPATIBILITY', 'VEHICLE_NOT_CAPABLE', 501, null],
  ['COMPATIBILITY', 'PLATFORM_NOT_CAPABLE', 501, 'REAUTHENTICATE'],
  ['CONNECTED_SERVICES_ACCOUNT', 'ACCOUNT_ISSUE', 400, null],
  ['CONNECTED_SERVICES_ACCOUNT', 'AUTHENTICATION_FAILED', 400, 'REAUTHENTICATE'],
  ['CONNECTED_SERVICES_ACCOUNT', 'NO_VEHICLES', 400, null],
  ['CONNECTED_SERVICES_ACCOUNT', 'PERMISSION', 400, 'REAUTHENTICATE'],
  ['CONNECTED_SERVICES_ACCOUNT', 'SUBSCRIPTION', 400, null],
  ['CONNECTED_SERVICES_ACCOUNT', 'VEHICLE_MISSING', 400, null],
  ['CONNECTED_SERVICES_ACCOUNT', 'VIRTUAL_KEY_REQUIRED', 400, 'ACTION_REQUIRED'],
  ['PERMISSION', null, 403, 'REAUTHENTICATE'],
  ['RATE_LIMIT', 'SMARTCAR_API', 429, 'RETRY_LATER'],
  ['RATE_LIMIT', 'VEHICLE', 429, 'RETRY_LATER'],
  ['RESOURCE_NOT_FOUND', 'PATH', 404, null],
  ['RESOURCE_NOT_FOUND', 'VERSION', 404, null],
  ['SERVER', 'INTERNAL', 500, 'RETRY_LATER'],
  ['SERVER', 'MULTIPLE_RECORDS_FOUND', 500, 'CONTACT_SUPPORT'],
  ['SERVER', 'RECORD_NOT_FOUND', 500, 'CONTACT_SUPPORT'],
  ['UPSTREAM', 'INVALID_DATA', 502, 'RETRY_LATER'],
  ['UPSTREAM', 'KNOWN_ISSUE', 502, 'RETRY_LATER'],
  ['UPSTREAM', 'NO_RESPONSE', 502, 'RETRY_LATER'],
  ['UPSTREAM', 'RATE_LIMIT', 502, 'RETRY_LATER'],
  ['UPSTREAM', 'UNKNOWN_ISSUE', 502, 'RETRY_LATER'],
  ['VALIDATION', null, 400, null],
  ['VALIDATION', 'PARAMETER', 400, null],
  ...(['ASLEEP', 'CHARGING_IN_PROGRESS', 'CHARGING_PLUG_CONNECTED', 'CHARGING_PLUG_NOT_CONNECTED', 'CHARGE_FAULT', 'DOOR_OPEN',
    'FULLY_CHARGED', 'HOOD_OPEN', 'IGNITION_ON', 'IN_MOTION', 'NOT_CHARGING', 'REMOTE_ACCESS_DISABLED', 'TRUNK_OPEN',
    'UNREACHABLE', 'VEHICLE_OFFLINE_FOR_SERVICE'].map((code) => ['VEHICLE_STATE', code, 409, null] as [string, string, number, null])),
  ['VEHICLE_STATE', 'LOW_BATTERY', 409, 'RETRY_LATER'],
  ['VEHICLE_STATE', 'UNKNOWN', 409, 'RETRY_LATER'],
];

const entries = Object.entries(CATALOG);

describe('Error catalog entries', () => {
  test('each key is TYPE or TYPE.CODE of its own entry', () => {
    for (const [key, entry] of entries) assert.equal(key, entry.code === null ? entry.type : `${entry.type}.${entry.code}`);
  });

  test('type + code pairs are unique', () => {
    const pairs = entries.map(([, e]) => `${e.type}:${e.code}`);
    assert.equal(new Set(pairs).size, pairs.length);
  });

  test('types and codes are UPPER_SNAKE_CASE', () => {
    for (const [key, entry] of entries) {
      assert.match(entry.type, /^[A-Z]+(_[A-Z]+)*$/, key);
      if (entry.code !== null) assert.match(entry.code, /^[A-Z]+(_[A-Z]+)*$/, key);
    }
  });

  test('statuses are 400–599, except BILLING which is 430', () => {
    for (const [key, entry] of entries) {
      if (entry.type === 'BILLING') assert.equal(entry.status, 430, key);
      else assert.ok(Number.isInteger(entry.status) && entry.status >= 400 && entry.status <= 599, `${key}: ${entry.status}`);
    }
  });

  test('every entry is documented: a non-empty description and a docURL string', () => {
    for (const [key, entry] of entries) {
      assert.equal(typeof entry.description, 'string', key);
      assert.ok(entry.description.trim().length > 0, key);
      const url = docUrl(entry);
      assert.equal(typeof url, 'string', key);
      assert.match(url, /^https:\/\/smartcar\.com\/docs\/errors\/api-errors\/[a-z-]+-errors#[a-z-]+$/, key);
    }
  });

  test('resolutions are one of the documented types, and suggested messages are non-empty when present', () => {
    for (const [key, entry] of entries) {
      assert.ok(RESOLUTIONS.includes(entry.resolution), `${key}: ${entry.resolution}`);
      if ('suggestedUserMessage' in entry) {
        assert.equal(typeof entry.suggestedUserMessage, 'string', key);
        assert.ok(entry.suggestedUserMessage!.trim().length > 0, key);
      }
    }
  });

  test('every row of the spec §5.2 table is in the catalog with its status and resolution', () => {
    for (const [type, code, status, resolution] of SPEC_TABLE) {
      const entry = CATALOG[code === null ? type : `${type}.${code}`];
      assert.ok(entry, `${type}.${code} is in the catalog`);
      assert.equal(entry.status, status, `${type}.${code} status`);
      assert.equal(entry.resolution, resolution, `${type}.${code} resolution`);
    }
  });

  test('the descriptions the SDK tests compare verbatim are the canonical ones', () => {
    assert.equal(CATALOG.AUTHENTICATION?.description,
      'The authorization header is missing or malformed, or it contains invalid or expired authentication credentials. Please check for missing parameters, spelling and casing mistakes, and other syntax issues.');
    assert.equal(CATALOG.VALIDATION?.description,
      'Request invalid or malformed. Please check for missing parameters, spelling and casing mistakes, and other syntax issues.');
    assert.equal(CATALOG.PERMISSION?.description,
      'Your application has insufficient permissions to access the requested resource. Please prompt the user to re-authenticate using Smartcar Connect.');
    assert.equal(CATALOG['RATE_LIMIT.VEHICLE']?.description,
      'You have reached the throttling rate limit for this vehicle. Please see the retry-after header for when to retry the request.');
    assert.equal(CATALOG['RESOURCE_NOT_FOUND.PATH']?.description,
      'The requested resource does not exist. Please check the URL and try again.');
    assert.equal(CATALOG['RESOURCE_NOT_FOUND.VERSION']?.description,
      'The requested resource does not exist. Please check your specified version number and try again.');
  });

  test('docURLs follow the documented anchors', () => {
    assert.equal(docUrl(CATALOG['VEHICLE_STATE.ASLEEP']!), 'https://smartcar.com/docs/errors/api-errors/vehicle-state-errors#asleep');
    assert.equal(docUrl(CATALOG.AUTHENTICATION!), 'https://smartcar.com/docs/errors/api-errors/authentication-errors#null');
    assert.equal(docUrl(CATALOG.PERMISSION!), 'https://smartcar.com/docs/errors/api-errors/permission-errors#null');
  });

  test('the catalog is frozen', () => {
    assert.ok(Object.isFrozen(CATALOG));
    for (const [key, entry] of entries) assert.ok(Object.isFrozen(entry), key);
  });
});

describe('Domain errors → catalog (api/errors/from-domain)', () => {
  test('every domain error code has a catalog entry', () => {
    const typeAndCode = (error: ApiError) => [error.entry.type, error.entry.code];
    for (const code of VEHICLE_STATE_CODES) assert.deepEqual(typeAndCode(apiErrorOf(new VehicleStateError(code))), ['VEHICLE_STATE', code]);
    for (const code of UPSTREAM_CODES) assert.deepEqual(typeAndCode(apiErrorOf(new UpstreamError(code))), ['UPSTREAM', code]);
    for (const code of ACCOUNT_CODES) {
      assert.deepEqual(typeAndCode(apiErrorOf(new AccountError(code))), ['CONNECTED_SERVICES_ACCOUNT', code]);
    }
    for (const code of ['VEHICLE_NOT_CAPABLE', 'SMARTCAR_NOT_CAPABLE', 'MAKE_NOT_COMPATIBLE'] as NotCapableReason[]) {
      assert.deepEqual(typeAndCode(apiErrorOf(new NotCapableError(code))), ['COMPATIBILITY', code]);
    }
  });

  test('rate limits keep their Retry-After seconds', () => {
    const vehicle = apiErrorOf(new RateLimitedError('VEHICLE', 7));
    assert.equal(vehicle.entry.code, 'VEHICLE');
    assert.equal(vehicle.options.retryAfterSeconds, 7);
    assert.equal(apiErrorOf(new RateLimitedError('APPLICATION', 3)).entry.code, 'SMARTCAR_API');
  });
});

describe('envelope() (spec §5.4)', () => {
  test('has exactly the required keys when there is no detail or suggested message', () => {
    const body = envelope(new ApiError('VALIDATION'), REQUEST_ID);
    assert.deepEqual(Object.keys(body).sort(), REQUIRED_KEYS);
    assert.deepEqual(body, {
      type: 'VALIDATION', code: null, description: CATALOG.VALIDATION!.description,
      docURL: 'https://smartcar.com/docs/errors/api-errors/validation-errors#null',
      statusCode: 400, requestId: REQUEST_ID, resolution: { type: null },
    });
  });

  test('omits detail when it is absent or empty, never null', () => {
    assert.ok(!('detail' in envelope(new ApiError('VALIDATION'), REQUEST_ID)));
    assert.ok(!('detail' in envelope(new ApiError('VALIDATION', { detail: [] }), REQUEST_ID)));
  });

  test('includes detail as an array when given', () => {
    const detail = [{ field: ['requests'], message: '"requests" is required' }];
    assert.deepEqual(envelope(new ApiError('VALIDATION', { detail }), REQUEST_ID).detail, detail);
  });

  test('includes suggestedUserMessage only for entries that have one', () => {
    const asleep = envelope(new ApiError('VEHICLE_STATE.ASLEEP'), REQUEST_ID);
    assert.equal(asleep.suggestedUserMessage, CATALOG['VEHICLE_STATE.ASLEEP']!.suggestedUserMessage);
    assert.deepEqual(Object.keys(asleep).sort(), [...REQUIRED_KEYS, 'suggestedUserMessage'].sort());
    assert.ok(!('suggestedUserMessage' in envelope(new ApiError('PERMISSION'), REQUEST_ID)));
  });

  test('every catalog entry renders a valid envelope: no null optional keys, no error key', () => {
    for (const key of Object.keys(CATALOG) as CatalogKey[]) {
      const body = envelope(new ApiError(key), REQUEST_ID);
      for (const required of REQUIRED_KEYS) assert.ok(required in body, `${key} has ${required}`);
      assert.ok(!('error' in body), key);
      assert.notEqual(body.detail, null, key);
      assert.notEqual(body.suggestedUserMessage, null, key);
      assert.equal(body.statusCode, CATALOG[key]!.status, key);
      assert.deepEqual(body.resolution, { type: CATALOG[key]!.resolution }, key);
    }
  });

  test('a status override (413, 415) shows in statusCode and in ApiError.statusCode', () => {
    const error = new ApiError('VALIDATION', { status: 413 });
    assert.equal(error.statusCode, 413);
    assert.equal(envelope(error, REQUEST_ID).statusCode, 413);
    assert.equal(envelope(error, REQUEST_ID).type, 'VALIDATION');
  });

  test('a description override replaces the catalog text', () => {
    assert.equal(envelope(new ApiError('VALIDATION', { description: 'limit must be 0.5–1' }), REQUEST_ID).description, 'limit must be 0.5–1');
  });

  test('an unknown catalog key is a programming error', () => {
    assert.throws(() => new ApiError('NOPE' as CatalogKey), /no catalog entry NOPE/);
  });
});
