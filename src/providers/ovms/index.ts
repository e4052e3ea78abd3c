export { OvmsProvider, type OvmsOptions } from './ovms-provider.js';
