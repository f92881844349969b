/**
 * What pebble-checks.ts still imports from here, until its import line moves to the files
 * the plan was split into (pebble-layer-parse.ts, pebble-plan-merge.ts, pebble-durations.ts,
 * pebble-command.ts).
 */
export { shellSplit } from './pebble-command.js';
export { DEFAULT_CHECK_PERIOD_MS, DEFAULT_CHECK_THRESHOLD, DEFAULT_CHECK_TIMEOUT_MS, parseDuration } from './pebble-durations.js';
export type { PebbleCheck } from './pebble-layer-parse.js';
export type { PebblePlan } from './pebble-plan-merge.js';
