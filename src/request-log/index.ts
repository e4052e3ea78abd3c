/**
 * The request log: every Vehicle API and token-endpoint request of an app, recorded off the
 * request path, read by the console's Logs and Usage; and the Connect funnel's daily counts.
 */
export { decorateRequestNotes, noteApp, noteError, type AnsweredError } from './request-note.js';
export { RequestRecorder, RECORDER_DEFAULTS, dailyCounts, type RecorderLog, type RecorderOptions } from './recorder.js';
export { requestObserver } from './request-observer.js';
export { loggedPath, vehicleIdOf, MAX_LOGGED_PATH, type CapturedRequest } from './recorded-row.js';
export {
  requestLogQueries, InvalidCursorError, MAX_CURSOR_LENGTH, type RequestLogQueries, type LogFilters, type LoggedRequest,
} from './log-queries.js';
export { connectFunnel, funnelDays, noFunnel, FUNNEL_STEPS, type ConnectFunnel, type FunnelStep, type FunnelDay } from './connect-funnel.js';
