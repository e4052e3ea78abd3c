export { registerConsoleApi, type ConsoleApiDeps } from './api.js';
export { consoleSessionService, CONSOLE_COOKIE, SESSION_HOURS, type ConsoleSessionService } from './sessions.js';
export { registerConsolePages } from './pages.js';
export { serveStaticPage } from './static-pages.js';
