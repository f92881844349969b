/**
 * @charms/model: a Juju model on one machine. Built charms run as real child processes
 * through their `dispatch`, with Juju's hook environment and hook-tool shims on PATH.
 *
 * The public API, listed in docs/reference/model.md. The status functions alone are at
 * `@charms/model/status`; what the workspace's tests need is at `@charms/model/testing`
 * and what the charms command needs at `@charms/model/internal` (neither is stable).
 */
export { LocalModel, createModel } from './model.js';
export type { ModelOptions, DeployOptions, HookReport, LogEntry, TimelineEntry, ActionSpec, StorageListing, StorageInstanceListing, StorageBackingListing } from './model.js';
export { ModelError } from './model-errors.js';
export type { ModelErrorCode } from './model-errors.js';
export { statusTable } from './status.js';
export type { StatusJson, RelationStatus } from './status.js';
export { renderManifests } from './manifests.js';
export type { RenderInput, RenderedManifests } from './manifests.js';
export type { ModelRecord, AppRecord, UnitRecord, RelationRecord, HookEvent, ActionRecord, ActionStatus, StorageRecord, StoreRecord } from './model-state.js';
