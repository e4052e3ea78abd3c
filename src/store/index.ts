export { openDatabase, migrate, pendingMigrations, poolOf, databaseKind, type Db, type DatabaseKind } from './database.js';
export { appsRepository, type AppsRepository, type AppRecord, type ManagementTokenRotation } from './apps-repository.js';
export { vehiclesRepository, type VehiclesRepository, type VehicleRecord, type AccountRecord } from './vehicles-repository.js';
export {
  grantKey, grantsRepository, type GrantsRepository, type GrantRecord, type AuthorizationRecord, type TokenRecord, type TokenState,
  type ConnectionRecord, type ConnectionFilter, type ConnectionSearch, type NewFamily, type FamilyGrant,
} from './grants-repository.js';
export {
  connectionHistoryRepository, END_REASONS, type ConnectionHistoryRepository, type ConnectionSpan, type EndReason,
} from './connection-history-repository.js';
export { codesRepository, type CodesRepository, type CodeRecord, type ConsumeResult } from './codes-repository.js';
export { interactionsRepository, type InteractionsRepository, type InteractionRecord, type InteractionUpdate } from './interactions-repository.js';
export { webhooksRepository, subscriptionKey, type WebhooksRepository, type WebhookRecord, type SubscriptionMove } from './webhooks-repository.js';
export { outboxRepository, type OutboxRepository, type OutboxEvent, type ClaimedDelivery, type AppShare, type Claim, type AttemptRecord, type Settlement } from './outbox-repository.js';
export type { Database } from './schema.js';
export { leasesRepository, type LeasesRepository } from './leases-repository.js';
export { retentionRepository, type RetentionRepository } from './retention-repository.js';
export {
  applicationTokensRepository, type ApplicationTokensRepository, type ApplicationTokenRecord,
} from './application-tokens-repository.js';
export {
  connectionsRepository, type ConnectionsRepository, type ConnectionDetail, type ConnectionQuery,
} from './connections-repository.js';
export {
  developerUsersRepository, consoleSessionsRepository, type DeveloperUsersRepository, type DeveloperUserRecord,
  type ConsoleSessionsRepository, type ConsoleSessionRecord,
} from './developer-users-repository.js';
export { appMembersRepository, type AppMembersRepository, type AppMemberRecord, type AppMemberView, type MemberRole } from './app-members-repository.js';
export {
  evictionPublisher, listenForEvictions, noEvictions, noticesOf, EVICTION_CHANNEL, EVICTION_LISTENER_NAME, type EvictionKind,
  type EvictionListener, type EvictionLog, type EvictionPublisher, type EvictionTarget,
} from './evictions.js';
export {
  requestLogRepository, type RequestLogRepository, type RequestLogRecord, type RequestLogQuery, type DayCount,
} from './request-log-repository.js';
