export { purgeOnce, DAILY_COUNTS_DAYS, PURGE_BATCH, PURGE_LEASE, PURGE_LEASE_MS, type PurgeCounts, type PurgeDeps, type PurgeResult } from './purge.js';
export { startPurgeSchedule, PURGE_EVERY_MS, PURGE_FIRST_DELAY_MS, type PurgeLog, type PurgeSchedule } from './schedule.js';
