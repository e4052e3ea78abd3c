/** Every migration, in order. Names are permanent once released. */
import type { Migration } from 'kysely';
import * as initial from './0001-initial.js';
import * as connect from './0002-connect.js';
import * as secretRotation from './0003-secret-rotation.js';
import * as simulatedAccounts from './0004-simulated-accounts.js';
import * as developerVehicles from './0005-developer-vehicles.js';
import * as webhooks from './0006-webhooks.js';
import * as indexes from './0007-indexes.js';
import * as subscriptionDue from './0008-subscription-due-index.js';
import * as pendingQueue from './0009-pending-queue-index.js';
import * as payloadVersion from './0010-webhook-payload-version.js';
import * as grantFamilies from './0011-grant-families.js';
import * as managementTokenRotation from './0012-management-token-rotation.js';
import * as subscriptionBaseline from './0013-subscription-baseline.js';
import * as maintenanceLease from './0014-maintenance-lease.js';
import * as applicationTokens from './0015-application-tokens.js';
import * as developerUsers from './0016-developer-users.js';
import * as consoleSessions from './0017-console-sessions.js';
import * as requestLog from './0018-request-log.js';
import * as webhookHealth from './0019-webhook-health.js';
import * as connectionHistory from './0020-connection-history.js';
import * as appMembers from './0022-app-members.js';

export const MIGRATIONS: Record<string, Migration> = {
  '0001-initial': initial,
  '0002-connect': connect,
  '0003-secret-rotation': secretRotation,
  '0004-simulated-accounts': simulatedAccounts,
  '0005-developer-vehicles': developerVehicles,
  '0006-webhooks': webhooks,
  '0007-indexes': indexes,
  '0008-subscription-due-index': subscriptionDue,
  '0009-pending-queue-index': pendingQueue,
  '0010-webhook-payload-version': payloadVersion,
  '0011-grant-families': grantFamilies,
  '0012-management-token-rotation': managementTokenRotation,
  '0013-subscription-baseline': subscriptionBaseline,
  '0014-maintenance-lease': maintenanceLease,
  '0015-application-tokens': applicationTokens,
  '0016-developer-users': developerUsers,
  '0017-console-sessions': consoleSessions,
  '0018-request-log': requestLog,
  '0019-webhook-health': webhookHealth,
  '0020-connection-history': connectionHistory,
  '0022-app-members': appMembers,
};
