/**
 * @charms/model: a Juju model on one machine. Built charms run as real child processes
 * through their `dispatch`, with Juju's hook environment and hook-tool shims on PATH.
 */
export { LocalModel, createModel } from './model.js';
export type { ModelOptions, DeployOptions, HookReport, LogEntry, TimelineEntry } from './model.js';
export { ModelError } from './model-errors.js';
export type { ModelErrorCode } from './model-errors.js';
export { statusTable } from './status.js';
export type { StatusJson, RelationStatus } from './status.js';
export { renderManifests } from './manifests.js';
export type { RenderInput, RenderedManifests } from './manifests.js';
export { HOOK_TOOLS, runHookTool } from './hook-tool-server.js';
export type { ToolContext } from './hook-tool-server.js';
export { checkConfig } from './config-values.js';
export { escapeControl } from './log-masking.js';
export type { ModelRecord, AppRecord, UnitRecord, RelationRecord, HookEvent } from './model-state.js';
export { ShimServer, writeShims } from './shim-server.js';
export type { ShimRequest } from './shim-server.js';
