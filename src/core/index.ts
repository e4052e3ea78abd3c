export * from './signals.js';
export * from './units.js';
export * from './permissions.js';
export * from './errors.js';
export * from './clock.js';
export * from './rate-limiter.js';
export * from './ids.js';
export * from './bounded-map.js';
