/**
 * @charms/runtime: one Juju hook of a reactive charm, from start to commit (the job of
 * layer-basic and `charms.reactive.main()`). `runHook` is the in-memory core; `main`
 * runs it inside a real hook process, with the hook tools, the state stores and logging.
 */
export { runHook, RESTRICTED_HOOKS, SERIES_UPGRADE_FLAG } from './run-hook.js';
export type { RunHookOptions, HookOutcome } from './run-hook.js';
export { main } from './main.js';
export type { MainOptions, StoreChoice } from './main.js';
export type { CharmFiles } from './charm-files.js';
export { runCharmHook } from './run-charm-hook.js';
export { syntheticHookContext } from './synthetic-hook-context.js';
export type { SyntheticHookOptions } from './synthetic-hook-context.js';
export type { CharmHookInput, CharmHookResult } from './run-charm-hook.js';
export type { CharmContext, CharmCallbackContext, CharmServices, ToolMethod, ToolInterceptor } from './charm-context.js';
export { Endpoint, manageEndpointFlags } from './endpoints.js';
export type { EndpointSpec } from './endpoints.js';
export { FileStateStore, STATE_FILE } from './file-state-store.js';
export { ControllerStateStore, STATE_KEY, MAX_STATE_VALUE_BYTES } from './controller-state-store.js';
export { StateStoreError } from './state-errors.js';
export type { StateErrorCode } from './state-errors.js';
export { STATE_FORMAT } from './state-document.js';
export { ConfigFlags, CONFIG_SNAPSHOT_KEY } from './config-flags.js';
export type { ConfigOption, ConfigOptions } from './config-flags.js';
export { pythonEquals, pythonTruthy } from './python-values.js';
export { Redactor, isSecretOption } from './redactor.js';
export { recordTrace } from './hook-trace.js';
export type { HookTraceRecord, TraceEvent } from './hook-trace.js';
