export { registerOpenApi } from './route.js';
export { openApiDocument, operationsOf } from './documents.js';
export { templateOf } from './document.js';
