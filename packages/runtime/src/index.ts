/**
 * @charms/runtime: one Juju hook of a reactive charm, from start to commit (the job of
 * layer-basic and `charms.reactive.main()`). This is the in-memory core; the Juju side
 * (hook tools, the hook context, file and controller stores) builds on it.
 */
export { runHook, RESTRICTED_HOOKS, SERIES_UPGRADE_FLAG } from './run-hook.js';
export type { RunHookOptions, HookOutcome } from './run-hook.js';
export { ConfigFlags, CONFIG_SNAPSHOT_KEY } from './config-flags.js';
export type { ConfigOption } from './config-flags.js';
export { pythonEquals, pythonTruthy } from './python-values.js';
