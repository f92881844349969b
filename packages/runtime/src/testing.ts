/**
 * `@charms/runtime/testing`: what this package's own tests check beside the public API.
 * Not stable: anything here may change or go in any release.
 */
export { SERIES_UPGRADE_FLAG } from './hook-phases.js';
export { CONFIG_SNAPSHOT_KEY } from './config-flags.js';
export { pythonEquals, pythonTruthy } from './python-values.js';
export { Redactor, isSecretOption } from './redactor.js';
export { hookInMemory } from './hook-in-memory.js';
export { DebugStops, debugAtOf } from './debug-at.js';
