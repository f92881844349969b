/**
 * @charms/runtime: one Juju hook of a reactive charm, from start to commit (the job of
 * layer-basic and `charms.reactive.main()`). `main` runs a hook (or an action) inside a real hook
 * process; `runCharmHook` runs one in-process against given tools (tests of charms and
 * layers); `runHook` is the core under both: state, phases, commit, with no Juju.
 *
 * Public API only. `@charms/runtime/testing` (for this package's tests) and
 * `@charms/runtime/internal` (for other workspace packages) are not stable.
 */
export { main } from './main.js';
export type { MainOptions, StoreChoice } from './main.js';
export type { CharmFiles } from './charm-files.js';
export { runCharmHook } from './run-charm-hook.js';
export type { CharmHookInput, CharmHookResult } from './run-charm-hook.js';
export { runCharmAction } from './run-charm-action.js';
export type { CharmActionInput, CharmActionResult } from './run-charm-action.js';
export type { ActionContext, ActionFunction } from './action-context.js';
export { ActionError } from './action-error.js';
export type { ActionErrorCode } from './action-error.js';
export { runHook } from './run-hook.js';
export type { RunHookOptions, HookOutcome } from './run-hook.js';
export type { ConfigOption, ConfigOptions } from './config-flags.js';
export { syntheticHookContext } from './synthetic-hook-context.js';
export type { SyntheticHookOptions } from './synthetic-hook-context.js';
export type { CharmContext, CharmCallbackContext, CharmServices, ToolMethod, ToolInterceptor } from './charm-context.js';
export { Endpoint, RelationList } from './endpoint.js';
export type { EndpointSpec, EndpointHookInfo } from './endpoint.js';
export { Relation } from './relation.js';
export { RelatedUnit } from './related-unit.js';
export { CombinedUnitsView } from './combined-units-view.js';
export { DepartedUnits } from './departed-units.js';
export { KeyList } from './key-list.js';
export { UnitDataView, JsonUnitDataView } from './unit-data-view.js';
export type { RawBag } from './unit-data-view.js';
export { defineInterface } from './define-interface.js';
export type { EndpointClass, EndpointBinding } from './define-interface.js';
export { HookEndpoints } from './hook-endpoints.js';
export type { HookEndpointsOptions } from './hook-endpoints.js';
export { endpointFromFlag, endpointFromName } from './endpoint-functions.js';
export { manageEndpointFlags } from './manage-endpoint-flags.js';
export { EndpointError } from './endpoint-error.js';
export type { EndpointErrorCode } from './endpoint-error.js';
export { pythonJsonDumps, pythonJsonLoads } from './python-json.js';
export { FileStateStore, STATE_FILE } from './file-state-store.js';
export { ControllerStateStore, STATE_KEY } from './controller-state-store.js';
export { ConfigError } from './config-error.js';
export type { ConfigErrorCode } from './config-error.js';
export { StateStoreError } from './state-errors.js';
export type { StateErrorCode } from './state-errors.js';
